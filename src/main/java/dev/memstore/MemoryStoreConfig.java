package dev.memstore;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The settings a store was opened with, as validated by {@link MemoryStoreBuilder}. Immutable; two
 * configurations are equal when all their settings are.
 *
 * <p>Only {@link MemoryStoreBuilder} makes one; a class rather than a record, so that a new setting
 * breaks no caller.
 */
public final class MemoryStoreConfig {
  private final Path path;
  private final boolean readOnly;
  private final boolean createIfMissing;
  private final Embedder embedder;
  private final String embeddingModel;
  private final int maxContentBytes;
  private final Duration busyTimeout;
  private final Durability durability;
  private final Duration checkpointDelay;
  private final Duration snapshotInterval;
  private final int readerConnections;
  private final InstantSource clock;
  private final Ranking ranking;
  private final Consumer<ReembedProgress> reembed;
  private final RetentionPolicy retention;
  private final Summarizer summarizer;
  private final Extractor extractor;
  private final Duration maintenanceInterval;
  private final ScheduledExecutorService scheduler;
  private final long cacheSize;
  private final Duration cacheExpiry;
  private final int preloadImportant;
  private final Double consolidationThreshold;
  private final Duration consolidationWindow;
  private final Duration auditRetention;
  private final SensitiveText sensitiveText;
  private final Path encryptionKeyFile;
  private final int compressionThreshold;
  private final double profileShare;

  private MemoryStoreConfig(Builder builder) {
    path = Objects.requireNonNull(builder.path, "path");
    readOnly = builder.readOnly;
    createIfMissing = builder.createIfMissing;
    embedder = builder.embedder;
    embeddingModel = builder.embeddingModel;
    maxContentBytes = builder.maxContentBytes;
    busyTimeout = Objects.requireNonNull(builder.busyTimeout, "busyTimeout");
    durability = Objects.requireNonNull(builder.durability, "durability");
    checkpointDelay = Objects.requireNonNull(builder.checkpointDelay, "checkpointDelay");
    snapshotInterval = Objects.requireNonNull(builder.snapshotInterval, "snapshotInterval");
    readerConnections = builder.readerConnections;
    clock = Objects.requireNonNull(builder.clock, "clock");
    ranking = Objects.requireNonNull(builder.ranking, "ranking");
    reembed = builder.reembed;
    retention = Objects.requireNonNull(builder.retention, "retention");
    summarizer = builder.summarizer;
    extractor = builder.extractor;
    maintenanceInterval =
        Objects.requireNonNull(builder.maintenanceInterval, "maintenanceInterval");
    scheduler = builder.scheduler;
    cacheSize = builder.cacheSize;
    cacheExpiry = Objects.requireNonNull(builder.cacheExpiry, "cacheExpiry");
    preloadImportant = builder.preloadImportant;
    consolidationThreshold = builder.consolidationThreshold;
    consolidationWindow =
        Objects.requireNonNull(builder.consolidationWindow, "consolidationWindow");
    auditRetention = Objects.requireNonNull(builder.auditRetention, "auditRetention");
    sensitiveText = Objects.requireNonNull(builder.sensitiveText, "sensitiveText");
    encryptionKeyFile = builder.encryptionKeyFile;
    compressionThreshold = builder.compressionThreshold;
    profileShare = builder.profileShare;
  }

  /** Returns a builder with every setting null, zero or false, for {@link MemoryStoreBuilder}. */
  static Builder builder() {
    return new Builder();
  }

  /** Returns the database file. */
  public Path path() {
    return path;
  }

  /** Returns whether every write is refused. */
  public boolean readOnly() {
    return readOnly;
  }

  /** Returns whether a missing file is created. */
  public boolean createIfMissing() {
    return createIfMissing;
  }

  /**
   * Returns the custom embedder, or null to use the bundled model named by {@link
   * #embeddingModel()}.
   */
  public Embedder embedder() {
    return embedder;
  }

  /**
   * Returns the bundled embedding model's name, {@code none} for no embeddings, or null for the
   * file's own model, or for a new file the default ({@code bge-small-en-v1.5-q}).
   */
  public String embeddingModel() {
    return embeddingModel;
  }

  /** Returns the largest content accepted, in UTF-8 bytes. */
  public int maxContentBytes() {
    return maxContentBytes;
  }

  /** Returns how long a write waits for another process's write to finish. */
  public Duration busyTimeout() {
    return busyTimeout;
  }

