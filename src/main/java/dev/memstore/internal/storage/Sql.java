package dev.memstore.internal.storage;

import dev.memstore.ReadOnlyStoreException;
import dev.memstore.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Runs parameterised statements and turns driver failures into {@link StorageException}s that carry
 * the SQL and SQLite's result code. User values are always bound, never spliced into SQL.
 */
public final class Sql {
  private Sql() {}

  /** Maps one row of a result set. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  /** Executes an insert, update or delete and returns the number of rows changed. */
  public static int update(Connection connection, String sql, Object... parameters) {
    PreparedStatement statement = prepare(connection, sql, parameters);
    try {
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw failed(connection, sql, e);
    }
  }

  /**
   * Executes one statement once per row of parameters, as one JDBC batch: for many rows this costs
   * a third of separate executions (measured on inserts of 1,000 memories).
   */
  public static void batch(Connection connection, String sql, List<Object[]> rows) {
    if (rows.isEmpty()) {
      return;
    }
    StatementCache cache = CACHES.computeIfAbsent(connection, key -> new StatementCache());
    try {
      PreparedStatement statement = cache.get(connection, sql);
      try {
        for (Object[] parameters : rows) {
          for (int index = 0; index < parameters.length; index++) {
            bind(statement, index + 1, parameters[index]);
          }
          statement.addBatch();
        }
        statement.executeBatch();
      } finally {
        statement.clearBatch();
      }
    } catch (SQLException e) {
      throw failed(connection, sql, e);
    }
  }

  /** Executes an insert and returns the rowid it created. */
  public static long insert(Connection connection, String sql, Object... parameters) {
    update(connection, sql, parameters);
    return queryLong(connection, "select last_insert_rowid()");
  }

  /** Returns every row of a query, mapped. */
  public static <T> List<T> query(
      Connection connection, String sql, RowMapper<T> mapper, Object... parameters) {
    PreparedStatement statement = prepare(connection, sql, parameters);
    try (ResultSet rows = statement.executeQuery()) {
      List<T> result = new ArrayList<>();
      while (rows.next()) {
        result.add(mapper.map(rows));
      }
      return result;
    } catch (SQLException e) {
      throw failed(connection, sql, e);
    }
  }

  /** Handles one row of a result set. */
  @FunctionalInterface
  public interface RowHandler {
    void handle(ResultSet row) throws SQLException;
  }

