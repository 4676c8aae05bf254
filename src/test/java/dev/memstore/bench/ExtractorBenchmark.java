package dev.memstore.bench;

import dev.memstore.internal.lifecycle.RuleExtractor;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Precision and recall of the rule-based extractor's fact keys and supersessions on the labelled
 * statements of src/test/resources/facts/statements.jsonl (written for this project; see {@link
 * FactSet} for how it counts). Needs no data beside the checkout. ExtractorPrecisionTest holds the
 * floor that a change must keep.
 */
@Tag("benchmark")
class ExtractorBenchmark {
  @Test
  void ruleExtractor_labelledStatements() throws Exception {
    List<FactSet.Statement> statements = FactSet.load();
    FactSet.Scores scores = FactSet.score(new RuleExtractor(), statements);
    long changes = statements.stream().filter(statement -> !statement.prior().isEmpty()).count();
    long nearMisses = statements.stream().filter(statement -> statement.keys().isEmpty()).count();
    BenchmarkReport report =
        new BenchmarkReport("extractor", "Fact keys and supersession (rule-based extractor)");
    report.line(
        statements.size()
            + " first-person statements written for memstore"
            + " (src/test/resources/facts/statements.jsonl): "
            + changes
            + " follow prior statements (changes, repeats, new facts beside known ones), "
            + nearMisses
            + " must get no key (questions, hypotheticals, other people's facts, negations,"
            + " jokes, values of the wrong shape). Each statement is decided against the facts"
            + " its priors left current.");
    report.line("");
    FactSet.table(scores).forEach(report::line);
    report.line("");
    report.line(
        "The last 48 statements (group \"second batch\") were written after the rules; run before"
            + " any rule changed for them, they scored key precision 0.955 and recall 0.677,"
            + " supersession precision 1.000 and recall 0.923: expect about that on new phrasings.");
    report.write();
    scores.mistakes().forEach(mistake -> System.out.println("  " + mistake));
  }
}
