package dev.memstore.internal.storage;

import dev.memstore.StorageException;
import dev.memstore.UnsupportedSchemaException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * The check before a file is opened for real: files of newer schema versions, of other
 * applications, or that are no SQLite database at all are refused without being modified.
 */
final class Compatibility {
  private Compatibility() {}

  /**
   * Throws {@link UnsupportedSchemaException} unless the file is memstore's, or an empty SQLite
   * file, of a schema version this code understands.
   */
  static void check(Path path, int latestVersion) {
    SQLiteConfig probe = new SQLiteConfig();
    probe.setReadOnly(true);
    // Without a log the file alone is the whole database: read it as immutable, which creates no
    // log or shared-memory file beside a file that may not be memstore's.
    boolean withoutLog = !Files.exists(StoreFiles.log(path));
    probe.setOpenMode(SQLiteOpenMode.OPEN_URI);
    try (Connection connection =
        JDBC.createConnection(Connections.url(path, withoutLog), probe.toProperties())) {
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
      if (applicationId != 0 && applicationId != Database.APPLICATION_ID) {
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
}