  /** Hands every row of a query to the handler, collecting nothing. */
  public static void forEach(
      Connection connection, String sql, RowHandler handler, Object... parameters) {
    PreparedStatement statement = prepare(connection, sql, parameters);
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        handler.handle(rows);
      }
    } catch (SQLException e) {
      throw failed(connection, sql, e);
    }
  }

  /** Returns the first row of a query, mapped, or null when there is none. */
  public static <T> T queryFirst(
      Connection connection, String sql, RowMapper<T> mapper, Object... parameters) {
    PreparedStatement statement = prepare(connection, sql, parameters);
    try (ResultSet rows = statement.executeQuery()) {
      return rows.next() ? mapper.map(rows) : null;
    } catch (SQLException e) {
      throw failed(connection, sql, e);
    }
  }

  /** Returns the single long of a query such as a count; 0 when it returns no row or null. */
  public static long queryLong(Connection connection, String sql, Object... parameters) {
    Long value = queryFirst(connection, sql, row -> row.getLong(1), parameters);
    return value == null ? 0 : value;
  }

  /** Executes a statement without parameters or results (DDL, pragmas). */
  public static void execute(Connection connection, String sql) {
    try (var statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw failure(e, sql);
    }
  }

  /**
   * Returns the connection's prepared statement for the SQL with the parameters bound. Statements
   * are kept per connection (compiling one costs more than running it) and closed with {@link
   * #release}.
   */
  private static PreparedStatement prepare(Connection connection, String sql, Object[] parameters) {
    StatementCache cache = CACHES.computeIfAbsent(connection, key -> new StatementCache());
    try {
      PreparedStatement statement = cache.get(connection, sql);
      for (int index = 0; index < parameters.length; index++) {
        bind(statement, index + 1, parameters[index]);
      }
      return statement;
    } catch (SQLException e) {
      throw failed(connection, sql, e);
    }
  }

  /** Closes the statements kept for a connection; call before closing it. */
  public static void release(Connection connection) {
    StatementCache cache = CACHES.remove(connection);
    if (cache != null) {
      cache.closeAll();
    }
  }

  private static StorageException failed(Connection connection, String sql, SQLException e) {
    StatementCache cache = CACHES.get(connection);
    if (cache != null) {
      cache.evict(sql);
    }
    return failure(e, sql);
  }

  private static final Map<Connection, StatementCache> CACHES = new ConcurrentHashMap<>();

  /** The most recently used statements of one connection. */
  private static final class StatementCache {
    private static final int CAPACITY = 128;

    private final LinkedHashMap<String, PreparedStatement> statements =
        new LinkedHashMap<>(CAPACITY, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() > CAPACITY) {
              closeQuietly(eldest.getValue());
              return true;
            }
            return false;
          }
        };

    synchronized PreparedStatement get(Connection connection, String sql) throws SQLException {
      PreparedStatement statement = statements.get(sql);
      if (statement == null) {
        statement = connection.prepareStatement(sql);
        statements.put(sql, statement);
      }
      return statement;
    }

    synchronized void evict(String sql) {
      closeQuietly(statements.remove(sql));
    }

    synchronized void closeAll() {
      statements.values().forEach(Sql::closeQuietly);
      statements.clear();
    }
  }

  private static void closeQuietly(PreparedStatement statement) {
    if (statement == null) {
      return;
    }
    try {
      statement.close();
    } catch (SQLException ignored) {
      // Closing a statement of a closed connection: nothing is left to release.
    }
  }

  private static void bind(PreparedStatement statement, int position, Object value)
      throws SQLException {
    if (value == null) {
      statement.setNull(position, Types.NULL);
    } else if (value instanceof byte[] bytes) {
      statement.setBytes(position, bytes);
    } else if (value instanceof Long number) {
      statement.setLong(position, number);
    } else if (value instanceof Integer number) {
      statement.setInt(position, number);
    } else if (value instanceof Double number) {
      statement.setDouble(position, number);
    } else if (value instanceof Boolean flag) {
      statement.setInt(position, flag ? 1 : 0);
    } else if (value instanceof String text) {
      statement.setString(position, text);
    } else {
      throw new IllegalArgumentException("cannot bind " + value.getClass().getName());
    }
  }

  /** A failure SQLite reported as busy without an exception, such as a checkpoint kept out. */
  public static StorageException busy(String message) {
    return new StorageException(message, null, SQLiteErrorCode.SQLITE_BUSY.code, null);
  }

  /** Returns the storage exception for a driver failure in the given statement. */
  public static StorageException failure(SQLException e, String sql) {
    int code = e instanceof SQLiteException sqlite ? sqlite.getResultCode().code : e.getErrorCode();
    int primary = code & 0xff;
    if (primary == SQLiteErrorCode.SQLITE_READONLY.code) {
      return new ReadOnlyStoreException(
          "the database file is read-only, nothing was written: " + e.getMessage(), e);
    }
    String advice;
    if (primary == SQLiteErrorCode.SQLITE_BUSY.code
        || primary == SQLiteErrorCode.SQLITE_LOCKED.code) {
      advice =
          "; another connection held the file for longer than the busy timeout. Nothing was written; retry, or"
              + " raise busyTimeout";
    } else if (primary == SQLiteErrorCode.SQLITE_FULL.code) {
      advice =
          "; the disk is full. The transaction was rolled back and nothing was written; free space and retry";
    } else if (primary == SQLiteErrorCode.SQLITE_CORRUPT.code
        || primary == SQLiteErrorCode.SQLITE_NOTADB.code) {
      advice = "; the file is damaged or not a database. Restore it from a backup";
    } else {
      advice = "";
    }
    return new StorageException("SQLite failed: " + e.getMessage() + advice, sql, code, e);
  }
}
