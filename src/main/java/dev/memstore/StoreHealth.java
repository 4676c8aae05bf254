package dev.memstore;

import java.util.List;

/**
 * The result of a health check. Immutable.
 *
 * <p>The score is 1 when nothing was found, 0 when SQLite's integrity check fails, and otherwise
 * falls by 0.2 per kind of problem found (down to 0.2): the file is readable but an index disagrees
 * with the memories or work is pending.
 *
 * @param score from 0 (the file is damaged) to 1 (no problem found)
 * @param integrityOk whether SQLite's integrity check ({@code quick_check}, or {@code
 *     integrity_check} for a full check) passed and every row an export reads could be read
 * @param fullTextConsistent whether the full-text index has exactly one row per memory and passes
 *     FTS5's own integrity check
 * @param vectorsConsistent whether the sqlite-vec table holds exactly the stored embeddings (true
 *     when sqlite-vec is not loaded: nothing to compare) and the sampled vectors match the file's
 *     model
 * @param memoriesWithoutEmbedding memories waiting to be embedded (0 without a model)
 * @param issues what was found, one sentence each; empty when healthy
 * @param warnings what needs attention without making the file unhealthy, one sentence each: a
 *     backup the store recorded, or the snapshot beside the file, made before a forget and still
 *     holding forgotten memories (see {@link Privacy#forget})
 */
public record StoreHealth(
    double score,
    boolean integrityOk,
    boolean fullTextConsistent,
    boolean vectorsConsistent,
    long memoriesWithoutEmbedding,
    List<String> issues,
    List<String> warnings) {
  public StoreHealth {
    issues = List.copyOf(issues);
    warnings = List.copyOf(warnings);
  }

  /** A health without warnings. */
  public StoreHealth(
      double score,
      boolean integrityOk,
      boolean fullTextConsistent,
      boolean vectorsConsistent,
      long memoriesWithoutEmbedding,
      List<String> issues) {
    this(
        score,
        integrityOk,
        fullTextConsistent,
        vectorsConsistent,
        memoriesWithoutEmbedding,
        issues,
        List.of());
  }

  /** Returns whether no problem was found; warnings do not count. */
  public boolean isHealthy() {
    return issues.isEmpty();
  }
}
