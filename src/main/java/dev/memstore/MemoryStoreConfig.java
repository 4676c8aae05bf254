package dev.memstore;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * The settings a store was opened with, as validated by {@link MemoryStoreBuilder}. Immutable.
 *
 * @param path the database file
 * @param readOnly whether every write is refused
 * @param createIfMissing whether a missing file is created
 * @param embedder the embedder of new content, or null to store memories without embeddings
 * @param maxContentBytes the largest content accepted, in UTF-8 bytes
 * @param busyTimeout how long a write waits for another process's write to finish
 * @param durability how commits are synced
 * @param checkpointDelay how long the store waits after its last write before it checkpoints the
 *     write-ahead log into the database file (after which copying the file alone is safe)
 * @param readerConnections the most connections used for concurrent reads
 * @param clock the source of the current time
 */
public record MemoryStoreConfig(
    Path path,
    boolean readOnly,
    boolean createIfMissing,
    Embedder embedder,
    int maxContentBytes,
    Duration busyTimeout,
    Durability durability,
    Duration checkpointDelay,
    int readerConnections,
    InstantSource clock) {

  public MemoryStoreConfig {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(busyTimeout, "busyTimeout");
    Objects.requireNonNull(durability, "durability");
    Objects.requireNonNull(checkpointDelay, "checkpointDelay");
    Objects.requireNonNull(clock, "clock");
  }
}
