package dev.memstore.internal.storage;

import dev.memstore.InternalErrorException;
import dev.memstore.MemoryStoreConfig;
import dev.memstore.MemoryStoreException;
import dev.memstore.ReadOnlyStoreException;
import dev.memstore.StorageException;
import dev.memstore.internal.background.Background;
import dev.memstore.internal.codec.ContentCodec;
import dev.memstore.internal.codec.StoreKey;
import dev.memstore.internal.nativelib.SqliteJdbcLibrary;
import dev.memstore.internal.nativelib.SqliteVecLoader;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ObjLongConsumer;

/**
 * The SQLite file: one writer connection behind a lock, a small pool of reader connections, and the
 * write-ahead log's checkpoints.
 *
 * <p>Design: every write transaction is {@code BEGIN IMMEDIATE}, issued by hand rather than through
 * the driver's auto-commit switch (which would keep a transaction open between writes and, after a
 * failed BEGIN, lose track of whether one is active). Taking the write lock up front means a second
 * process waits in the busy handler instead of failing with SQLITE_BUSY_SNAPSHOT halfway through.
 * Reads run in a deferred transaction on a pooled connection, so a page and its total count come
 * from one snapshot, and never wait for writers (WAL).
 *
 * <p>The {@link Checkpointer} folds the log into the file in the background, so that a plain copy
 * of the file alone holds what was written; {@link Backup} takes the online backups and the
 * verified {@link Snapshot} beside the file. Both run on the store's {@link Background}.
 */
