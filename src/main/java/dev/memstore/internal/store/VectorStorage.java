package dev.memstore.internal.store;

import dev.memstore.internal.storage.Sql;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * Where embeddings are written: the plain {@code memory_embeddings} table, always, and the
 * sqlite-vec table {@code memory_vectors} when the extension is loaded. When it is not, the vector
 * table is marked stale and rebuilt from the embeddings table by the next process that has
 * sqlite-vec.
 */
final class VectorStorage {
  private final boolean sqliteVec;
  private final int dimension;

  VectorStorage(boolean sqliteVec, int dimension) {
    this.sqliteVec = sqliteVec;
    this.dimension = dimension;
  }

  boolean hasSqliteVec() {
    return sqliteVec;
  }

  /**
   * Creates the vector table, or rebuilds it when stale; call at open inside a write transaction.
   */
  void reconcile(Connection connection) {
    if (!sqliteVec) {
      return;
    }
    boolean exists =
        Sql.queryLong(
                connection, "select count(*) from sqlite_schema where name = 'memory_vectors'")
            > 0;
    boolean stale =
        Sql.update(connection, "delete from store_meta where key = 'vector_table_stale'") > 0;
    if (exists && !stale) {
      return;
    }
    if (exists) {
      Sql.execute(connection, "drop table memory_vectors");
    }
    // Chunks of 64 vectors instead of vec0's 1,024: an insert opens its chunk's blob and walks to
    // its place in it, which made inserts into the default 1.5 MB chunks 1.6 times slower
    // (measured on 50k vectors; KNN took the same time).
    Sql.execute(
        connection,
        "create virtual table memory_vectors using vec0 (embedding float["
            + dimension
            + "] distance_metric=cosine, chunk_size=64)");
    Sql.execute(
        connection,
        "insert into memory_vectors (rowid, embedding) select memory_seq, vector from memory_embeddings");
  }

  void write(Connection connection, long seq, float[] vector) {
    byte[] bytes = Vectors.toBytes(vector);
    Sql.update(
        connection,
        "insert into memory_embeddings (memory_seq, vector) values (?, ?)"
            + " on conflict (memory_seq) do update set vector = excluded.vector",
        seq,
        bytes);
    if (sqliteVec) {
      Sql.update(connection, "delete from memory_vectors where rowid = ?", seq);
      Sql.update(
          connection, "insert into memory_vectors (rowid, embedding) values (?, ?)", seq, bytes);
    } else {
      markStale(connection);
    }
  }

  /**
   * Writes the embeddings of memories just inserted at the row numbers {@code firstSeq, firstSeq +
   * 1, ...}; a null vector is skipped. Writers that have sqlite-vec delete a memory's vector row
   * with the memory, so while the vector table is not marked stale it holds no row at a new row
   * number and the delete that {@link #write} needs is skipped (it cost as much as the insert).
   */
  void writeNew(Connection connection, long firstSeq, List<float[]> vectors) {
    List<Object[]> rows = new ArrayList<>(vectors.size());
    for (int index = 0; index < vectors.size(); index++) {
      if (vectors.get(index) != null) {
        rows.add(new Object[] {firstSeq + index, Vectors.toBytes(vectors.get(index))});
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    Sql.batch(
        connection,
        "insert into memory_embeddings (memory_seq, vector) values (?, ?)"
            + " on conflict (memory_seq) do update set vector = excluded.vector",
        rows);
    if (!sqliteVec) {
      markStale(connection);
      return;
    }
    if (Sql.queryLong(
            connection, "select count(*) from store_meta where key = 'vector_table_stale'")
        > 0) {
      Sql.batch(
          connection,
          "delete from memory_vectors where rowid = ?",
          rows.stream().map(row -> new Object[] {row[0]}).toList());
    }
    Sql.batch(connection, "insert into memory_vectors (rowid, embedding) values (?, ?)", rows);
  }

  /**
   * Removes a memory's embedding. sqlite-vec 0.1.9 zeroes a deleted row's floats in its chunk
   * (measured; the secure-delete test pins it), so no trace of the embedding stays in the file.
   */
  void delete(Connection connection, long seq) {
    if (Sql.update(connection, "delete from memory_embeddings where memory_seq = ?", seq) > 0) {
      if (sqliteVec) {
        Sql.update(connection, "delete from memory_vectors where rowid = ?", seq);
      } else {
        markStale(connection);
      }
    }
  }

  /** Rebuilds the vector table from the embeddings table; call inside a write transaction. */
  void rebuild(Connection connection) {
    markStale(connection);
    reconcile(connection);
  }

  private static void markStale(Connection connection) {
    Sql.update(
        connection,
        "insert into store_meta (key, value) values ('vector_table_stale', '1')"
            + " on conflict (key) do update set value = '1'");
  }
}
