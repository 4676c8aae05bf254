package dev.memstore.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.internal.lifecycle.RuleExtractor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The floor of the rule-based extractor on the labelled statements: precision at least 0.95 (a
 * wrong key hides a true fact) and recall no lower than measured when the rules were last changed,
 * less one statement or so. ExtractorBenchmark prints the table and the mistakes.
 */
class ExtractorPrecisionTest {
  private static final double MIN_PRECISION = 0.95;

  /** Measured by ExtractorBenchmark; raise them when the rules get better. */
  private static final double KEY_RECALL = 0.925;

  private static final double SUPERSESSION_RECALL = 0.893;
  private static final double MARGIN = 0.01;

  private final FactSet.Scores scores = FactSet.score(new RuleExtractor(), FactSet.load());

  @Test
  void labelledSet_hasTwoHundredStatements() {
    assertTrue(scores.statements() >= 200, "statements: " + scores.statements());
  }

  @Test
  void keyAssignment_labelledSet_precisionAtLeast95PercentAndRecallKept() {
    assertTrue(
        scores.keys().precision() >= MIN_PRECISION, describe("key precision", scores.mistakes()));
    assertTrue(
        scores.keys().recall() >= KEY_RECALL - MARGIN, describe("key recall", scores.mistakes()));
  }

  @Test
  void supersession_labelledSet_precisionAtLeast95PercentAndRecallKept() {
    assertTrue(
        scores.supersessions().precision() >= MIN_PRECISION,
        describe("supersession precision", scores.mistakes()));
    assertTrue(
        scores.supersessions().recall() >= SUPERSESSION_RECALL - MARGIN,
        describe("supersession recall", scores.mistakes()));
  }

  private String describe(String measure, List<String> mistakes) {
    return measure
        + " fell: "
        + String.join(" | ", FactSet.table(scores))
        + "\n"
        + String.join("\n", mistakes);
  }
}
