package dev.memstore.internal.storage;

import dev.memstore.MemoryStoreConfig;
import dev.memstore.StorageException;
import dev.memstore.ValidationException;
import dev.memstore.internal.background.Background;
import dev.memstore.internal.nativelib.SqliteVecLoader;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;

/**
 * Copies of the file while it is open: the online backup to a file the caller names, and the
 * verified {@link Snapshot} beside the file ({@code memory.db.snapshot}), taken in the background
 * at most every snapshot interval after writes, because a plain copy taken while a checkpoint
 * writes pages can still be torn.
 *
 * <p>A snapshot takes seconds on a large file. It holds no lock, only a reader connection, and runs
 * on one thread of the store's scheduler while the other keeps folding the log (see {@link
 * Background}); its start only keeps folds from passing the read snapshot it copies.
 */
final class Backup {
  private static final System.Logger LOG = System.getLogger(Backup.class.getName());

  private final Database database;
  private final Background background;
  private final Path path;
  private final Path extension;
  private final Duration checkpointDelay;
  private final Duration snapshotInterval;
  private final Snapshot snapshot;
  private final AtomicBoolean snapshotScheduled = new AtomicBoolean();
  private volatile boolean writtenSinceSnapshot;
  private volatile long lastSnapshotNanos;

  /** The writer's count of changed rows when the last snapshot was taken. */
  private volatile long changesAtSnapshot;

  Backup(Database database, Background background, MemoryStoreConfig config, Path extension) {
    this.database = database;
    this.background = background;
    this.path = database.path();
    this.extension = extension;
    this.checkpointDelay = config.checkpointDelay();
    this.snapshotInterval = config.snapshotInterval();
    this.snapshot = new Snapshot(path, extension);
    // A snapshot already beside the file counts from when it was made.
    Duration snapshotAge = snapshot.age();
    long interval = snapshotInterval.toNanos();
    this.lastSnapshotNanos =
        background.nanoTime()
            - (snapshotAge == null ? interval : Math.min(snapshotAge.toNanos(), interval));
  }

  /** Takes the writer's count of changed rows after the migration at open. */
  void opened(long changes) {
    changesAtSnapshot = changes;
  }

  /** Notes a write at {@code now}: the snapshot after it is scheduled unless one is. */
  void afterWrite(long now) {
    writtenSinceSnapshot = true;
    if (!snapshotInterval.isZero() && snapshotScheduled.compareAndSet(false, true)) {
      long due = lastSnapshotNanos + snapshotInterval.toNanos() - now;
      // Not at once after the first write: a burst usually follows, and the snapshot then holds it.
      long delay = Math.max(due, checkpointDelay.toNanos() + Checkpointer.FOLD_INTERVAL.toNanos());
      background.runLater("snapshot", this::takeSnapshot, Duration.ofNanos(delay));
    }
  }

  /**
   * Writes a consistent copy of the database to a new file with {@code VACUUM INTO}, from a read
   * snapshot, so writers keep going. The copy is verified with {@code quick_check} and appears
   * under its name only when complete.
   */
  void backup(Path target) {
    Path absolute = target.toAbsolutePath();
    if (Files.exists(absolute)) {
      throw new ValidationException(
          "target", "backup target " + absolute + " already exists; choose a new file");
    }
    Path temporary = absolute.resolveSibling(absolute.getFileName() + ".partial");
    if (!database.isReadOnly()) {
      // What checkpoints complete (the vector table), a copy has complete too.
      ReentrantLock writerLock = database.writerLock();
      writerLock.lock();
      try {
        database.ensureOpen();
        database.runBeforeCheckpoint();
      } finally {
        writerLock.unlock();
      }
    }
    try {
      StoreFiles.createFolders(absolute.getParent());
      Files.deleteIfExists(temporary);
      // VACUUM INTO fills an empty file and keeps its mode: the copy is the owner's alone.
      StoreFiles.createOwnerOnly(temporary);
      Connection connection = database.borrowReader();
      try (PreparedStatement statement = connection.prepareStatement("vacuum into ?")) {
        statement.setString(1, temporary.toString());
        statement.execute();
      } catch (SQLException e) {
        throw Sql.failure(e, "vacuum into ?");
      } finally {
        database.returnReader(connection);
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

  private void takeSnapshot() {
    snapshotScheduled.set(false);
    if (database.isClosed() || !writtenSinceSnapshot) {
      return;
    }
    writtenSinceSnapshot = false;
    try {
      writeSnapshot();
    } catch (RuntimeException e) {
      writtenSinceSnapshot = true;
      // Interrupted: the store is closing (it stops its scheduler so), and takes the snapshot
      // itself when one is due; nothing to report.
      if (!database.isClosed() && !Thread.currentThread().isInterrupted()) {
        LOG.log(Level.WARNING, "the snapshot of " + path + " failed; trying again later", e);
      }
    }
  }

  /**
   * Takes the snapshot at close when one is due: only then, since a snapshot of a large file takes
   * seconds, and every short-lived process that writes (memctl add) would pay them at close. Call
   * with the writer lock held, before the connections close.
   */
  void beforeClose() {
    if (writtenSinceSnapshot
        && !snapshotInterval.isZero()
        && background.nanoTime() - lastSnapshotNanos >= snapshotInterval.toNanos()) {
      try {
        writeSnapshot();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "the final snapshot of " + path + " failed", e);
      }
    }
  }

  /** See {@link Database#rewriteSnapshot}. */
  boolean rewriteSnapshot() {
    if (!Files.exists(Snapshot.pathOf(path))) {
      return false;
    }
    writeSnapshot(true);
    return true;
  }

  private void writeSnapshot() {
    writeSnapshot(false);
  }

  /**
   * Writes the snapshot beside the file from a read snapshot; writers keep going. Unless {@code
   * always}, only when rows changed since the last one.
   */
  private void writeSnapshot(boolean always) {
    if (database.isReadOnly()) {
      return;
    }
    long changes;
    ReentrantLock writerLock = database.writerLock();
    writerLock.lock();
    try {
      database.ensureOpen();
      database.runBeforeCheckpoint();
      changes = database.totalChanges();
      if (changes == changesAtSnapshot && !always) {
        // Writes that changed no row (an open's migration, a flush of nothing): no new snapshot.
        return;
      }
    } finally {
      writerLock.unlock();
    }
    long started = background.nanoTime();
    long startedReally = System.nanoTime();
    // One at a time: the background one and close's share the temporary name.
    synchronized (snapshot) {
      Connection connection = database.borrowReader();
      try {
        snapshot.write(connection);
      } finally {
        database.returnReader(connection);
      }
    }
    changesAtSnapshot = changes;
    lastSnapshotNanos = started;
    database.writerHeld("snapshot", System.nanoTime() - startedReally);
  }
}
