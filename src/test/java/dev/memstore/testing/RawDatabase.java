package dev.memstore.testing;

import dev.memstore.internal.nativelib.SqliteVecLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * Direct SQL on a store's file, with sqlite-vec loaded, for checks the public API does not expose.
 */
public final class RawDatabase implements AutoCloseable {
  private final Connection connection;

  private RawDatabase(Connection connection) {
    this.connection = connection;
  }

  public static RawDatabase open(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.enableLoadExtension(true);
    Connection connection =
        DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
    SqliteVecLoader.loadInto(connection, SqliteVecLoader.extensionPath());
    return new RawDatabase(connection);
  }

  public List<String> strings(String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rows.next()) {
        values.add(rows.getString(1));
      }
      return values;
    }
  }

  public byte[] bytes(String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      return rows.next() ? rows.getBytes(1) : null;
    }
  }

  public long number(String sql) throws SQLException {
    return Long.parseLong(strings(sql).get(0));
  }

  public void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /**
   * Returns the problems between the memories table and its indexes: full-text rows and vectors
   * without a memory, memories without a full-text row. Empty when they agree.
   */
  public List<String> indexDisagreements() throws SQLException {
    List<String> problems = new ArrayList<>();
    problems.addAll(
        prefixed(
            "full-text row without memory: ",
            strings(
                "select id from memory_fts_docsize where id not in (select seq from memories)")));
    problems.addAll(
        prefixed(
            "memory without full-text row: ",
            strings(
                "select seq from memories where seq not in (select id from memory_fts_docsize)")));
    problems.addAll(
        prefixed(
            "vector without memory: ",
            strings(
                "select rowid from memory_vectors where rowid not in (select seq from memories)")));
    problems.addAll(
        prefixed(
            "tag without memory: ",
            strings(
                "select memory_seq from memory_tags where memory_seq not in (select seq from memories)")));
    return problems;
  }

  private static List<String> prefixed(String prefix, List<String> values) {
    return values.stream().map(value -> prefix + value).toList();
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
