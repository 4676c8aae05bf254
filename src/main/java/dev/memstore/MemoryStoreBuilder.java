package dev.memstore;

import dev.memstore.internal.access.AgentAccess;
import dev.memstore.internal.config.ConfigFile;
import dev.memstore.internal.store.StoreOpener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Configures and opens a {@link MemoryStore}. Each option may be set once; a bad value fails at
 * once with an {@link IllegalArgumentException} naming it. Not thread-safe.
 *
 * <pre>{@code
 * try (MemoryStore store = MemoryStore.builder(Path.of("memory.db"))
 *     .durability(Durability.NORMAL)
 *     .build()) {
 *   store.create(NewMemory.of("The user's birthday is March 15th"));
 * }
 * }</pre>
 */
public final class MemoryStoreBuilder {
  /** The default content limit: 1 MiB of UTF-8. */
  public static final int DEFAULT_MAX_CONTENT_BYTES = 1 << 20;

  /**
   * The default busy timeout: 10 s, generous because a concurrent {@code memctl prune} may write
   * for a while.
   */
  public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(10);

  /** The default checkpoint delay: 250 ms after the last write. */
  public static final Duration DEFAULT_CHECKPOINT_DELAY = Duration.ofMillis(250);

  /** The default least time between two snapshots beside the file: 10 min. */
  public static final Duration DEFAULT_SNAPSHOT_INTERVAL = Duration.ofMinutes(10);

  /** The default number of reader connections. */
  public static final int DEFAULT_READER_CONNECTIONS = 4;

  /** The default time between maintenance runs: 1 h. */
  public static final Duration DEFAULT_MAINTENANCE_INTERVAL = Duration.ofHours(1);

  /** The default number of memories the read cache holds. */
  public static final long DEFAULT_CACHE_SIZE = 10_000;

  /** The default time a cached memory stays cached after its last read: 10 min. */
  public static final Duration DEFAULT_CACHE_EXPIRY = Duration.ofMinutes(10);

  /** The default time window of consolidation: memories created within 30 days of each other. */
  public static final Duration DEFAULT_CONSOLIDATION_WINDOW = Duration.ofDays(30);

  /** The default share of a context pack's budget its profile may take: a quarter. */
  public static final double DEFAULT_PROFILE_SHARE = 0.25;

  /** The default time audit entries are kept: 30 days. */
  public static final Duration DEFAULT_AUDIT_RETENTION = Duration.ofDays(30);

  /** The compression threshold when none is set: content above 4 KiB of UTF-8 is compressed. */
  public static final int DEFAULT_COMPRESSION_THRESHOLD = 4096;

  private final Path path;
  private Boolean readOnly;
  private Boolean createIfMissing;
  private Embedder embedder;
  private String embeddingModel;
  private Ranking ranking;
  private Consumer<ReembedProgress> reembed;
  private Integer maxContentBytes;
  private Duration busyTimeout;
  private Durability durability;
  private Duration checkpointDelay;
  private Duration snapshotInterval;
  private Integer readerConnections;
  private InstantSource clock;
  private RetentionPolicy retention;
  private Summarizer summarizer;
  private Extractor extractor;
  private Duration maintenanceInterval;
  private ScheduledExecutorService scheduler;
  private Long cacheSize;
  private Duration cacheExpiry;
  private Integer preloadImportant;
  private Double consolidationThreshold;
  private Duration consolidationWindow;
  private Duration auditRetention;
  private SensitiveText sensitiveText;
  private Path encryptionKeyFile;
  private Integer compressionThreshold;
  private Double profileShare;
  private AccessPolicy accessPolicy;
  private String agentName;
  private char[] agentSecret;

  MemoryStoreBuilder(Path path) {
    this.path = Objects.requireNonNull(path, "path");
  }

  /**
   * Returns a builder configured by a {@code memory_config.yaml} file whose {@code path} key names
   * the database (relative to the file's folder). Options it does not set may still be set in code.
   *
   * @throws IllegalArgumentException naming the file and key, when the file cannot be read, has no
   *     {@code path}, or has an unknown key or a bad value
   */
  public static MemoryStoreBuilder fromConfigFile(Path configFile) {
    ConfigFile config = ConfigFile.read(configFile);
    Path database = config.databasePath(configFile);
    if (database == null) {
      throw new IllegalArgumentException(
          configFile + ": path is missing; name the database file, or use configFile()");
    }
    return new MemoryStoreBuilder(database).apply(configFile, config.options(), false);
  }