  /** Returns how commits are synced. */
  public Durability durability() {
    return durability;
  }

  /**
   * Returns how long the store waits after its last write before it checkpoints the write-ahead log
   * into the database file and empties the log (while writes continue it folds the log into the
   * file every second).
   */
  public Duration checkpointDelay() {
    return checkpointDelay;
  }

  /**
   * Returns the least time between two snapshots of the file beside it ({@code
   * memory.db.snapshot}), made while there were writes; zero for none.
   */
  public Duration snapshotInterval() {
    return snapshotInterval;
  }

  /** Returns the most connections used for concurrent reads. */
  public int readerConnections() {
    return readerConnections;
  }

  /** Returns the source of the current time. */
  public InstantSource clock() {
    return clock;
  }

  /** Returns how search hits are ranked. */
  public Ranking ranking() {
    return ranking;
  }

  /**
   * Returns where to report the progress of re-embedding every memory with this store's model when
   * the file's vectors come from another model, or null to refuse to open such a file.
   */
  public Consumer<ReembedProgress> reembed() {
    return reembed;
  }

  /** Returns how memories fade, are promoted, expire and are pruned. */
  public RetentionPolicy retention() {
    return retention;
  }

  /** Returns the summarizer, or null for the extractive default. */
  public Summarizer summarizer() {
    return summarizer;
  }

  /** Returns the fact extractor, or null for the rule-based default. */
  public Extractor extractor() {
    return extractor;
  }

  /** Returns the time between background maintenance runs; zero for none. */
  public Duration maintenanceInterval() {
    return maintenanceInterval;
  }

  /** Returns the scheduler every background task runs on, or null for the store's own threads. */
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** Returns how many memories the read cache holds; 0 for no cache. */
  public long cacheSize() {
    return cacheSize;
  }

  /** Returns how long a memory stays cached after its last read. */
  public Duration cacheExpiry() {
    return cacheExpiry;
  }

  /** Returns how many of the most important memories are cached at open. */
  public int preloadImportant() {
    return preloadImportant;
  }

  /** Returns the similarity above which consolidation merges, or null for the model's default. */
  public Double consolidationThreshold() {
    return consolidationThreshold;
  }

  /**
   * Returns the share of a context pack's token budget its profile (the user's current facts) may
   * take, from 0 to 1; what the profile leaves goes to the rest of the pack.
   */
  public double profileShare() {
    return profileShare;
  }

  /** Returns how far apart in creation time merged memories may be. */
  public Duration consolidationWindow() {
    return consolidationWindow;
  }

  /** Returns how long audit entries are kept; zero for no audit trail. */
  public Duration auditRetention() {
    return auditRetention;
  }

  /** Returns what is done with content that looks like it holds a spoken secret. */
  public SensitiveText sensitiveText() {
    return sensitiveText;
  }

  /** Returns the file of the key that seals sensitive memories, or null for none. */
  public Path encryptionKeyFile() {
    return encryptionKeyFile;
  }

  /** Returns the UTF-8 size above which content is stored compressed; 0 for never. */
  public int compressionThreshold() {
    return compressionThreshold;
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof MemoryStoreConfig that
        && Objects.equals(path, that.path)
        && readOnly == that.readOnly
        && createIfMissing == that.createIfMissing
        && Objects.equals(embedder, that.embedder)
        && Objects.equals(embeddingModel, that.embeddingModel)
        && maxContentBytes == that.maxContentBytes
        && Objects.equals(busyTimeout, that.busyTimeout)
        && Objects.equals(durability, that.durability)
        && Objects.equals(checkpointDelay, that.checkpointDelay)
        && Objects.equals(snapshotInterval, that.snapshotInterval)
        && readerConnections == that.readerConnections
        && Objects.equals(clock, that.clock)
        && Objects.equals(ranking, that.ranking)
        && Objects.equals(reembed, that.reembed)
        && Objects.equals(retention, that.retention)
        && Objects.equals(summarizer, that.summarizer)
        && Objects.equals(extractor, that.extractor)
        && Objects.equals(maintenanceInterval, that.maintenanceInterval)
        && Objects.equals(scheduler, that.scheduler)
        && cacheSize == that.cacheSize
        && Objects.equals(cacheExpiry, that.cacheExpiry)
        && preloadImportant == that.preloadImportant
        && Objects.equals(consolidationThreshold, that.consolidationThreshold)
        && Objects.equals(consolidationWindow, that.consolidationWindow)
        && Objects.equals(auditRetention, that.auditRetention)
        && sensitiveText == that.sensitiveText
        && Objects.equals(encryptionKeyFile, that.encryptionKeyFile)
        && compressionThreshold == that.compressionThreshold
        && Double.compare(profileShare, that.profileShare) == 0;
  }

