package dev.memstore;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
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
 *     for the file's own model, or for a new file the default ({@code bge-small-en-v1.5-q})
 * @param maxContentBytes the largest content accepted, in UTF-8 bytes
 * @param busyTimeout how long a write waits for another process's write to finish
 * @param durability how commits are synced
 * @param checkpointDelay how long the store waits after its last write before it checkpoints the
 *     write-ahead log into the database file and empties the log (while writes continue it folds
 *     the log into the file every second)
 * @param snapshotInterval the least time between two snapshots of the file beside it ({@code
 *     memory.db.snapshot}), made while there were writes; zero for none
 * @param readerConnections the most connections used for concurrent reads
 * @param clock the source of the current time
 * @param ranking how search hits are ranked
 * @param reembed when the file's vectors come from another model: null to refuse to open it, or
 *     where to report the progress of re-embedding every memory with this store's model
 * @param retention how memories fade, are promoted, expire and are pruned
 * @param summarizer the summarizer, or null for the extractive default
 * @param extractor the fact extractor, or null for the rule-based default
 * @param maintenanceInterval the time between background maintenance runs; zero for none
 * @param maintenanceExecutor where background maintenance runs, or null for the store's own thread
 * @param cacheSize how many memories the read cache holds; 0 for no cache
 * @param cacheExpiry how long a memory stays cached after its last read
 * @param preloadImportant how many of the most important memories are cached at open
 * @param consolidationThreshold the similarity above which consolidation merges, or null for the
 *     model's default
 * @param consolidationWindow how far apart in creation time merged memories may be
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
    Duration snapshotInterval,
    int readerConnections,
    InstantSource clock,
    Ranking ranking,
    Consumer<ReembedProgress> reembed,
    RetentionPolicy retention,
    Summarizer summarizer,
    Extractor extractor,
    Duration maintenanceInterval,
    ScheduledExecutorService maintenanceExecutor,
    long cacheSize,
    Duration cacheExpiry,
    int preloadImportant,
    Double consolidationThreshold,
    Duration consolidationWindow) {

  public MemoryStoreConfig {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(busyTimeout, "busyTimeout");
    Objects.requireNonNull(durability, "durability");
    Objects.requireNonNull(checkpointDelay, "checkpointDelay");
    Objects.requireNonNull(snapshotInterval, "snapshotInterval");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(ranking, "ranking");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(maintenanceInterval, "maintenanceInterval");
    Objects.requireNonNull(cacheExpiry, "cacheExpiry");
    Objects.requireNonNull(consolidationWindow, "consolidationWindow");
  }
}