  /**
   * Applies the options of a {@code memory_config.yaml} file (README lists every key and default).
   * Each key maps to the builder method of the same name in snake case; setting an option both in
   * the file and in code fails, as setting it twice in code does. A {@code path} key is ignored.
   *
   * @throws IllegalArgumentException naming the file and key, on an unknown key or a bad value
   */
  public MemoryStoreBuilder configFile(Path configFile) {
    return apply(configFile, ConfigFile.read(configFile).options(), false);
  }

  /**
   * Applies the options of a {@code memory_config.yaml} file that are not set yet, as {@link
   * #configFile} does for all of them: the options set in code before this call win over the file,
   * as a command line's options win over its config file. Call it after those options; one set
   * after it that the file also sets fails as setting it twice does. A {@code path} key is ignored.
   *
   * @throws IllegalArgumentException naming the file and key, on an unknown key or a bad value
   */
  public MemoryStoreBuilder configFileDefaults(Path configFile) {
    return apply(configFile, ConfigFile.read(configFile).options(), true);
  }

  /**
   * Applies a config file's typed values through the setters, naming the file and key on failure;
   * with {@code onlyUnset}, skips each option already set (an embedder counts as a model).
   */
  private MemoryStoreBuilder apply(
      Path configFile, Map<String, Object> options, boolean onlyUnset) {
    for (Map.Entry<String, Object> option : options.entrySet()) {
      if (onlyUnset && isSet(option.getKey())) {
        continue;
      }
      Object value = option.getValue();
      try {
        switch (option.getKey()) {
          case "read_only" -> readOnly((Boolean) value);
          case "create_if_missing" -> createIfMissing((Boolean) value);
          case "embedding_model" -> embeddingModel((String) value);
          case "max_content_bytes" -> maxContentBytes((Integer) value);
          case "busy_timeout" -> busyTimeout((Duration) value);
          case "durability" -> durability((Durability) value);
          case "checkpoint_delay" -> checkpointDelay((Duration) value);
          case "snapshot_interval" -> snapshotInterval((Duration) value);
          case "reader_connections" -> readerConnections((Integer) value);
          case "maintenance_interval" -> maintenanceInterval((Duration) value);
          case "cache_size" -> cacheSize((Integer) value);
          case "cache_expiry" -> cacheExpiry((Duration) value);
          case "preload_important" -> preloadImportant((Integer) value);
          case "consolidation_threshold" -> consolidationThreshold((Double) value);
          case "consolidation_window" -> consolidationWindow((Duration) value);
          case "encryption_key_file" ->
              encryptionKey(
                  configFile.toAbsolutePath().getParent().resolve(Path.of((String) value)));
          case "compression_threshold" -> compressionThreshold((Integer) value);
          case "profile_share" -> profileShare((Double) value);
          case "ranking" -> ranking((Ranking) value);
          case "retention" -> retention((RetentionPolicy) value);
          case "audit_retention" -> auditRetention((Duration) value);
          case "sensitive_text" -> sensitiveText((SensitiveText) value);
          case "agents" -> accessPolicy((AccessPolicy) value);
          default -> throw new IllegalStateException("no builder method for " + option.getKey());
        }
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new IllegalArgumentException(
            configFile + ": " + option.getKey() + " " + e.getMessage(), e);
      }
    }
    return this;
  }

  /** Whether the option of this config-file key has been set, in code or by a file. */
  private boolean isSet(String option) {
    Object current =
        switch (option) {
          case "read_only" -> readOnly;
          case "create_if_missing" -> createIfMissing;
          case "embedding_model" -> embeddingModel != null ? embeddingModel : embedder;
          case "max_content_bytes" -> maxContentBytes;
          case "busy_timeout" -> busyTimeout;
          case "durability" -> durability;
          case "checkpoint_delay" -> checkpointDelay;
          case "snapshot_interval" -> snapshotInterval;
          case "reader_connections" -> readerConnections;
          case "maintenance_interval" -> maintenanceInterval;
          case "cache_size" -> cacheSize;
          case "cache_expiry" -> cacheExpiry;
          case "preload_important" -> preloadImportant;
          case "consolidation_threshold" -> consolidationThreshold;
          case "consolidation_window" -> consolidationWindow;
          case "encryption_key_file" -> encryptionKeyFile;
          case "compression_threshold" -> compressionThreshold;
          case "profile_share" -> profileShare;
          case "ranking" -> ranking;
          case "retention" -> retention;
          case "audit_retention" -> auditRetention;
          case "sensitive_text" -> sensitiveText;
          case "agents" -> accessPolicy;
          default -> throw new IllegalStateException("no builder method for " + option);
        };
    return current != null;
  }