  @Override
  public int hashCode() {
    int result = 0;
    result = 31 * result + Objects.hashCode(path);
    result = 31 * result + Boolean.hashCode(readOnly);
    result = 31 * result + Boolean.hashCode(createIfMissing);
    result = 31 * result + Objects.hashCode(embedder);
    result = 31 * result + Objects.hashCode(embeddingModel);
    result = 31 * result + Integer.hashCode(maxContentBytes);
    result = 31 * result + Objects.hashCode(busyTimeout);
    result = 31 * result + Objects.hashCode(durability);
    result = 31 * result + Objects.hashCode(checkpointDelay);
    result = 31 * result + Objects.hashCode(snapshotInterval);
    result = 31 * result + Integer.hashCode(readerConnections);
    result = 31 * result + Objects.hashCode(clock);
    result = 31 * result + Objects.hashCode(ranking);
    result = 31 * result + Objects.hashCode(reembed);
    result = 31 * result + Objects.hashCode(retention);
    result = 31 * result + Objects.hashCode(summarizer);
    result = 31 * result + Objects.hashCode(extractor);
    result = 31 * result + Objects.hashCode(maintenanceInterval);
    result = 31 * result + Objects.hashCode(scheduler);
    result = 31 * result + Long.hashCode(cacheSize);
    result = 31 * result + Objects.hashCode(cacheExpiry);
    result = 31 * result + Integer.hashCode(preloadImportant);
    result = 31 * result + Objects.hashCode(consolidationThreshold);
    result = 31 * result + Objects.hashCode(consolidationWindow);
    result = 31 * result + Objects.hashCode(auditRetention);
    result = 31 * result + Objects.hashCode(sensitiveText);
    result = 31 * result + Objects.hashCode(encryptionKeyFile);
    result = 31 * result + Integer.hashCode(compressionThreshold);
    result = 31 * result + Double.hashCode(profileShare);
    return result;
  }

  @Override
  public String toString() {
    return "MemoryStoreConfig["
        + "path="
        + path
        + ", readOnly="
        + readOnly
        + ", createIfMissing="
        + createIfMissing
        + ", embedder="
        + embedder
        + ", embeddingModel="
        + embeddingModel
        + ", maxContentBytes="
        + maxContentBytes
        + ", busyTimeout="
        + busyTimeout
        + ", durability="
        + durability
        + ", checkpointDelay="
        + checkpointDelay
        + ", snapshotInterval="
        + snapshotInterval
        + ", readerConnections="
        + readerConnections
        + ", clock="
        + clock
        + ", ranking="
        + ranking
        + ", reembed="
        + reembed
        + ", retention="
        + retention
        + ", summarizer="
        + summarizer
        + ", extractor="
        + extractor
        + ", maintenanceInterval="
        + maintenanceInterval
        + ", scheduler="
        + scheduler
        + ", cacheSize="
        + cacheSize
        + ", cacheExpiry="
        + cacheExpiry
        + ", preloadImportant="
        + preloadImportant
        + ", consolidationThreshold="
        + consolidationThreshold
        + ", consolidationWindow="
        + consolidationWindow
        + ", auditRetention="
        + auditRetention
        + ", sensitiveText="
        + sensitiveText
        + ", encryptionKeyFile="
        + encryptionKeyFile
        + ", compressionThreshold="
        + compressionThreshold
        + ", profileShare="
        + profileShare
        + "]";
  }

  /** Builds a {@link MemoryStoreConfig} from values {@link MemoryStoreBuilder} has validated. */
  static final class Builder {
    private Path path;
    private boolean readOnly;
    private boolean createIfMissing;
    private Embedder embedder;
    private String embeddingModel;
    private int maxContentBytes;
    private Duration busyTimeout;
    private Durability durability;
    private Duration checkpointDelay;
    private Duration snapshotInterval;
    private int readerConnections;
    private InstantSource clock;
    private Ranking ranking;
    private Consumer<ReembedProgress> reembed;
    private RetentionPolicy retention;
    private Summarizer summarizer;
    private Extractor extractor;
    private Duration maintenanceInterval;
    private ScheduledExecutorService scheduler;
    private long cacheSize;
    private Duration cacheExpiry;
    private int preloadImportant;
    private Double consolidationThreshold;
    private Duration consolidationWindow;
    private Duration auditRetention;
    private SensitiveText sensitiveText;
    private Path encryptionKeyFile;
    private int compressionThreshold;
    private double profileShare = 0.25;

