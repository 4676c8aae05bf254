package dev.memstore.internal.storage;

import dev.memstore.Durability;
import dev.memstore.InternalErrorException;
import dev.memstore.MemoryStoreConfig;
import dev.memstore.MemoryStoreException;
import dev.memstore.ReadOnlyStoreException;
import dev.memstore.StorageException;
import dev.memstore.UnsupportedSchemaException;
import dev.memstore.ValidationException;
import dev.memstore.internal.nativelib.SqliteJdbcLibrary;
import dev.memstore.internal.nativelib.SqliteVecLoader;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ObjLongConsumer;
import org.sqlite.BusyHandler;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

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
 * <p>The log is folded into the database file so that a plain copy of the file alone holds what was
 * written: while writes continue, at least every {@link #FOLD_INTERVAL} by a PASSIVE checkpoint on
 * a reader connection (it never waits for readers and does not hold the writer lock; only the short
 * vector copy before it does), and once writes pause for the checkpoint delay by a TRUNCATE
 * checkpoint, so an idle store's file is complete on its own and its log empty. A copy taken while
 * a checkpoint writes pages can still be torn, so the store also keeps a verified {@link Snapshot}
 * beside the file.
 */
public final class Database implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Database.class.getName());

  /** Marks the file as memstore's ("MEMS"): a file with another application id is never touched. */
  static final int APPLICATION_ID = 0x4D454D53;

  /** The size the log file is cut back to when SQLite starts it over. */
  static final long JOURNAL_SIZE_LIMIT = 16L << 20;

  /** The page size of files this code creates. */
  public static final int NEW_FILE_PAGE_SIZE = 16_384;

  private static final Duration IDLE_CHECKPOINT_BUSY = Duration.ofMillis(50);

  /** While writes continue, the longest a write stays in the log only. */
  static final Duration FOLD_INTERVAL = Duration.ofSeconds(1);

  /** No write waits in the log: the time a write was first not yet folded, or this value. */
  private static final long NOTHING_UNFOLDED = Long.MIN_VALUE;

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
  private final ScheduledExecutorService checkpointer;

  /** Snapshots take seconds on a large file: a thread of their own, so the log folds go on. */
  private final ScheduledExecutorService snapshotter;

  private final AtomicBoolean checkpointScheduled = new AtomicBoolean();
  private volatile SqlWork<Void> beforeCheckpoint = connection -> null;
  private volatile long lastWriteNanos;
  private final AtomicLong unfoldedSinceNanos = new AtomicLong(NOTHING_UNFOLDED);
  private final AtomicBoolean snapshotScheduled = new AtomicBoolean();
  private volatile boolean writtenSinceSnapshot;
  private volatile long lastSnapshotNanos;

  /** The writer's count of changed rows when the last snapshot was taken. */
  private volatile long changesAtSnapshot;

  private final Snapshot snapshot;
  private volatile ObjLongConsumer<String> writerHeld = (kind, nanos) -> {};
  private volatile SqlWork<Boolean> beforeCheckpointStep = connection -> true;
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
      long writerId) {
    this.config = config;
    this.readOnlyReason = readOnlyReason;
    this.immutable = immutable;
    this.writerId = writerId;
    this.path = config.path();
    this.extension = extension;
    this.sqliteVecProblem = sqliteVecProblem;
    this.readOnly = readOnly;
    this.writer = writer;
    this.readerPermits = new Semaphore(config.readerConnections(), true);
    this.snapshot = new Snapshot(path, extension);
    // A snapshot already beside the file counts from when it was made.
    Duration snapshotAge = snapshot.age();
    long interval = config.snapshotInterval().toNanos();
    this.lastSnapshotNanos =
        System.nanoTime()
            - (snapshotAge == null ? interval : Math.min(snapshotAge.toNanos(), interval));
    this.checkpointer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "memstore-maintenance " + path.getFileName());
              thread.setDaemon(true);
              return thread;
            });
    this.snapshotter =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "memstore-snapshot " + path.getFileName());
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Opens the file: refuses files of newer schema versions or of other applications without
   * modifying them, then migrates the schema in one transaction.
   */
  public static Database open(MemoryStoreConfig config, Schema schema) {
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
      checkCompatible(path, schema.latestVersion());
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
    Connection writer = null;
    try {
      writer = connect(config, path, extension, readOnly, immutable);
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
              writerId);
      if (readOnly) {
        database.read(connection -> schema.requireCurrent(connection));
      } else {
        database.write(
            connection -> {
              schema.migrate(connection);
              return null;
            });
        database.logWatch = LogWatch.of(path);
        database.changesAtSnapshot = database.totalChanges();
      }
      return database;
    } catch (RuntimeException e) {
      closeQuietly(writer);
      if (!exists) {
        StoreFiles.removeUnfinished(path);
      }
      throw e;
    }
  }

  private static void checkCompatible(Path path, int latestVersion) {
    SQLiteConfig probe = new SQLiteConfig();
    probe.setReadOnly(true);
    // Without a log the file alone is the whole database: read it as immutable, which creates no
    // log or shared-memory file beside a file that may not be memstore's.
    boolean withoutLog = !Files.exists(StoreFiles.log(path));
    probe.setOpenMode(SQLiteOpenMode.OPEN_URI);
    try (Connection connection =
        JDBC.createConnection(url(path, withoutLog), probe.toProperties())) {
      long applicationId;
      long version;
      long objects;
      try {
        applicationId = Sql.queryLong(connection, "pragma application_id");
        version = Sql.queryLong(connection, "pragma user_version");
        objects = Sql.queryLong(connection, "select count(*) from sqlite_schema");
      } finally {
        Sql.release(connection);
      }
      if (applicationId != 0 && applicationId != APPLICATION_ID) {
        throw new UnsupportedSchemaException(
            path
                + " belongs to another application (application_id "
                + applicationId
                + "); memstore did not modify it");
      }
      if (applicationId == 0 && objects > 0) {
        throw new UnsupportedSchemaException(
            path + " is an SQLite database but not a memstore file; memstore did not modify it");
      }
      if (version == 0 && objects == 0 && withoutLog && StoreFiles.inWalMode(path)) {
        throw new UnsupportedSchemaException(StoreFiles.copiedWithoutLog(path));
      }
      if (version > latestVersion) {
        throw new UnsupportedSchemaException(
            path
                + " has schema version "
                + version
                + ", newer than the "
                + latestVersion
                + " this memstore understands; it was written by a newer memstore. The file was not"
                + " modified: open it with that version or newer");
      }
    } catch (SQLException e) {
      int code =
          e instanceof org.sqlite.SQLiteException sqlite ? sqlite.getResultCode().code & 0xff : 0;
      if (code != org.sqlite.SQLiteErrorCode.SQLITE_NOTADB.code
          && code != org.sqlite.SQLiteErrorCode.SQLITE_CORRUPT.code) {
        throw Sql.failure(e, "open " + path);
      }
      throw new UnsupportedSchemaException(
          path
              + " cannot be read as an SQLite database ("
              + e.getMessage()
              + "); memstore did not modify it");
    } catch (StorageException e) {
      if (e instanceof UnsupportedSchemaException) {
        throw e;
      }
      throw new UnsupportedSchemaException(
          path
              + " cannot be read as a memstore database ("
              + e.getMessage()
              + "); memstore did not modify it");
    }
  }

  /** The JDBC address of the file; immutable for a file that nothing can change. */
  private static String url(Path path, boolean immutable) {
    return immutable ? "jdbc:sqlite:" + path.toUri() + "?immutable=1" : "jdbc:sqlite:" + path;
  }

  private static Connection connect(
      MemoryStoreConfig config, Path path, Path extension, boolean readOnly, boolean immutable) {
    SQLiteConfig sqlite = new SQLiteConfig();
    sqlite.enableLoadExtension(true);
    sqlite.setOpenMode(SQLiteOpenMode.NOMUTEX);
    sqlite.setOpenMode(SQLiteOpenMode.OPEN_URI);
    if (readOnly) {
      sqlite.setReadOnly(true);
    }
    sqlite.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, config.busyTimeout().toMillis()));
    Connection connection = null;
    try {
      // Not through DriverManager: its first use looks for drivers in every jar of the class path,
      // which a new process pays for at open.
      connection = JDBC.createConnection(url(path, immutable), sqlite.toProperties());
      BusyHandler.setHandler(connection, new PollingBusyHandler(config.busyTimeout()));
      if (extension != null) {
        SqliteVecLoader.loadInto(connection, extension);
      }
      Sql.execute(connection, "pragma foreign_keys = on");
      Sql.execute(connection, "pragma secure_delete = on");
      Sql.execute(
          connection,
          config.durability() == Durability.FULL
              ? "pragma synchronous = full"
              : "pragma synchronous = normal");
      return connection;
    } catch (SQLException e) {
      closeQuietly(connection);
      throw Sql.failure(e, "open " + path);
    } catch (RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
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
  private <T> T transaction(SqlWork<T> work) {
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
    this.beforeCheckpointStep = step;
  }

  /**
   * Runs the steps of {@link #beforeCheckpointInSteps} until done, releasing the writer lock
   * between them; returns false when the store closed meanwhile.
   */
  private boolean runCheckpointSteps() {
    boolean done = false;
    while (!done) {
      writerLock.lock();
      long started = System.nanoTime();
      try {
        if (closed) {
          return false;
        }
        done = transaction(beforeCheckpointStep);
      } finally {
        writerLock.unlock();
        writerHeld.accept("step", System.nanoTime() - started);
      }
    }
    return true;
  }

  /**
   * Runs a task once on the store's background thread after a delay; ignored once the database is
   * closing.
   */
  public void runLater(Runnable task, Duration delay) {
    try {
      checkpointer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      LOG.log(Level.DEBUG, "not scheduled: " + path + " is closing");
    }
  }

  /** Checkpoints the write-ahead log into the database file and truncates the log. */
  public void checkpoint() {
    if (readOnly) {
      return;
    }
    writerLock.lock();
    try {
      ensureOpen();
      transaction(beforeCheckpoint);
      truncateLog(writer);
    } finally {
      writerLock.unlock();
    }
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
    try (Connection connection = connect(config, path, null, false, false)) {
      ensureOpen();
      checkLogIntact();
      Sql.execute(connection, "vacuum");
      truncateLog(connection);
    } catch (SQLException e) {
      throw Sql.failure(e, "vacuum");
    } finally {
      writerLock.unlock();
    }
  }

  private static void setBusyHandler(Connection connection, PollingBusyHandler handler) {
    try {
      BusyHandler.setHandler(connection, handler);
    } catch (SQLException e) {
      throw Sql.failure(e, "set the busy handler");
    }
  }

  /** Returns true when the log was fully checkpointed and truncated. */
  private boolean truncateLog(Connection connection) {
    Integer busy =
        Sql.queryFirst(connection, "pragma wal_checkpoint(truncate)", row -> row.getInt(1));
    return busy != null && busy == 0;
  }

  /**
   * Writes a consistent copy of the database to a new file with {@code VACUUM INTO}, from a read
   * snapshot, so writers keep going. The copy is verified with {@code quick_check} and appears
   * under its name only when complete.
   */
  public void backup(Path target) {
    Path absolute = target.toAbsolutePath();
    if (Files.exists(absolute)) {
      throw new ValidationException(
          "target", "backup target " + absolute + " already exists; choose a new file");
    }
    Path temporary = absolute.resolveSibling(absolute.getFileName() + ".partial");
    if (!readOnly) {
      // What checkpoints complete (the vector table), a copy has complete too.
      writerLock.lock();
      try {
        ensureOpen();
        transaction(beforeCheckpoint);
      } finally {
        writerLock.unlock();
      }
    }
    try {
      StoreFiles.createFolders(absolute.getParent());
      Files.deleteIfExists(temporary);
      // VACUUM INTO fills an empty file and keeps its mode: the copy is the owner's alone.
      StoreFiles.createOwnerOnly(temporary);
      Connection connection = borrowReader();
      try (PreparedStatement statement = connection.prepareStatement("vacuum into ?")) {
        statement.setString(1, temporary.toString());
        statement.execute();
      } catch (SQLException e) {
        throw Sql.failure(e, "vacuum into ?");
      } finally {
        returnReader(connection);
      }
      verify(temporary);
      Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new StorageException("backup to " + absolute + " failed: " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException e) {
        LOG.log(Level.WARNING, "could not remove " + temporary, e);
      }
    }
  }

  private void verify(Path copy) {
    SQLiteConfig sqlite = new SQLiteConfig();
    sqlite.enableLoadExtension(true);
    sqlite.setReadOnly(true);
    try (Connection connection =
        JDBC.createConnection("jdbc:sqlite:" + copy, sqlite.toProperties())) {
      if (extension != null) {
        SqliteVecLoader.loadInto(connection, extension);
      }
      String result;
      try {
        result = Sql.queryFirst(connection, "pragma quick_check", row -> row.getString(1));
      } finally {
        Sql.release(connection);
      }
      if (!"ok".equals(result)) {
        throw new StorageException("the backup copy failed its check: " + result, null);
      }
    } catch (SQLException e) {
      throw Sql.failure(e, "pragma quick_check");
    }
  }

  private void afterWrite() {
    long now = System.nanoTime();
    lastWriteNanos = now;
    unfoldedSinceNanos.compareAndSet(NOTHING_UNFOLDED, now);
    if (checkpointScheduled.compareAndSet(false, true)) {
      scheduleCheckpoint(Math.min(config.checkpointDelay().toNanos(), FOLD_INTERVAL.toNanos()));
    }
    writtenSinceSnapshot = true;
    if (!config.snapshotInterval().isZero() && snapshotScheduled.compareAndSet(false, true)) {
      long due = lastSnapshotNanos + config.snapshotInterval().toNanos() - now;
      // Not at once after the first write: a burst usually follows, and the snapshot then holds it.
      scheduleSnapshot(Math.max(due, config.checkpointDelay().toNanos() + FOLD_INTERVAL.toNanos()));
    }
  }

  private void scheduleCheckpoint(long delayNanos) {
    try {
      checkpointer.schedule(this::foldLog, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      checkpointScheduled.set(false);
    }
  }

  /**
   * Runs on the maintenance thread: a TRUNCATE checkpoint once writes paused for the checkpoint
   * delay, else a PASSIVE one when a write has waited in the log for {@link #FOLD_INTERVAL}.
   */
  private void foldLog() {
    long now = System.nanoTime();
    long idleDelay = config.checkpointDelay().toNanos();
    long idleNanos = now - lastWriteNanos;
    if (idleNanos >= idleDelay) {
      checkpointScheduled.set(false);
      long unfoldedSince = unfoldedSinceNanos.getAndSet(NOTHING_UNFOLDED);
      if (!idleCheckpoint()) {
        unfoldedAgainSince(unfoldedSince);
        if (checkpointScheduled.compareAndSet(false, true)) {
          scheduleCheckpoint(idleDelay);
        }
      }
      return;
    }
    long unfoldedSince = unfoldedSinceNanos.get();
    if (unfoldedSince != NOTHING_UNFOLDED && now - unfoldedSince >= FOLD_INTERVAL.toNanos()) {
      unfoldedSinceNanos.set(NOTHING_UNFOLDED);
      if (!passiveCheckpoint()) {
        unfoldedAgainSince(unfoldedSince);
      }
      now = System.nanoTime();
    }
    long untilIdle = idleDelay - (now - lastWriteNanos);
    long pending = unfoldedSinceNanos.get();
    long untilFold =
        pending == NOTHING_UNFOLDED
            ? FOLD_INTERVAL.toNanos()
            : FOLD_INTERVAL.toNanos() - (now - pending);
    scheduleCheckpoint(Math.max(0, Math.min(untilIdle, untilFold)));
  }

  /** A fold failed or was partial: the writes it was to fold still wait, from their first. */
  private void unfoldedAgainSince(long since) {
    unfoldedSinceNanos.updateAndGet(
        current -> current == NOTHING_UNFOLDED || since - current < 0 ? since : current);
  }

  /** Returns true when the log was folded completely and truncated. */
  private boolean idleCheckpoint() {
    if (!passiveCheckpoint()) {
      // Copying the pages is the long part; done without the writer lock, the TRUNCATE below
      // only syncs and empties the log. Whether or not it got everything, TRUNCATE finishes it.
      LOG.log(Level.DEBUG, "the fold before the idle checkpoint of " + path + " was partial");
    }
    if (closed) {
      return true;
    }
    writerLock.lock();
    long started = System.nanoTime();
    try {
      if (closed) {
        return true;
      }
      transaction(beforeCheckpoint);
      // A short busy wait: an idle checkpoint must not hold our writers up behind a slow reader.
      setBusyHandler(writer, new PollingBusyHandler(IDLE_CHECKPOINT_BUSY));
      try {
        return truncateLog(writer);
      } finally {
        setBusyHandler(writer, new PollingBusyHandler(config.busyTimeout()));
      }
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "idle checkpoint of " + path + " failed; retrying later", e);
      return false;
    } finally {
      writerLock.unlock();
      writerHeld.accept("idle", System.nanoTime() - started);
    }
  }

  /**
   * Copies every committed page of the log into the file without waiting for anyone: the writer
   * lock is held only for the steps of the vector copy before it, and a PASSIVE checkpoint neither
   * waits for readers nor blocks writers. Full-text merges after deletes wait for the idle
   * checkpoint. Returns true when every frame was copied.
   */
  private boolean passiveCheckpoint() {
    try {
      if (!runCheckpointSteps()) {
        return true;
      }
      Connection connection = borrowReader();
      try {
        long[] result =
            Sql.queryFirst(
                connection,
                "pragma wal_checkpoint(passive)",
                row -> new long[] {row.getLong(1), row.getLong(2), row.getLong(3)});
        return result != null && result[0] == 0 && result[1] == result[2];
      } finally {
        returnReader(connection);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "periodic checkpoint of " + path + " failed; retrying later", e);
      return false;
    }
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

  private void scheduleSnapshot(long delayNanos) {
    try {
      snapshotter.schedule(this::takeSnapshot, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      snapshotScheduled.set(false);
    }
  }

  private void takeSnapshot() {
    snapshotScheduled.set(false);
    if (closed || !writtenSinceSnapshot) {
      return;
    }
    writtenSinceSnapshot = false;
    try {
      writeSnapshot();
    } catch (RuntimeException e) {
      writtenSinceSnapshot = true;
      if (!closed) {
        LOG.log(Level.WARNING, "the snapshot of " + path + " failed; trying again later", e);
      }
    }
  }

  /** Writes the snapshot beside the file from a read snapshot; writers keep going. */
  private void writeSnapshot() {
    if (readOnly) {
      return;
    }
    long changes;
    writerLock.lock();
    try {
      ensureOpen();
      transaction(beforeCheckpoint);
      changes = totalChanges();
      if (changes == changesAtSnapshot) {
        // Writes that changed no row (an open's migration, a flush of nothing): no new snapshot.
        return;
      }
    } finally {
      writerLock.unlock();
    }
    long started = System.nanoTime();
    // One at a time: the background one and close's share the temporary name.
    synchronized (snapshot) {
      Connection connection = borrowReader();
      try {
        snapshot.write(connection);
      } finally {
        returnReader(connection);
      }
    }
    changesAtSnapshot = changes;
    lastSnapshotNanos = started;
    writerHeld.accept("snapshot", System.nanoTime() - started);
  }

  private long totalChanges() {
    return Sql.queryLong(writer, "select total_changes()");
  }

  private Connection borrowReader() {
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
      connection = connect(config, path, extension, readOnly, immutable);
      synchronized (allReaders) {
        allReaders.add(connection);
      }
      return connection;
    } catch (RuntimeException e) {
      readerPermits.release();
      throw e;
    }
  }

  private void returnReader(Connection connection) {
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
          truncateLog(writer);
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

  private void ensureOpen() {
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

  private static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    Sql.release(connection);
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "closing a connection failed", e);
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
          transaction(beforeCheckpoint);
        } catch (RuntimeException e) {
          LOG.log(
              Level.WARNING, "maintenance before the final checkpoint of " + path + " failed", e);
        }
        // Only when one is due: a snapshot of a large file takes seconds, and every short-lived
        // process that writes (memctl add) would pay them at close.
        if (writtenSinceSnapshot
            && !config.snapshotInterval().isZero()
            && System.nanoTime() - lastSnapshotNanos >= config.snapshotInterval().toNanos()) {
          try {
            writeSnapshot();
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the final snapshot of " + path + " failed", e);
          }
        }
      }
      closed = true;
      checkpointer.shutdownNow();
      snapshotter.shutdownNow();
      readerPermits.acquireUninterruptibly(config.readerConnections());
      synchronized (allReaders) {
        allReaders.forEach(Database::closeQuietly);
        allReaders.clear();
      }
      idleReaders.clear();
      if (!readOnly && mayFoldLog()) {
        try {
          truncateLog(writer);
        } catch (StorageException e) {
          LOG.log(
              Level.WARNING,
              "final checkpoint of " + path + " failed; the log stays beside the file",
              e);
        }
      }
      closeQuietly(writer);
      if (readOnly && !immutable) {
        // Read-only connections cannot remove the log and shared-memory files they made.
        StoreFiles.foldLog(path, false);
      }
    } finally {
      writerLock.unlock();
    }
  }
}