public final class Database implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Database.class.getName());

  /** Marks the file as memstore's ("MEMS"): a file with another application id is never touched. */
  static final int APPLICATION_ID = 0x4D454D53;

  /** The size the log file is cut back to when SQLite starts it over. */
  static final long JOURNAL_SIZE_LIMIT = 16L << 20;

  /** Between tries of an explicit checkpoint that another connection's checkpoint kept out. */
  private static final long RETRY_PAUSE_NANOS = 2_000_000;

  /** The page size of files this code creates. */
  public static final int NEW_FILE_PAGE_SIZE = 16_384;

  private final MemoryStoreConfig config;
  private final Path path;
  private final Path extension;
  private final String sqliteVecProblem;
  private final boolean readOnly;
  private final String readOnlyReason;
  private final boolean immutable;
  private volatile LogWatch logWatch;
  private volatile String logLost;
  private final ReentrantLock writerLock = new ReentrantLock();
  private final Connection writer;
  private final long writerId;
  private final Semaphore readerPermits;
  private final ConcurrentLinkedQueue<Connection> idleReaders = new ConcurrentLinkedQueue<>();
  private final List<Connection> allReaders = new ArrayList<>();
  private final Background background;
  private final ContentCodec codec;
  private final Checkpointer checkpointer;
  private final Backup backup;
  private volatile SqlWork<Void> beforeCheckpoint = connection -> null;
  private volatile ObjLongConsumer<String> writerHeld = (kind, nanos) -> {};
  private volatile boolean closed;
  private boolean inTransaction;

  private Database(
      MemoryStoreConfig config,
      Path extension,
      String sqliteVecProblem,
      boolean readOnly,
      String readOnlyReason,
      boolean immutable,
      Connection writer,
      long writerId,
      Background background,
      ContentCodec codec) {
    this.config = config;
    this.codec = codec;
    this.readOnlyReason = readOnlyReason;
    this.immutable = immutable;
    this.writerId = writerId;
    this.path = config.path();
    this.extension = extension;
    this.sqliteVecProblem = sqliteVecProblem;
    this.readOnly = readOnly;
    this.writer = writer;
    this.readerPermits = new Semaphore(config.readerConnections(), true);
    this.background = background;
    this.checkpointer = new Checkpointer(this, background, config.checkpointDelay());
    this.backup = new Backup(this, background, config, extension);
  }

  /**
   * Opens the file: refuses files of newer schema versions or of other applications without
   * modifying them, then migrates the schema in one transaction. The log folds and snapshots run on
   * the background, which the caller closes after the database.
   */
  public static Database open(MemoryStoreConfig config, Schema schema, Background background) {
    Path path = config.path().toAbsolutePath();
    boolean exists = Files.exists(path);
    if (!exists && !config.createIfMissing()) {
      throw new StorageException(
          "no memory store at "
              + path
              + " (the file does not exist and this store may not create it)",
          null);
    }
    SqliteJdbcLibrary.prepare();
    boolean immutable = false;
    String foldProblem = null;
    if (exists) {
      StoreFiles.checkBeforeOpen(path, config.createIfMissing() && !config.readOnly());
      // On read-only media no log or shared-memory file can be made beside the file; without a
      // log, the file is complete and nothing can change it.
      immutable = StoreFiles.onReadOnlyMedia(path) && !Files.exists(StoreFiles.log(path));
      Compatibility.check(path, schema.latestVersion());
      if (!immutable) {
        // A log left by a crash is folded in first, so that the file on its own is complete.
        foldProblem = StoreFiles.foldLog(path, !config.readOnly());
      }
    } else {
      try {
        StoreFiles.createFolders(path.getParent());
        StoreFiles.createOwnerOnly(path);
      } catch (IOException e) {
        throw new StorageException("cannot create " + path + ": " + e.getMessage(), e);
      }
    }
    boolean readOnly =
        config.readOnly() || immutable || foldProblem != null || !Files.isWritable(path);
    String readOnlyReason =
        config.readOnly()
            ? ""
            : immutable
                ? " (it lies on read-only media)"
                : foldProblem != null
                    ? " because " + foldProblem
                    : " (the process may not write the file)";
    if (foldProblem != null) {
      LOG.log(Level.WARNING, path + " is open read-only because " + foldProblem);
    }
    Path extension = null;
    String sqliteVecProblem = null;
    try {
      extension = SqliteVecLoader.extensionPath();
    } catch (StorageException e) {
      // The store works without sqlite-vec (search reads the embeddings table); stats and health
      // say so.
      sqliteVecProblem = e.getMessage();
      LOG.log(
          Level.WARNING, "sqlite-vec is not available; the vector table is not kept up to date", e);
    }
    ContentCodec codec =
        new ContentCodec(
            config.compressionThreshold(),
            config.encryptionKeyFile() == null
                ? List.of()
                : List.of(StoreKey.read(config.encryptionKeyFile())));
    Connection writer = null;
    try {
      writer = Connections.connect(config, path, extension, readOnly, immutable, codec);
      if (!readOnly) {
        // Only a new file takes it (an existing one keeps its page size). A batch of 1,000 memories
        // with vectors writes about 4 MB of pages, twice (log, then checkpoint): with 16 KiB
        // pages a quarter of the system calls, and the write rate went up by a fifth or more.
        Sql.execute(writer, "pragma page_size = " + NEW_FILE_PAGE_SIZE);
        Sql.execute(writer, "pragma journal_mode = wal");
        // A batch of 1,000 memories with vectors dirties about 4 MB of pages; with SQLite's default
        // 2 MB cache they spill to the log mid-transaction, which halved the write rate (measured).
        Sql.execute(writer, "pragma cache_size = -32768");
        // The writer folds the log into the file once it holds 4,000 pages (64 MiB) instead of
        // SQLite's 1,000: at 100k memories in batches of 1,000 that is 133 fsyncs instead of 190
        // (0.3 s less waiting) and 8% fewer bytes written, since pages that every batch changes
        // (the duplicate-key index) are copied into the file less often (measured).
        Sql.execute(writer, "pragma wal_autocheckpoint = 4000");
        // The periodic fold keeps the log to about a second of writes; when SQLite starts the log
        // over it cuts a file grown beyond this back to it (a 500-memory batch writes about 2 MB).
        Sql.execute(writer, "pragma journal_size_limit = " + JOURNAL_SIZE_LIMIT);
      }
      long writerId = new SecureRandom().nextLong();
      if (!readOnly) {
        Sql.execute(writer, "create temp table store_writer (id integer not null)");
        Sql.update(writer, "insert into temp.store_writer (id) values (?)", writerId);
      }
      Database database =
          new Database(
              config,
              extension,
              sqliteVecProblem,
              readOnly,
              readOnlyReason,
              immutable,
              writer,
              writerId,
              background,
              codec);
      if (readOnly) {
        database.read(
            connection -> {
              schema.requireCurrent(connection);
              Sealing.verifyKey(connection, codec);
              return null;
            });
      } else {
        database.write(
            connection -> {
              schema.migrate(connection);
              Sealing.verifyKey(connection, codec);
              return null;
            });
        database.logWatch = LogWatch.of(path);
        database.backup.opened(database.totalChanges());
      }
      return database;
    } catch (RuntimeException e) {
      Connections.closeQuietly(writer);
      if (!exists) {
        StoreFiles.removeUnfinished(path);
      }
      throw e;
    }
  }

  /** Returns the codec of the file's content: compression and the store key. */
  public ContentCodec codec() {
    return codec;
  }

  /** Returns the database file. */
  public Path path() {
    return path;
  }

  /** Returns whether the sqlite-vec extension is loaded into every connection. */
  public boolean hasSqliteVec() {
    return extension != null;
  }

  /** Returns why sqlite-vec could not be loaded, or null when it is loaded. */
  public String sqliteVecProblem() {
    return sqliteVecProblem;
  }

  /**
   * Returns the random number that names this open database among the stores that write the file.
   * Statements on the writer connection read it as {@code (select id from temp.store_writer)}.
   */
  public long writerId() {
    return writerId;
  }

  /** Returns whether writes are refused. */
  public boolean isReadOnly() {
    return readOnly;
  }

  /**
   * Runs work in one {@code BEGIN IMMEDIATE} transaction on the writer connection: it commits when
   * the work returns and rolls back when it throws. Nested calls join the outer transaction.
   */
  public <T> T write(SqlWork<T> work) {
    T result = transaction(work);
    afterWrite();
    return result;
  }

  /** A write transaction that does not count as a write for the idle checkpoint (maintenance). */
  <T> T transaction(SqlWork<T> work) {
    if (readOnly) {
      throw new ReadOnlyStoreException(
          path + " is open read-only" + readOnlyReason + "; nothing was written", null);
    }
    writerLock.lock();
    try {
      ensureOpen();
      if (inTransaction) {
        return work.run(writer);
      }
      checkLogIntact();
      Sql.execute(writer, "begin immediate");
      inTransaction = true;
      try {
        T result = work.run(writer);
        Sql.execute(writer, "commit");
        return result;
      } catch (Throwable failure) {
        rollbackQuietly(writer);
        throw translate(failure);
      } finally {
        inTransaction = false;
      }
    } catch (SQLException e) {
      throw Sql.failure(e, null);
    } finally {
      writerLock.unlock();
    }
  }

  /** Runs work in one read transaction, so every statement in it sees the same snapshot. */
  public <T> T read(SqlWork<T> work) {
    if (writerLock.isHeldByCurrentThread() && inTransaction) {
      try {
        return work.run(writer);
      } catch (SQLException e) {
        throw Sql.failure(e, null);
      }
    }
    Connection connection = borrowReader();
    try {
      Sql.execute(connection, "begin");
      try {
        T result = work.run(connection);
        Sql.execute(connection, "commit");
        return result;
      } catch (Throwable failure) {
        rollbackQuietly(connection);
        throw translate(failure);
      }
    } finally {
      returnReader(connection);
    }
  }

  /**
   * Sets work that runs in a write transaction before every checkpoint (idle, explicit and on
   * close) and before a backup, so that what it writes reaches the database file with the
   * checkpoint and the copy.
   */
  public void beforeCheckpoint(SqlWork<Void> work) {
    this.beforeCheckpoint = work;
  }

  /**
   * Sets work that the log folds run in steps, each its own short write transaction, before the
   * work set with {@link #beforeCheckpoint}, so that writers wait for one step at most; a step
   * returns true when nothing is left.
   */
  public void beforeCheckpointInSteps(SqlWork<Boolean> step) {
    checkpointer.beforeCheckpointInSteps(step);
  }

  /** Runs the work set with {@link #beforeCheckpoint} in its own transaction. */
  void runBeforeCheckpoint() {
    transaction(beforeCheckpoint);
  }

  /** The lock every write on the writer connection holds. */
  ReentrantLock writerLock() {
    return writerLock;
  }

  /** Whether {@link #close} has begun. */
  boolean isClosed() {
    return closed;
  }

  /** Reports that a log fold or snapshot held the writer lock, or ran, this long. */
  void writerHeld(String kind, long nanos) {
    writerHeld.accept(kind, nanos);
  }

  /**
   * Checkpoints the write-ahead log into the database file and truncates the log. Returns whether
   * the log was folded completely and emptied: false when a reader, or another checkpoint, kept it
   * from finishing within the busy timeout, and for a read-only store.
   */
  public boolean checkpoint() {
    if (readOnly) {
      return false;
    }
    writerLock.lock();
    try {
      ensureOpen();
      runBeforeCheckpoint();
      return truncateLogWithin(config.busyTimeout());
    } finally {
      writerLock.unlock();
    }
  }

  /**
   * Truncates the log on the writer, trying again until {@code limit}; the caller holds the writer
   * lock. SQLite waits through the busy handler for readers, but answers busy at once while another
   * connection checkpoints: our own periodic fold, which runs without the writer lock, or another
   * process's.
   */
  boolean truncateLogWithin(Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    long remaining = limit.toNanos();
    try {
      while (true) {
        Connections.setBusyHandler(writer, new PollingBusyHandler(Duration.ofNanos(remaining)));
        if (Connections.truncateLog(writer)) {
          return true;
        }
        remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        LockSupport.parkNanos(Math.min(remaining, RETRY_PAUSE_NANOS));
      }
    } finally {
      Connections.setBusyHandler(writer, new PollingBusyHandler(config.busyTimeout()));
    }
  }

  /**
   * Writes the snapshot beside the file again now, when there is one, so that it holds no longer
   * what was deleted; returns whether it did. Takes as long as a snapshot; writers keep going.
   */
  public boolean rewriteSnapshot() {
    return !readOnly && backup.rewriteSnapshot();
  }

  /**
   * Rewrites the file without its free pages ({@code VACUUM}), then checkpoints. Holds the write
   * lock throughout, so this process's writers wait; other processes' writers wait up to their busy
   * timeout.
   */
  public void vacuum() {
    if (readOnly) {
      return;
    }
    writerLock.lock();
    // A connection of its own: VACUUM refuses to run beside the writer's cached statements.
    try (Connection connection = Connections.connect(config, path, null, false, false, codec)) {
      ensureOpen();
      checkLogIntact();
      Sql.execute(connection, "vacuum");
      Connections.truncateLog(connection);
    } catch (SQLException e) {
      throw Sql.failure(e, "vacuum");
    } finally {
      writerLock.unlock();
    }
  }

  /**
   * Writes a consistent copy of the database to a new file with {@code VACUUM INTO}, from a read
   * snapshot, so writers keep going. The copy is verified with {@code quick_check} and appears
   * under its name only when complete.
   */
  public void backup(Path target) {
    backup.backup(target);
  }

  private void afterWrite() {
    long now = background.nanoTime();
    checkpointer.afterWrite(now);
    backup.afterWrite(now);
  }

  /**
   * Reports every time a log fold held the writer lock, and how long: {@code step} for a step of
   * the periodic fold's work, {@code idle} for the idle checkpoint's TRUNCATE; and how long each
   * snapshot took ({@code snapshot}, which holds no lock but keeps folds from passing its start).
   * For benchmarks.
   */
  public void onCheckpoint(ObjLongConsumer<String> writerHeld) {
    this.writerHeld = writerHeld;
  }

  long totalChanges() {
    return Sql.queryLong(writer, "select total_changes()");
  }

  Connection borrowReader() {
    ensureOpen();
    try {
      readerPermits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while waiting for a reader connection", e);
    }
    Connection connection = idleReaders.poll();
    if (connection != null) {
      return connection;
    }
    try {
      connection = Connections.connect(config, path, extension, readOnly, immutable, codec);
      synchronized (allReaders) {
        allReaders.add(connection);
      }
      return connection;
    } catch (RuntimeException e) {
      readerPermits.release();
      throw e;
    }
  }

  void returnReader(Connection connection) {
    idleReaders.offer(connection);
    readerPermits.release();
  }

  /**
   * Stops every write once a program outside memstore deleted or replaced the log or its
   * shared-memory file (see {@link LogWatch}). The writes this store made since its last checkpoint
   * are only in the deleted log, which its connections still hold: they are folded into the file at
   * once, unless another process already writes into a new log, whose pages they would overwrite.
   */
  private void checkLogIntact() {
    LogWatch watch = logWatch;
    if (watch == null || (logLost == null && watch.intact())) {
      return;
    }
    if (logLost == null) {
      logLost =
          "the write-ahead log of "
              + path
              + " ("
              + StoreFiles.log(path).getFileName()
              + " or "
              + StoreFiles.sharedMemory(path).getFileName()
              + ") was deleted or replaced by a program outside memstore, such as a cleaner or a"
              + " sync tool, while the store was open. Writes are stopped to protect the data:"
              + " nothing more was written. Close the store and open it again, and keep such"
              + " tools away from the store's folder (README: Sync tools and cleaners)";
      LOG.log(Level.WARNING, logLost);
      if (mayFoldLog()) {
        try {
          Connections.truncateLog(writer);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "folding the deleted log of " + path + " into the file failed", e);
        }
      }
    }
    throw new StorageException(logLost, null);
  }

  /** False once another process writes into a log that replaced this store's deleted one. */
  private boolean mayFoldLog() {
    LogWatch watch = logWatch;
    return watch == null || watch.intact() || !watch.replacedLogHasWrites();
  }

  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the memory store at " + path + " is closed");
    }
  }

  private static RuntimeException translate(Throwable failure) {
    if (failure instanceof MemoryStoreException known) {
      return known;
    }
    if (failure instanceof SQLException sql) {
      return Sql.failure(sql, null);
    }
    if (failure instanceof RuntimeException runtime) {
      return runtime;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    return new InternalErrorException("unexpected failure: " + failure, failure);
  }

  private static void rollbackQuietly(Connection connection) {
    try (var statement = connection.createStatement()) {
      statement.execute("rollback");
    } catch (SQLException ignored) {
      // No transaction was active (SQLite rolls back by itself on some errors): nothing to undo.
    }
  }

  /**
   * Checkpoints and truncates the log, then closes every connection; the log and shared-memory
   * files are removed by SQLite when the last connection of any process closes. Waits for reads in
   * progress.
   */
  @Override
  public void close() {
    writerLock.lock();
    try {
      if (closed) {
        return;
      }
      if (!readOnly) {
        try {
          runBeforeCheckpoint();
        } catch (RuntimeException e) {
          LOG.log(
              Level.WARNING, "maintenance before the final checkpoint of " + path + " failed", e);
        }
        backup.beforeClose();
      }
      closed = true;
      readerPermits.acquireUninterruptibly(config.readerConnections());
      synchronized (allReaders) {
        allReaders.forEach(Connections::closeQuietly);
        allReaders.clear();
      }
      idleReaders.clear();
      if (!readOnly && mayFoldLog()) {
        try {
          if (!truncateLogWithin(config.busyTimeout())) {
            LOG.log(
                Level.WARNING,
                "final checkpoint of "
                    + path
                    + " was kept from finishing by another connection; the log stays beside the"
                    + " file");
          }
        } catch (StorageException e) {
          LOG.log(
              Level.WARNING,
              "final checkpoint of " + path + " failed; the log stays beside the file",
              e);
        }
      }
      Connections.closeQuietly(writer);
      if (readOnly && !immutable) {
        // Read-only connections cannot remove the log and shared-memory files they made.
        StoreFiles.foldLog(path, false);
      }
    } finally {
      writerLock.unlock();
    }
  }
}