    private Builder() {}

    /** Sets the value of {@link MemoryStoreConfig#path()}. */
    Builder path(Path path) {
      this.path = path;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#readOnly()}. */
    Builder readOnly(boolean readOnly) {
      this.readOnly = readOnly;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#createIfMissing()}. */
    Builder createIfMissing(boolean createIfMissing) {
      this.createIfMissing = createIfMissing;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#embedder()}. */
    Builder embedder(Embedder embedder) {
      this.embedder = embedder;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#embeddingModel()}. */
    Builder embeddingModel(String embeddingModel) {
      this.embeddingModel = embeddingModel;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#maxContentBytes()}. */
    Builder maxContentBytes(int maxContentBytes) {
      this.maxContentBytes = maxContentBytes;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#busyTimeout()}. */
    Builder busyTimeout(Duration busyTimeout) {
      this.busyTimeout = busyTimeout;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#durability()}. */
    Builder durability(Durability durability) {
      this.durability = durability;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#checkpointDelay()}. */
    Builder checkpointDelay(Duration checkpointDelay) {
      this.checkpointDelay = checkpointDelay;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#snapshotInterval()}. */
    Builder snapshotInterval(Duration snapshotInterval) {
      this.snapshotInterval = snapshotInterval;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#readerConnections()}. */
    Builder readerConnections(int readerConnections) {
      this.readerConnections = readerConnections;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#clock()}. */
    Builder clock(InstantSource clock) {
      this.clock = clock;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#ranking()}. */
    Builder ranking(Ranking ranking) {
      this.ranking = ranking;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#reembed()}. */
    Builder reembed(Consumer<ReembedProgress> reembed) {
      this.reembed = reembed;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#retention()}. */
    Builder retention(RetentionPolicy retention) {
      this.retention = retention;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#summarizer()}. */
    Builder summarizer(Summarizer summarizer) {
      this.summarizer = summarizer;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#extractor()}. */
    Builder extractor(Extractor extractor) {
      this.extractor = extractor;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#maintenanceInterval()}. */
    Builder maintenanceInterval(Duration maintenanceInterval) {
      this.maintenanceInterval = maintenanceInterval;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#scheduler()}. */
    Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#cacheSize()}. */
    Builder cacheSize(long cacheSize) {
      this.cacheSize = cacheSize;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#cacheExpiry()}. */
    Builder cacheExpiry(Duration cacheExpiry) {
      this.cacheExpiry = cacheExpiry;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#preloadImportant()}. */
    Builder preloadImportant(int preloadImportant) {
      this.preloadImportant = preloadImportant;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#consolidationThreshold()}. */
    Builder consolidationThreshold(Double consolidationThreshold) {
      this.consolidationThreshold = consolidationThreshold;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#profileShare()}. */
    Builder profileShare(double profileShare) {
      this.profileShare = profileShare;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#consolidationWindow()}. */
    Builder consolidationWindow(Duration consolidationWindow) {
      this.consolidationWindow = consolidationWindow;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#auditRetention()}. */
    Builder auditRetention(Duration auditRetention) {
      this.auditRetention = auditRetention;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#sensitiveText()}. */
    Builder sensitiveText(SensitiveText sensitiveText) {
      this.sensitiveText = sensitiveText;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#encryptionKeyFile()}. */
    Builder encryptionKeyFile(Path encryptionKeyFile) {
      this.encryptionKeyFile = encryptionKeyFile;
      return this;
    }

    /** Sets the value of {@link MemoryStoreConfig#compressionThreshold()}. */
    Builder compressionThreshold(int compressionThreshold) {
      this.compressionThreshold = compressionThreshold;
      return this;
    }

    /**
     * Returns the configuration.
     *
     * @throws NullPointerException if a setting that has no "null for" meaning is missing
     */
    MemoryStoreConfig build() {
      return new MemoryStoreConfig(this);
    }
  }
}
