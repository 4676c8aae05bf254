package dev.memstore;

import java.util.List;

/**
 * What an export wrote or an import read. Immutable.
 *
 * @param sessions sessions written or imported
 * @param memories memories written or imported (with their history)
 * @param relationships relationships written or imported
 * @param contextGroups context groups written or imported (with their members)
 * @param skippedLines the lines an import skipped, each "line N: why"; empty for an export
 * @param awaitingEmbedding imported memories still without a vector for this store's model when the
 *     import returned, because the model failed: embedded later (see {@link
 *     Embeddings#embedPending})
 */
public record TransferReport(
    long sessions,
    long memories,
    long relationships,
    long contextGroups,
    List<String> skippedLines,
    long awaitingEmbedding,
    List<String> forgottenRefused) {
  public TransferReport {
    skippedLines = List.copyOf(skippedLines);
    forgottenRefused = List.copyOf(forgottenRefused);
  }

  /** A report that refused no forgotten memory. */
  public TransferReport(
      long sessions,
      long memories,
      long relationships,
      long contextGroups,
      List<String> skippedLines,
      long awaitingEmbedding) {
    this(
        sessions,
        memories,
        relationships,
        contextGroups,
        skippedLines,
        awaitingEmbedding,
        List.of());
  }
}
