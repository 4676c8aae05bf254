package dev.memstore;

import java.util.Locale;
import java.util.Optional;

/**
 * How the hits of several queries combine into one ranking (seed 003's {@code aggregation_method}).
 */
public enum Aggregation {
  /** A memory's best score over the queries. */
  MAX,
  /** The mean of its scores, counting 0 for a query that did not find it. */
  MEAN,
  /** The weighted mean of its scores with the queries' weights (equal when none are given). */
  WEIGHTED_AVERAGE,
  /**
   * Reciprocal rank fusion: the sum over queries of weight / (60 + rank); robust to scores on
   * different scales.
   */
  RECIPROCAL_RANK_FUSION;

  /** Returns the name on the wire, for example {@code weighted_average}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Returns the method a wire name denotes; {@code rrf} also names reciprocal rank fusion. */
  public static Optional<Aggregation> fromName(String name) {
    String normalized = NameIndex.normalize(name);
    if (normalized.equals("rrf")) {
      return Optional.of(RECIPROCAL_RANK_FUSION);
    }
    for (Aggregation aggregation : values()) {
      if (aggregation.wireName().equals(normalized)) {
        return Optional.of(aggregation);
      }
    }
    return Optional.empty();
  }
}
