package dev.memstore.internal.storage;

import dev.memstore.StorageException;
import dev.memstore.UnsupportedSchemaException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The store's file and its companions on disk, outside SQLite's connections: files created for the
 * owner alone, what the header says before SQLite reads it, a log left by a crash folded in before
 * use, and the read-only media where nothing can be written beside the file.
 */
public final class StoreFiles {
  private static final System.Logger LOG = System.getLogger(StoreFiles.class.getName());

  private static final int HEADER_BYTES = 100;
  private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

  private StoreFiles() {}

  /** The write-ahead log beside the file. */
  static Path log(Path file) {
    return file.resolveSibling(file.getFileName() + "-wal");
  }

  /** The log's shared-memory index beside the file. */
  static Path sharedMemory(Path file) {
    return file.resolveSibling(file.getFileName() + "-shm");
  }

  /**
   * Creates the folders of a new store readable by the owner alone (0700 on POSIX); folders that
   * exist keep their modes.
   */
  public static void createFolders(Path folder) throws IOException {
    if (Files.isDirectory(folder)) {
      return;
    }
    if (isPosix(folder)) {
      Files.createDirectories(
          folder,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(folder);
    }
  }

  /**
   * Creates an empty file readable and writable by the owner alone (0600 on POSIX) before SQLite
   * creates it, since SQLite gives the log and shared-memory files the mode of the database file. A
   * file that exists meanwhile is left as it is.
   */
  public static void createOwnerOnly(Path file) throws IOException {
    try {
      if (isPosix(file.getParent())) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException createdMeanwhile) {
      // Another process created it first: it is that process's file now.
    }
  }

  private static boolean isPosix(Path path) {
    Path existing = path;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    try {
      return existing != null && Files.getFileStore(existing).supportsFileAttributeView("posix");
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Returns whether no log can be made beside the file: it lies on media mounted read-only, or
   * neither it nor its folder may be written. (Java's file store of a read-only bind mount is the
   * writable file system under it, so the write checks decide there.)
   */
  static boolean onReadOnlyMedia(Path file) {
    if (!Files.isWritable(file) && !Files.isWritable(file.toAbsolutePath().getParent())) {
      return true;
    }
    try {
      return Files.getFileStore(file).isReadOnly();
    } catch (IOException e) {
      return false;
    }
  }

  /** Returns whether a log with content lies beside the file. */
  static boolean hasLog(Path file) {
    try {
      return Files.size(log(file)) > 0;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Refuses, before SQLite opens it, a path that is a folder, an empty file that may not become a
   * store, a file that is not an SQLite database, and a database cut short; none is modified.
   */
  static void checkBeforeOpen(Path file, boolean mayCreate) {
    if (Files.isDirectory(file)) {
      throw new UnsupportedSchemaException(
          file
              + " is a folder, not a memory store file; give the path of the file itself (for"
              + " example "
              + file.resolve("memory.db")
              + ")");
    }
    byte[] header = new byte[HEADER_BYTES];
    int read;
    long size;
    try (InputStream in = Files.newInputStream(file)) {
      size = Files.size(file);
      read = in.readNBytes(header, 0, HEADER_BYTES);
    } catch (IOException e) {
      throw new StorageException(
          "cannot read " + file + ": " + describe(e) + "; check the file's permissions", e);
    }
    boolean log = hasLog(file);
    if (size == 0) {
      if (!mayCreate && !log) {
        throw new UnsupportedSchemaException(
            file
                + " is empty (0 bytes): it holds no memory store. If it should hold memories,"
                + " restore it from a backup; to start a new store there, open it with a command"
                + " that writes. memstore did not modify it");
      }
      return;
    }
    if (read < HEADER_BYTES || !Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new UnsupportedSchemaException(
          file
              + " is not an SQLite database, so not a memory store file; memstore did not modify it");
    }
    ByteBuffer bytes = ByteBuffer.wrap(header);
    int pageSize = Short.toUnsignedInt(bytes.getShort(16));
    long pageBytes = pageSize == 1 ? 65_536 : pageSize;
    long changeCounter = Integer.toUnsignedLong(bytes.getInt(24));
    long pages = Integer.toUnsignedLong(bytes.getInt(28));
    long validFor = Integer.toUnsignedLong(bytes.getInt(92));
    // The header's page count holds when it was written with the change counter; a log with content
    // may still extend the file, so only a file without one can be judged.
    if (!log && changeCounter == validFor && pages * pageBytes > size) {
      throw new UnsupportedSchemaException(
          file
              + " is shorter than its header says ("
              + size
              + " of "
              + pages * pageBytes
              + " bytes): it was cut short, for example by an interrupted copy. memstore did not"
              + " modify it; restore it from a backup");
    }
  }

  /**
   * Removes a new file whose creation failed before its schema was committed (schema version 0, at
   * most one page, no log beside it): it holds nothing, and left behind it would look like a copy
   * taken without its log.
   */
  static void removeUnfinished(Path file) {
    byte[] header = new byte[HEADER_BYTES];
    try {
      if (Files.exists(log(file)) || Files.size(file) > 65_536) {
        return;
      }
      int read;
      try (InputStream in = Files.newInputStream(file)) {
        read = in.readNBytes(header, 0, HEADER_BYTES);
      }
      if (read == 0 || (read == HEADER_BYTES && ByteBuffer.wrap(header).getInt(60) == 0)) {
        Files.deleteIfExists(file);
        Files.deleteIfExists(sharedMemory(file));
      }
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "could not remove the unfinished " + file, e);
    }
  }

  /** Returns whether the header marks the file as one written through a write-ahead log. */
  static boolean inWalMode(Path file) {
    byte[] header = new byte[HEADER_BYTES];
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(header, 0, HEADER_BYTES) == HEADER_BYTES && header[18] == 2;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The message for a file that holds no store yet looks like a copy of a store's file taken
   * without its log while that store was writing: the copy has the empty start of a store, all the
   * memories were still in the log.
   */
  static String copiedWithoutLog(Path file) {
    return file
        + " has no memory store in it (schema version 0), yet it is the file of a store that was"
        + " writing: it looks like a copy taken without its "
        + log(file).getFileName()
        + " log while a store had the memories there. memstore did not modify it and will not"
        + " turn it into an empty store: restore it from a backup (memctl backup makes complete"
        + " ones), or copy the original's -wal file beside it under the name "
        + log(file).getFileName();
  }

  /**
   * Folds a log that lies beside the file into the file when no other connection has the file open:
   * a connection that can write opens the file, reads it, and closes; SQLite's last connection to
   * close checkpoints the log and removes it with the shared-memory file, and leaves both alone
   * while any other connection of any process has the file open. So after a crash, the file on its
   * own is complete again, and the log and shared-memory files that a read-only connection leaves
   * behind are removed.
   *
   * <p>When {@code checkpoint} is set, the log is checkpointed explicitly first, which tells a full
   * disk apart: then this returns why the log could not be folded in and how much space it needs;
   * otherwise null.
   */
  static String foldLog(Path file, boolean checkpoint) {
    if (!Files.exists(log(file)) && !Files.exists(sharedMemory(file))) {
      return null;
    }
    if (!Files.isWritable(file) || !Files.isWritable(file.toAbsolutePath().getParent())) {
      return null;
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(0);
    long logBytes = sizeOrZero(log(file));
    try (Connection connection =
        JDBC.createConnection("jdbc:sqlite:" + file, config.toProperties())) {
      try {
        Sql.queryLong(connection, "pragma user_version");
        if (checkpoint && logBytes > 0) {
          Sql.queryFirst(connection, "pragma wal_checkpoint(passive)", row -> row.getInt(1));
        }
      } finally {
        Sql.release(connection);
      }
    } catch (SQLException e) {
      LOG.log(Level.DEBUG, "folding the log of " + file + " in failed", e);
    } catch (StorageException e) {
      if (isDiskFull(e)) {
        return spaceNeeded(file, logBytes);
      }
      LOG.log(Level.DEBUG, "folding the log of " + file + " in failed", e);
    }
    return null;
  }

  private static boolean isDiskFull(StorageException e) {
    int primary = e.sqliteResultCode() & 0xff;
    return primary == SQLiteErrorCode.SQLITE_FULL.code
        || (e.getCause() instanceof SQLiteException sqlite
            && (sqlite.getResultCode().code & 0xff) == SQLiteErrorCode.SQLITE_FULL.code);
  }

  private static String spaceNeeded(Path file, long logBytes) {
    long usable;
    try {
      usable = Files.getFileStore(file).getUsableSpace();
    } catch (IOException e) {
      usable = 0;
    }
    return "its log "
        + log(file).getFileName()
        + " ("
        + mebibytes(logBytes)
        + ") could not be folded into the file: the disk is full. That needs free space about"
        + " the size of the log; "
        + mebibytes(usable)
        + " are free. Every acknowledged write is in the log and can be read. Free at least "
        + mebibytes(Math.max(logBytes - usable, 1 << 20))
        + " more, then open the store again to write";
  }

  private static String mebibytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  private static long sizeOrZero(Path path) {
    try {
      return Files.size(path);
    } catch (IOException e) {
      return 0;
    }
  }

  private static String describe(IOException e) {
    return e instanceof AccessDeniedException
        ? "permission denied"
        : e instanceof NoSuchFileException ? "no such file" : "an input/output error";
  }
}
