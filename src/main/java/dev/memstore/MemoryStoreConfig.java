package dev.memstore;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The settings a store was opened with, as validated by {@link MemoryStoreBuilder}. Immutable.
 *
 * @param path the database file
 * @param readOnly whether every write is refused
 * @param createIfMissing whether a missing file is created
 * @param embedder a custom embedder, or null to use the bundled model named by {@code
 *     embeddingModel}
 * @param embeddingModel the bundled embedding model's name, {@code none} for no embeddings, or null
 *     for the default ({@code all-minilm-l6-v2-q})
 * @param maxContentBytes the largest content accepted, in UTF-8 bytes
 * @param busyTimeout how long a write waits for another process's write to finish
 * @param durability how commits are synced
 * @param checkpointDelay how long the store waits after its last write before it checkpoints the
 *     write-ahead log into the database file (after which copying the file alone is safe)
 * @param readerConnections the most connections used for concurrent reads
 * @param clock the source of the current time
 * @param ranking how search hits are ranked
 * @param reembed when the file's vectors come from another model: null to refuse to open it, or
 *     where to report the progress of re-embedding every memory with this store's model
 */
public record MemoryStoreConfig(
    Path path,
    boolean readOnly,
    boolean createIfMissing,
    Embedder embedder,
    String embeddingModel,
    int maxContentBytes,
    Duration busyTimeout,
    Durability durability,
    Duration checkpointDelay,
    int readerConnections,
    InstantSource clock,
    Ranking ranking,
    Consumer<ReembedProgress> reembed) {

  public MemoryStoreConfig {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(busyTimeout, "busyTimeout");
    Objects.requireNonNull(durability, "durability");
    Objects.requireNonNull(checkpointDelay, "checkpointDelay");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(ranking, "ranking");
  }
}
