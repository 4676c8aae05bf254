package dev.memstore.internal.storage;

import dev.memstore.StorageException;
import dev.memstore.internal.nativelib.SqliteVecLoader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

/**
 * The verified copy of the store kept beside its file ({@code memory.db.snapshot}), so that copying
 * the folder always yields one complete file: a plain copy of {@code memory.db} taken while a
 * checkpoint writes pages into it can be torn (measured: README, "The file").
 *
 * <p>It is written with SQLite's online backup from a reader connection, in one step (one read
 * transaction), so writers keep going, to a temporary name created owner-only, checked with {@code
 * quick_check}, synced, and then renamed over the previous one: at every moment the name holds a
 * complete, checked file or nothing. While the backup reads, checkpoints cannot fold writes made
 * after it began, so it is made at most once per snapshot interval.
 */
public final class Snapshot {
  /** What a snapshot's name adds to the store file's name. */
  public static final String SUFFIX = ".snapshot";

  private final Path path;
  private final Path extension;

  Snapshot(Path database, Path extension) {
    this.path = pathOf(database);
    this.extension = extension;
  }

  /** Returns where the snapshot of the store file {@code database} is kept. */
  public static Path pathOf(Path database) {
    Path absolute = database.toAbsolutePath();
    return absolute.resolveSibling(absolute.getFileName() + SUFFIX);
  }

  /** Returns how long ago the snapshot was written, or null when there is none. */
  Duration age() {
    try {
      Duration age = Duration.between(Files.getLastModifiedTime(path).toInstant(), Instant.now());
      return age.isNegative() ? Duration.ZERO : age;
    } catch (IOException e) {
      return null;
    }
  }

  /** Writes, checks and installs a new snapshot from the reader connection's view of the file. */
  void write(Connection reader) {
    Path temporary = path.resolveSibling(path.getFileName() + ".partial");
    try {
      Files.deleteIfExists(temporary);
      StoreFiles.createOwnerOnly(temporary);
      int result;
      try {
        // All pages in one step, so in one read transaction: sqlite-jdbc's default of 100 pages a
        // step starts over whenever another connection commits, and under steady writes never ends.
        result =
            reader
                .unwrap(SQLiteConnection.class)
                .getDatabase()
                .backup("main", temporary.toString(), null, 100, 3, -1);
      } catch (SQLException e) {
        throw Sql.failure(e, "backup to " + temporary);
      }
      if (result != 0) {
        throw new StorageException(
            "writing the snapshot " + path + " failed (SQLite result code " + result + ")", null);
      }
      rollbackJournal(temporary);
      String check = check(temporary, extension);
      if (!"ok".equals(check)) {
        throw new StorageException("the new snapshot failed its check: " + check, null);
      }
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(
          temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new StorageException("writing the snapshot " + path + " failed: " + e.getMessage(), e);
    } finally {
      try {
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
          Files.deleteIfExists(temporary.resolveSibling(temporary.getFileName() + suffix));
        }
      } catch (IOException e) {
        // The next snapshot removes it first.
      }
    }
  }

  /**
   * Switches the copy from WAL to a rollback journal, which the backup copied from the store: a
   * read-only open of a WAL file leaves {@code -wal} and {@code -shm} files beside it, and opening
   * it as the store switches it back.
   */
  private static void rollbackJournal(Path file) {
    try (Connection connection = JDBC.createConnection("jdbc:sqlite:" + file, new Properties())) {
      try {
        Sql.execute(connection, "pragma journal_mode = delete");
      } finally {
        Sql.release(connection);
      }
    } catch (SQLException e) {
      throw Sql.failure(e, "pragma journal_mode = delete");
    }
  }

  /**
   * Opens a file read-only and returns SQLite's {@code quick_check} verdict ({@code ok} when
   * sound), or what kept it from being checked.
   */
  static String check(Path file, Path extension) {
    SQLiteConfig sqlite = new SQLiteConfig();
    sqlite.enableLoadExtension(true);
    sqlite.setReadOnly(true);
    try (Connection connection =
        JDBC.createConnection("jdbc:sqlite:" + file, sqlite.toProperties())) {
      if (extension != null) {
        SqliteVecLoader.loadInto(connection, extension);
      }
      try {
        return Sql.queryFirst(connection, "pragma quick_check", row -> row.getString(1));
      } finally {
        Sql.release(connection);
      }
    } catch (SQLException | StorageException e) {
      return "cannot be read as an SQLite database";
    }
  }

  /**
   * What {@code memctl doctor} tells about the snapshot of a store file: whether it is sound, how
   * many memories it holds and when it was written.
   *
   * @param path the snapshot's file
   * @param check {@code ok}, or what is wrong with it
   * @param memories how many memories it holds, or -1 when it cannot be read
   * @param written when it was written
   */
  public record Inspection(Path path, String check, long memories, Instant written) {
    /** Returns whether the snapshot can replace the store file. */
    public boolean sound() {
      return "ok".equals(check) && memories >= 0;
    }
  }

  /** Checks the snapshot of the store file {@code database}; returns null when there is none. */
  public static Inspection inspect(Path database) {
    Path snapshot = pathOf(database);
    if (!Files.isRegularFile(snapshot)) {
      return null;
    }
    Path extension;
    try {
      extension = SqliteVecLoader.extensionPath();
    } catch (StorageException e) {
      extension = null;
    }
    Instant written;
    try {
      written = Files.getLastModifiedTime(snapshot).toInstant();
    } catch (IOException e) {
      written = null;
    }
    String check = check(snapshot, extension);
    long memories = -1;
    if ("ok".equals(check)) {
      SQLiteConfig sqlite = new SQLiteConfig();
      sqlite.setReadOnly(true);
      try (Connection connection =
          JDBC.createConnection("jdbc:sqlite:" + snapshot, sqlite.toProperties())) {
        try {
          memories = Sql.queryLong(connection, "select count(*) from memories");
        } finally {
          Sql.release(connection);
        }
      } catch (SQLException | StorageException e) {
        check = "holds no memories table";
      }
    }
    return new Inspection(snapshot, check, memories, written);
  }
}
