package dev.memstore.internal.storage;

import dev.memstore.Durability;
import dev.memstore.MemoryStoreConfig;
import dev.memstore.internal.codec.ContentCodec;
import dev.memstore.internal.nativelib.SqliteVecLoader;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.BusyHandler;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/** Opening, setting up and closing the SQLite connections of a {@link Database}. */
final class Connections {
  private static final System.Logger LOG = System.getLogger(Connections.class.getName());

  private Connections() {}

  /** The JDBC address of the file; immutable for a file that nothing can change. */
  static String url(Path path, boolean immutable) {
    return immutable ? "jdbc:sqlite:" + path.toUri() + "?immutable=1" : "jdbc:sqlite:" + path;
  }

  static Connection connect(
      MemoryStoreConfig config,
      Path path,
      Path extension,
      boolean readOnly,
      boolean immutable,
      ContentCodec codec) {
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
      // The scratch full-text table of the keyword index splits sealed memories' texts into
      // terms: it must never spill to a temp file.
      Sql.execute(connection, "pragma temp_store = memory");
      ContentFunctions.register(connection, codec);
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

  static void setBusyHandler(Connection connection, PollingBusyHandler handler) {
    try {
      BusyHandler.setHandler(connection, handler);
    } catch (SQLException e) {
      throw Sql.failure(e, "set the busy handler");
    }
  }

  /** Returns true when the log was fully checkpointed and truncated. */
  static boolean truncateLog(Connection connection) {
    Integer busy =
        Sql.queryFirst(connection, "pragma wal_checkpoint(truncate)", row -> row.getInt(1));
    return busy != null && busy == 0;
  }

  static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    Sql.release(connection);
    ContentFunctions.forget(connection);
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "closing a connection failed", e);
    }
  }
}
