package dev.memstore;

import java.time.Duration;
import java.util.Objects;

/**
 * How search hits are ranked: {@code score = (1 - importanceWeight - recencyWeight) * relevance +
 * importanceWeight * importance + recencyWeight * recency}, where relevance fuses the semantic and
 * keyword matches with {@code semanticWeight} and recency halves every {@code recencyHalfLife}
 * since the memory was last used (or created). In hybrid search, a memory with a tag that the query
 * names has its relevance moved 70% of the way toward 1 (see {@link
 * SearchHit.ScoreParts#relevance()}).
 *
 * @param semanticWeight the share of semantic similarity in hybrid relevance, 0 to 1 (the rest is
 *     keyword)
 * @param importanceWeight the share of importance in the final score
 * @param recencyWeight the share of recency in the final score
 * @param recencyHalfLife the age at which recency is one half
 */
public record Ranking(
    double semanticWeight,
    double importanceWeight,
    double recencyWeight,
    Duration recencyHalfLife) {

  /**
   * The defaults: semantic weight 0.7, tuned for the default model on the benchmarks' tuning splits
   * (see BENCHMARKS.md; with {@code all-minilm-l6-v2-q}, 0.5 ranks better); importance 0.1, recency
   * 0.05, half-life 30 days.
   */
  public static final Ranking DEFAULT = new Ranking(0.7, 0.1, 0.05, Duration.ofDays(30));

  /**
   * @throws IllegalArgumentException if a weight is outside 0..1, the two score weights add up to 1
   *     or more, or the half-life is not positive
   */
  public Ranking {
    requireShare(semanticWeight, "semanticWeight");
    requireShare(importanceWeight, "importanceWeight");
    requireShare(recencyWeight, "recencyWeight");
    if (importanceWeight + recencyWeight >= 1) {
      throw new IllegalArgumentException(
          "importanceWeight + recencyWeight must be below 1 so relevance counts, was "
              + (importanceWeight + recencyWeight));
    }
    Objects.requireNonNull(recencyHalfLife, "recencyHalfLife");
    if (recencyHalfLife.isNegative() || recencyHalfLife.isZero()) {
      throw new IllegalArgumentException(
          "recencyHalfLife must be positive, was " + recencyHalfLife);
    }
  }

  private static void requireShare(double value, String name) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be between 0 and 1, was " + value);
    }
  }
}