  /** Refuses every write; the file is opened read-only. Default: false. */
  public MemoryStoreBuilder readOnly(boolean readOnly) {
    requireUnset(this.readOnly, "readOnly");
    this.readOnly = readOnly;
    return this;
  }

  /**
   * Whether a missing file is created; when false, opening a missing file fails. Default: true
   * unless read-only.
   */
  public MemoryStoreBuilder createIfMissing(boolean createIfMissing) {
    requireUnset(this.createIfMissing, "createIfMissing");
    this.createIfMissing = createIfMissing;
    return this;
  }

  /**
   * Embeds content with a model of your own instead of a bundled one. Cannot be combined with
   * {@link #embeddingModel}.
   */
  public MemoryStoreBuilder embedder(Embedder embedder) {
    requireUnset(this.embedder, "embedder");
    Objects.requireNonNull(embedder, "embedder");
    if (embedder.dimension() <= 0) {
      throw new IllegalArgumentException(
          "embedder " + embedder.modelId() + " has dimension " + embedder.dimension());
    }
    this.embedder = embedder;
    return this;
  }

  /**
   * Embeds content with a bundled model: {@code bge-small-en-v1.5-q} (the default, more accurate)
   * or {@code all-minilm-l6-v2-q} (about twice as fast on a short query, four to six times on long
   * texts); or {@code none} to store memories without embeddings (search is then keyword only).
   * Models load on first use. Default: the model of the file's vectors, or for a new file {@code
   * bge-small-en-v1.5-q}.
   */
  public MemoryStoreBuilder embeddingModel(String name) {
    requireUnset(this.embeddingModel, "embeddingModel");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          "embeddingModel must name a model or be 'none', was '" + name + "'");
    }
    this.embeddingModel = name;
    return this;
  }

  /**
   * When the file's vectors come from another embedding model, re-embeds every memory with this
   * store's model while opening, reporting progress, instead of refusing the file. Resumable: a run
   * that is interrupted (even killed) keeps what it embedded, and the next open with this option
   * goes on from there. Until it completes, the file keeps its old vectors and model. Other
   * processes should close the store first: their semantic searches would compare their model's
   * queries with the new vectors.
   */
  public MemoryStoreBuilder reembedIfModelChanged(Consumer<ReembedProgress> progress) {
    requireUnset(this.reembed, "reembedIfModelChanged");
    this.reembed = Objects.requireNonNull(progress, "progress");
    return this;
  }

  /** How search hits are ranked. Default: {@link Ranking#DEFAULT}. */
  public MemoryStoreBuilder ranking(Ranking ranking) {
    requireUnset(this.ranking, "ranking");
    this.ranking = Objects.requireNonNull(ranking, "ranking");
    return this;
  }

  /** The largest content accepted, in UTF-8 bytes, 1 to 64 MiB. Default: 1 MiB. */
  public MemoryStoreBuilder maxContentBytes(int maxContentBytes) {
    requireUnset(this.maxContentBytes, "maxContentBytes");
    if (maxContentBytes < 1 || maxContentBytes > (64 << 20)) {
      throw new IllegalArgumentException(
          "maxContentBytes must be between 1 and " + (64 << 20) + ", was " + maxContentBytes);
    }
    this.maxContentBytes = maxContentBytes;
    return this;
  }

  /** How long a write waits for another process's write, 0 to 10 min. Default: 10 s. */
  public MemoryStoreBuilder busyTimeout(Duration busyTimeout) {
    requireUnset(this.busyTimeout, "busyTimeout");
    requireBetween(busyTimeout, Duration.ZERO, Duration.ofMinutes(10), "busyTimeout");
    this.busyTimeout = busyTimeout;
    return this;
  }

  /** How commits are synced to disk. Default: {@link Durability#FULL}. */
  public MemoryStoreBuilder durability(Durability durability) {
    requireUnset(this.durability, "durability");
    this.durability = Objects.requireNonNull(durability, "durability");
    return this;
  }

  /**
   * How long after its last write the store checkpoints the write-ahead log into the database file
   * and empties the log, 10 ms to 1 h. Default: 250 ms. While writes continue, the log is folded
   * into the file every second regardless.
   */
  public MemoryStoreBuilder checkpointDelay(Duration checkpointDelay) {
    requireUnset(this.checkpointDelay, "checkpointDelay");
    requireBetween(checkpointDelay, Duration.ofMillis(10), Duration.ofHours(1), "checkpointDelay");
    this.checkpointDelay = checkpointDelay;
    return this;
  }

  /**
   * The least time between two snapshots of the store kept beside its file ({@code
   * memory.db.snapshot}: a verified, complete copy, written when there were writes since the last
   * one, and at close), 1 s to 30 days, or zero for none. Default: 10 min. A plain copy of the
   * database file taken while the store writes it can be torn; with the snapshot, a copy of the
   * folder always holds one complete file, and {@code memctl doctor} says when to restore it.
   */
  public MemoryStoreBuilder snapshotInterval(Duration snapshotInterval) {
    requireUnset(this.snapshotInterval, "snapshotInterval");
    Objects.requireNonNull(snapshotInterval, "snapshotInterval");
    if (!snapshotInterval.isZero()) {
      requireBetween(
          snapshotInterval, Duration.ofSeconds(1), Duration.ofDays(30), "snapshotInterval");
    }
    this.snapshotInterval = snapshotInterval;
    return this;
  }

  /** The most connections used for concurrent reads, 1 to 64. Default: 4. */
  public MemoryStoreBuilder readerConnections(int readerConnections) {
    requireUnset(this.readerConnections, "readerConnections");
    if (readerConnections < 1 || readerConnections > 64) {
      throw new IllegalArgumentException(
          "readerConnections must be between 1 and 64, was " + readerConnections);
    }
    this.readerConnections = readerConnections;
    return this;
  }

  /** The source of the current time, for tests and simulations. Default: the system clock. */
  public MemoryStoreBuilder clock(InstantSource clock) {
    requireUnset(this.clock, "clock");
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * How memories fade, are promoted, expire and are pruned. Default: {@link
   * RetentionPolicy#DEFAULT}.
   */
  public MemoryStoreBuilder retention(RetentionPolicy retention) {
    requireUnset(this.retention, "retention");
    this.retention = Objects.requireNonNull(retention, "retention");
    return this;
  }

  /** Writes summaries. Default: the extractive summarizer (no language model). */
  public MemoryStoreBuilder summarizer(Summarizer summarizer) {
    requireUnset(this.summarizer, "summarizer");
    this.summarizer = Objects.requireNonNull(summarizer, "summarizer");
    return this;
  }

  /** Finds facts in an interaction. Default: the rule-based extractor of first-person facts. */
  public MemoryStoreBuilder extractor(Extractor extractor) {
    requireUnset(this.extractor, "extractor");
    this.extractor = Objects.requireNonNull(extractor, "extractor");
    return this;
  }

  /**
   * The time between background maintenance runs (see {@link MemoryLifecycle#runMaintenance}), 1 s
   * to 7 days, or zero for none. Default: 1 h; none for a read-only store.
   */
  public MemoryStoreBuilder maintenanceInterval(Duration maintenanceInterval) {
    requireUnset(this.maintenanceInterval, "maintenanceInterval");
    Objects.requireNonNull(maintenanceInterval, "maintenanceInterval");
    if (!maintenanceInterval.isZero()) {
      requireBetween(
          maintenanceInterval, Duration.ofSeconds(1), Duration.ofDays(7), "maintenanceInterval");
    }
    this.maintenanceInterval = maintenanceInterval;
    return this;
  }

  /**
   * Runs every background task of the store on this scheduler instead of the store's own threads:
   * the log folds and snapshots, maintenance, access-count flushes, the embedding backlog, the
   * cache preload, reading other stores' changes for listeners, and the start of index builds.
   * Delays are then measured on the store's {@link #clock}, so that a test that controls both
   * decides when each task runs. The store cancels its tasks on close but does not shut the
   * scheduler down. Default: the store's own two threads, stopped by close.
   */
  public MemoryStoreBuilder scheduler(ScheduledExecutorService scheduler) {
    requireUnset(this.scheduler, "scheduler");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    return this;
  }

  /** How many memories the read cache holds, 0 (no cache) to 10 million. Default: 10,000. */
  public MemoryStoreBuilder cacheSize(long cacheSize) {
    requireUnset(this.cacheSize, "cacheSize");
    if (cacheSize < 0 || cacheSize > 10_000_000) {
      throw new IllegalArgumentException(
          "cacheSize must be between 0 and 10000000, was " + cacheSize);
    }
    this.cacheSize = cacheSize;
    return this;
  }

  /** How long a memory stays cached after its last read, 1 s to 1 day. Default: 10 min. */
  public MemoryStoreBuilder cacheExpiry(Duration cacheExpiry) {
    requireUnset(this.cacheExpiry, "cacheExpiry");
    requireBetween(cacheExpiry, Duration.ofSeconds(1), Duration.ofDays(1), "cacheExpiry");
    this.cacheExpiry = cacheExpiry;
    return this;
  }

  /**
   * Loads the this many most important memories into the cache at open, in the background, 0 to the
   * cache size. Default: 0.
   */
  public MemoryStoreBuilder preloadImportant(int preloadImportant) {
    requireUnset(this.preloadImportant, "preloadImportant");
    if (preloadImportant < 0) {
      throw new IllegalArgumentException(
          "preloadImportant must not be negative, was " + preloadImportant);
    }
    this.preloadImportant = preloadImportant;
    return this;
  }

  /**
   * The cosine similarity above which consolidation merges two memories, 0.5 to 1. Default: the
   * model's own (0.92 for all-minilm-l6-v2-q, 0.95 for bge-small-en-v1.5-q and otherwise).
   */
  public MemoryStoreBuilder consolidationThreshold(double consolidationThreshold) {
    requireUnset(this.consolidationThreshold, "consolidationThreshold");
    if (!(consolidationThreshold >= 0.5 && consolidationThreshold <= 1)) {
      throw new IllegalArgumentException(
          "consolidationThreshold must be between 0.5 and 1, was " + consolidationThreshold);
    }
    this.consolidationThreshold = consolidationThreshold;
    return this;
  }

  /**
   * The share of a context pack's token budget, from 0 to 1, that the user's profile (current
   * facts, most important first) may take; what it leaves goes to the rest. Default: 0.25.
   */
  public MemoryStoreBuilder profileShare(double profileShare) {
    requireUnset(this.profileShare, "profileShare");
    if (!(profileShare >= 0 && profileShare <= 1)) {
      throw new IllegalArgumentException(
          "profileShare must be between 0 and 1, was " + profileShare);
    }
    this.profileShare = profileShare;
    return this;
  }

  /** How far apart in creation time two memories may be and still merge. Default: 30 days. */
  public MemoryStoreBuilder consolidationWindow(Duration consolidationWindow) {
    requireUnset(this.consolidationWindow, "consolidationWindow");
    requireBetween(
        consolidationWindow, Duration.ofMinutes(1), Duration.ofDays(36_500), "consolidationWindow");
    this.consolidationWindow = consolidationWindow;
    return this;
  }

  /**
   * How long the audit trail keeps its entries (every operation's time, agent, action, memory ids
   * and outcome; never content or query text), 1 minute to 100 years, or zero to keep no audit
   * trail. Older entries are removed by maintenance runs. Default: 30 days.
   */
  public MemoryStoreBuilder auditRetention(Duration auditRetention) {
    requireUnset(this.auditRetention, "auditRetention");
    Objects.requireNonNull(auditRetention, "auditRetention");
    if (!auditRetention.isZero()) {
      requireBetween(
          auditRetention, Duration.ofMinutes(1), Duration.ofDays(36_500), "auditRetention");
    }
    this.auditRetention = auditRetention;
    return this;
  }

  /**
   * Which agents may use the store and what each may do. The store saves the policy in its file
   * (secret hashes, never secrets), replacing any saved before; a store opened without a policy
   * obeys the one saved in its file, and without either has one trusted agent with every right.
   * Default: none. In a config file, the {@code agents} and {@code default_agent} keys.
   */
  public MemoryStoreBuilder accessPolicy(AccessPolicy accessPolicy) {
    requireUnset(this.accessPolicy, "accessPolicy");
    this.accessPolicy = Objects.requireNonNull(accessPolicy, "accessPolicy");
    return this;
  }

  /**
   * What the store does with new or changed content that looks like it holds a spoken secret (a
   * PIN, a payment card number, a password or an IBAN): store it, refuse it, or seal it. Default:
   * {@link SensitiveText#ALLOW}.
   */
  public MemoryStoreBuilder sensitiveText(SensitiveText sensitiveText) {
    requireUnset(this.sensitiveText, "sensitiveText");
    this.sensitiveText = Objects.requireNonNull(sensitiveText, "sensitiveText");
    return this;
  }

  /**
   * Opens the store as this agent of the access policy, which must present this secret when the
   * policy gives it a secret hash (null for none). Default: the policy's default agent. The builder
   * keeps a copy of the secret until {@link #build}, which clears it.
   */
  public MemoryStoreBuilder agent(String name, char[] secretOrNull) {
    requireUnset(this.agentName, "agent");
    this.agentName = AgentPolicy.builder(name).build().name();
    this.agentSecret = secretOrNull == null ? null : secretOrNull.clone();
    return this;
  }

  /**
   * Seals sensitive memories with the key in this file: 32 random bytes, raw or in base64 ({@code
   * memctl key new FILE} writes one). The file must be readable by its owner only on POSIX systems;
   * the first store that seals a memory records the key's id, and opening the store with another
   * key then fails. Without a key the store opens and every memory but the sealed ones works.
   * Default: the file {@code $MEMSTORE_KEY_FILE} names, else none.
   */
  public MemoryStoreBuilder encryptionKey(Path keyFile) {
    requireUnset(this.encryptionKeyFile, "encryptionKey");
    this.encryptionKeyFile = Objects.requireNonNull(keyFile, "keyFile");
    return this;
  }

  /**
   * Stores content of more than this many UTF-8 bytes compressed (Deflater); 0 never compresses.
   * Reads decompress transparently and full-text search still sees the text. Default: 4096.
   */
  public MemoryStoreBuilder compressionThreshold(int compressionThreshold) {
    requireUnset(this.compressionThreshold, "compressionThreshold");
    if (compressionThreshold < 0) {
      throw new IllegalArgumentException(
          "compressionThreshold must be 0 (never) or more, was " + compressionThreshold);
    }
    this.compressionThreshold = compressionThreshold;
    return this;
  }

  /** The environment variable that names a key file when {@link #encryptionKey} is not set. */
  static final String KEY_FILE_VARIABLE = "MEMSTORE_KEY_FILE";

  private static Path keyFileFromEnvironment() {
    String value = System.getenv(KEY_FILE_VARIABLE);
    return value == null || value.isBlank() ? null : Path.of(value);
  }

  /**
   * Opens the store as this agent, whose secret is the text of this file (UTF-8, without the line
   * breaks and spaces at its end): a file only its owner can read keeps the secret out of the
   * command line and the environment.
   *
   * @throws IllegalArgumentException naming the file when it cannot be read or is empty
   */
  public MemoryStoreBuilder agent(String name, Path secretFile) {
    Objects.requireNonNull(secretFile, "secretFile");
    String text;
    try {
      text = Files.readString(secretFile).stripTrailing();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the secret file "
              + secretFile
              + " of agent "
              + name
              + " (missing or unreadable)",
          e);
    }
    if (text.isEmpty()) {
      throw new IllegalArgumentException(
          "the secret file " + secretFile + " of agent " + name + " is empty");
    }
    return agent(name, text.toCharArray());
  }

  /** Returns the configuration this builder would open a store with. */
  public MemoryStoreConfig config() {
    return MemoryStoreConfig.builder()
        .path(path)
        .readOnly(Boolean.TRUE.equals(readOnly))
        .createIfMissing(createIfMissing == null ? !Boolean.TRUE.equals(readOnly) : createIfMissing)
        .embedder(embedder)
        .embeddingModel(embeddingModel)
        .maxContentBytes(maxContentBytes == null ? DEFAULT_MAX_CONTENT_BYTES : maxContentBytes)
        .busyTimeout(busyTimeout == null ? DEFAULT_BUSY_TIMEOUT : busyTimeout)
        .durability(durability == null ? Durability.FULL : durability)
        .checkpointDelay(checkpointDelay == null ? DEFAULT_CHECKPOINT_DELAY : checkpointDelay)
        .snapshotInterval(snapshotInterval == null ? DEFAULT_SNAPSHOT_INTERVAL : snapshotInterval)
        .readerConnections(
            readerConnections == null ? DEFAULT_READER_CONNECTIONS : readerConnections)
        .clock(clock == null ? InstantSource.system() : clock)
        .ranking(ranking == null ? Ranking.DEFAULT : ranking)
        .reembed(reembed)
        .retention(retention == null ? RetentionPolicy.DEFAULT : retention)
        .summarizer(summarizer)
        .extractor(extractor)
        .maintenanceInterval(
            maintenanceInterval == null ? DEFAULT_MAINTENANCE_INTERVAL : maintenanceInterval)
        .scheduler(scheduler)
        .cacheSize(cacheSize == null ? DEFAULT_CACHE_SIZE : cacheSize)
        .cacheExpiry(cacheExpiry == null ? DEFAULT_CACHE_EXPIRY : cacheExpiry)
        .preloadImportant(preloadImportant == null ? 0 : preloadImportant)
        .consolidationThreshold(consolidationThreshold)
        .profileShare(profileShare == null ? DEFAULT_PROFILE_SHARE : profileShare)
        .consolidationWindow(
            consolidationWindow == null ? DEFAULT_CONSOLIDATION_WINDOW : consolidationWindow)
        .auditRetention(auditRetention == null ? DEFAULT_AUDIT_RETENTION : auditRetention)
        .sensitiveText(sensitiveText == null ? SensitiveText.ALLOW : sensitiveText)
        .encryptionKeyFile(encryptionKeyFile != null ? encryptionKeyFile : keyFileFromEnvironment())
        .compressionThreshold(
            compressionThreshold == null ? DEFAULT_COMPRESSION_THRESHOLD : compressionThreshold)
        .build();
  }

  /**
   * Opens the store: creates the file if allowed and missing, and migrates its schema.
   *
   * @throws UnsupportedSchemaException if the file was written by a newer memstore or is not a
   *     memstore file
   * @throws StorageException if the file cannot be opened
   * @throws IllegalStateException naming the Maven artifacts to add, when a bundled model is to
   *     embed (no {@link #embedder} set, {@link #embeddingModel} not {@code none}) and its jars or
   *     onnxruntime were left off the class path
   */
  public MemoryStore build() {
    if (embedder != null && embeddingModel != null) {
      throw new IllegalArgumentException(
          "embedder ("
              + embedder.modelId()
              + ") and embeddingModel ("
              + embeddingModel
              + ") cannot both be set");
    }
    if (preloadImportant != null
        && preloadImportant > (cacheSize == null ? DEFAULT_CACHE_SIZE : cacheSize)) {
      throw new IllegalArgumentException(
          "preloadImportant ("
              + preloadImportant
              + ") cannot exceed cacheSize ("
              + (cacheSize == null ? DEFAULT_CACHE_SIZE : cacheSize)
              + ")");
    }
    if (Boolean.TRUE.equals(readOnly) && Boolean.TRUE.equals(createIfMissing)) {
      throw new IllegalArgumentException("readOnly and createIfMissing cannot both be true");
    }
    MemoryStoreConfig config = config();
    char[] secret = agentSecret;
    agentSecret = null;
    try {
      return AgentAccess.open(StoreOpener.open(config), accessPolicy, agentName, secret);
    } finally {
      if (secret != null) {
        Arrays.fill(secret, '\0');
      }
    }
  }

  private static void requireUnset(Object current, String name) {
    if (current != null) {
      throw new IllegalStateException(name + " was already set to " + current);
    }
  }

  private static void requireBetween(Duration value, Duration min, Duration max, String name) {
    Objects.requireNonNull(value, name);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", was " + value);
    }
  }
}
