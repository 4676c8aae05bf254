package dev.memstore.bench;

import dev.memstore.internal.nativelib.SqliteVecLoader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.sqlite.SQLiteConfig;

/**
 * sqlite-vec's KNN through JDBC, as a user of our own dependency would write it: float KNN on the
 * store's own {@code memory_vectors} table, float KNN with the bucket as a metadata column, and bit
 * KNN of 100 candidates (vec_quantize_binary) rescored with exact cosine distances, in a separate
 * file built from the same vectors.
 */
final class Vec0Knn implements KnnSearch, AutoCloseable {
  /** How many bit-KNN candidates the float rescoring sees. */
  static final int BIT_CANDIDATES = 100;

  private final Connection connection;
  private final String unfiltered;
  private final String filtered;
  private final int[] memoryByRowid;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  private Vec0Knn(Connection connection, String unfiltered, String filtered, int[] memoryByRowid) {
    this.connection = connection;
    this.unfiltered = unfiltered;
    this.filtered = filtered;
    this.memoryByRowid = memoryByRowid;
  }

  static Connection connect(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.enableLoadExtension(true);
    Connection connection =
        DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
    SqliteVecLoader.loadInto(connection, SqliteVecLoader.extensionPath());
    return connection;
  }

  /** Float KNN on the store's own vector table (no bucket there: unfiltered only). */
  static Vec0Knn floatOnStore(Path storeFile, Map<String, Integer> memoryById, int size)
      throws SQLException {
    Connection connection = connect(storeFile);
    int[] memoryBySeq = new int[size + 1];
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("select seq, id from memories")) {
      while (rows.next()) {
        int seq = (int) rows.getLong(1);
        if (seq >= memoryBySeq.length) {
          memoryBySeq = java.util.Arrays.copyOf(memoryBySeq, seq + 1);
        }
        memoryBySeq[seq] = memoryById.get(rows.getString(2));
      }
    }
    return new Vec0Knn(
        connection,
        "select rowid from memory_vectors where embedding match ?1 and k = ?2 order by distance",
        null,
        memoryBySeq);
  }

  /**
   * Builds the separate file's tables (row id = memory + 1) and returns float KNN with the bucket
   * as a metadata column, and bit KNN plus rescoring; the seconds each table took to fill.
   */
  static Vec0Knn[] separateFile(Path file, SpeedCorpus corpus, double[] buildSeconds)
      throws SQLException {
    try (Connection build = connect(file)) {
      build.setAutoCommit(false);
      try (Statement statement = build.createStatement()) {
        statement.execute(
            "create virtual table floats using vec0 (embedding float["
                + SpeedCorpus.DIMENSION
                + "] distance_metric=cosine, bucket integer)");
        statement.execute(
            "create virtual table bits using vec0 (embedding bit["
                + SpeedCorpus.DIMENSION
                + "], bucket integer)");
        statement.execute("create table vectors (id integer primary key, vector blob not null)");
      }
      buildSeconds[0] =
          fill(
              build,
              corpus,
              "insert into floats (rowid, embedding, bucket) values (?, ?, ?)",
              true);
      buildSeconds[1] =
          fill(
              build,
              corpus,
              "insert into bits (rowid, embedding, bucket) values (?, vec_quantize_binary(?), ?)",
              true);
      fill(build, corpus, "insert into vectors (id, vector) values (?, ?)", false);
      build.commit();
    }
    int[] memoryByRowid = new int[corpus.size() + 1];
    for (int memory = 0; memory < corpus.size(); memory++) {
      memoryByRowid[memory + 1] = memory;
    }
    String bits =
        "select c.rowid from (select rowid from bits where embedding match vec_quantize_binary(?1)"
            + " and k = "
            + BIT_CANDIDATES
            + "%s) c join vectors v on v.id = c.rowid"
            + " order by vec_distance_cosine(v.vector, ?1) limit ?2";
    return new Vec0Knn[] {
      new Vec0Knn(
          connect(file),
          "select rowid from floats where embedding match ?1 and k = ?2 order by distance",
          "select rowid from floats where embedding match ?1 and k = ?2 and bucket < ?3"
              + " order by distance",
          memoryByRowid),
      new Vec0Knn(
          connect(file),
          String.format(bits, ""),
          String.format(bits, " and bucket < ?3"),
          memoryByRowid)
    };
  }

  private static double fill(Connection connection, SpeedCorpus corpus, String sql, boolean bucket)
      throws SQLException {
    long start = System.nanoTime();
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      for (int memory = 0; memory < corpus.size(); memory++) {
        insert.setLong(1, memory + 1);
        insert.setBytes(2, bytes(corpus.vector(memory)));
        if (bucket) {
          insert.setInt(3, corpus.buckets[memory]);
        }
        insert.addBatch();
        if (memory % 1000 == 999) {
          insert.executeBatch();
        }
      }
      insert.executeBatch();
    }
    return (System.nanoTime() - start) / 1e9;
  }

  static byte[] bytes(float[] vector) {
    ByteBuffer buffer =
        ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(vector);
    return buffer.array();
  }

  boolean filters() {
    return filtered != null;
  }

  @Override
  public int[] search(float[] query, int percent, int k) throws SQLException {
    String sql = percent >= 100 ? unfiltered : filtered;
    if (sql == null) {
      throw new UnsupportedOperationException("no bucket column in this table");
    }
    PreparedStatement statement = statements.get(sql);
    if (statement == null) {
      statement = connection.prepareStatement(sql);
      statements.put(sql, statement);
    }
    statement.setBytes(1, bytes(query));
    statement.setInt(2, k);
    if (percent < 100) {
      statement.setInt(3, percent);
    }
    int[] memories = new int[k];
    int count = 0;
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next() && count < k) {
        memories[count++] = memoryByRowid[(int) rows.getLong(1)];
      }
    }
    return java.util.Arrays.copyOf(memories, count);
  }

  @Override
  public void close() throws SQLException {
    for (PreparedStatement statement : statements.values()) {
      statement.close();
    }
    connection.close();
  }
}
