package dev.memstore.internal.storage;

import dev.memstore.internal.codec.ContentCodec;
import dev.memstore.internal.json.Json;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where embeddings are written: the plain {@code memory_embeddings} table, always, and the
 * sqlite-vec table {@code memory_vectors} when the extension is loaded. When it is not, the vector
 * table is marked stale and rebuilt from the embeddings table by the next process that has
 * sqlite-vec.
 *
 * <p>New memories' vectors reach the vector table later than their commit: a batch only notes, in
 * {@code store_meta} key {@value #FILLED_TO}, the row number up to which the table is complete, and
 * {@link #fill} copies the rest before every checkpoint (idle, explicit, on close, before a backup)
 * and at open. Inserting into vec0 took a third of a batch's time (1,000 memories), so ingest is
 * faster, while a file copied when README says copying is safe still holds every vector in both
 * tables. Between a commit and the next checkpoint, SQL that reads {@code memory_vectors} directly
 * does not see the newest memories (the store's own search reads the embeddings table).
 */
public final class VectorStorage {
  private final boolean sqliteVec;
  private final int dimension;
  private final String modelId;
  private final Consumer<String> otherModel;

  public VectorStorage(boolean sqliteVec, int dimension) {
    this(sqliteVec, dimension, null, fileModel -> {});
  }

  /**
   * Storage that writes only vectors of {@code modelId}: before each write it reads the file's
   * model, inside the writing transaction, and when another process moved the file to another model
   * (memctl reembed) it writes nothing and tells {@code otherModel}. The memory stays without a
   * vector, for the new model's backlog; a vector of another model is never committed.
   */
  public VectorStorage(
      boolean sqliteVec, int dimension, String modelId, Consumer<String> otherModel) {
    this.sqliteVec = sqliteVec;
    this.dimension = dimension;
    this.modelId = modelId;
    this.otherModel = otherModel;
  }

  /** Whether the file's vectors are still of this storage's model; one primary-key lookup. */
  private boolean sameModel(Connection connection) {
    if (modelId == null) {
      return true;
    }
    String fileModel =
        Sql.queryFirst(
            connection,
            "select value from store_meta where key = 'embedding_model'",
            row -> row.getString(1));
    if (fileModel == null || fileModel.equals(modelId)) {
      return true;
    }
    otherModel.accept(fileModel);
    return false;
  }

  /** The store_meta key of the row number up to which the vector table holds every embedding. */
  static final String FILLED_TO = "vector_table_filled_to";

  public boolean hasSqliteVec() {
    return sqliteVec;
  }

  /**
   * Creates the vector table, or rebuilds it when stale; call at open inside a write transaction.
   */
  public void reconcile(Connection connection) {
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
      fill(connection);
      return;
    }
    Sql.update(connection, "delete from store_meta where key = ?", FILLED_TO);
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
        "insert into memory_vectors (rowid, embedding)"
            + " select memory_seq, vector from memory_embeddings where sealed = 0");
  }

  /**
   * Returns the stored vectors of the live memories among the ids, by id; a memory without one
   * (waiting for its embedding), and a sealed one whose key this store lacks, are left out.
   */
  public static Map<String, float[]> readLive(
      Connection connection, Collection<String> ids, long now) {
    Map<String, float[]> found = new HashMap<>();
    if (ids.isEmpty()) {
      return found;
    }
    ContentCodec codec = ContentFunctions.codec(connection);
    Sql.forEach(
        connection,
        "select m.id, e.vector, e.sealed from memories m"
            + " join memory_embeddings e on e.memory_seq = m.seq"
            + " where m.id in (select value from json_each(?)) and "
            + MemoryQueries.LIVE,
        row -> {
          String id = row.getString(1);
          byte[] bytes =
              row.getInt(3) != 0 ? codec.openVector(id, row.getBytes(2)) : row.getBytes(2);
          if (bytes != null) {
            found.put(id, Vectors.fromBytes(bytes));
          }
        },
        Json.write(ids),
        now);
    return found;
  }

  /** Inserts or replaces a memory's stored vector: its bytes, whether sealed, whether given. */
  private static final String UPSERT =
      "insert into memory_embeddings (memory_seq, vector, sealed, given) values (?, ?, ?, ?)"
          + " on conflict (memory_seq) do update set vector = excluded.vector,"
          + " sealed = excluded.sealed, given = excluded.given";

  /**
   * Writes a memory's vector, {@code given} by the caller or computed from its text; returns false
   * when the file moved to another model.
   */
  public boolean write(Connection connection, long seq, float[] vector, boolean given) {
    if (!sameModel(connection)) {
      return false;
    }
    byte[] bytes = Vectors.toBytes(vector);
    String sealedId =
        Sql.queryFirst(
            connection,
            "select id from memories where seq = ? and sensitive",
            row -> row.getString(1),
            seq);
    if (sealedId != null) {
      writeSealed(connection, seq, sealedId, bytes, given);
      return true;
    }
    Sql.update(connection, UPSERT, seq, bytes, false, given);
    Long filledTo = filledTo(connection);
    if (sqliteVec && filledTo != null && seq > filledTo) {
      return true; // not in the vector table yet: fill copies the new vector
    }
    if (sqliteVec) {
      Sql.update(connection, "delete from memory_vectors where rowid = ?", seq);
      Sql.update(
          connection, "insert into memory_vectors (rowid, embedding) values (?, ?)", seq, bytes);
    } else {
      markStale(connection);
    }
    return true;
  }

  /**
   * Writes the embeddings of memories just inserted at the row numbers {@code firstSeq, firstSeq +
   * 1, ...}; a null vector is skipped, and {@code given} holds the positions of vectors the caller
   * gave. The vector table gets them from {@link #fill}.
   */
  public void writeNew(Connection connection, long firstSeq, List<float[]> vectors, BitSet given) {
    Map<Long, String> sealedIds = new HashMap<>();
    Sql.forEach(
        connection,
        "select seq, id from memories where seq between ? and ? and sensitive",
        row -> sealedIds.put(row.getLong(1), row.getString(2)),
        firstSeq,
        firstSeq + vectors.size() - 1);
    ContentCodec codec = ContentFunctions.codec(connection);
    List<Object[]> rows = new ArrayList<>(vectors.size());
    for (int index = 0; index < vectors.size(); index++) {
      if (vectors.get(index) != null) {
        long seq = firstSeq + index;
        byte[] bytes = Vectors.toBytes(vectors.get(index));
        String sealedId = sealedIds.get(seq);
        rows.add(
            sealedId == null
                ? new Object[] {seq, bytes, false, given.get(index)}
                : new Object[] {seq, codec.sealVector(sealedId, bytes), true, given.get(index)});
      }
    }
    if (rows.isEmpty() || !sameModel(connection)) {
      return;
    }
    Sql.batch(connection, UPSERT, rows);
    if (!sqliteVec) {
      markStale(connection);
      return;
    }
    Sql.update(
        connection,
        "insert or ignore into store_meta (key, value) values (?, ?)",
        FILLED_TO,
        String.valueOf(firstSeq - 1));
  }

  /**
   * Copies into the vector table the embeddings of memories written since it was last complete;
   * call inside a write transaction. A stale table is left alone: the next open rebuilds it whole.
   * Writers that have sqlite-vec delete a memory's vector row with the memory, so while the table
   * is not stale it holds no row above the mark.
   */
  public void fill(Connection connection) {
    Long filledTo = filledTo(connection);
    if (!fillable(connection, filledTo)) {
      return;
    }
    Sql.update(
        connection,
        "insert into memory_vectors (rowid, embedding) select memory_seq, vector"
            + " from memory_embeddings where memory_seq > ? and sealed = 0 order by memory_seq",
        filledTo);
    Sql.update(connection, "delete from store_meta where key = ?", FILLED_TO);
  }

  /** Whether the vector table is kept up by copies: sqlite-vec is there, and it is not stale. */
  private boolean fillable(Connection connection, Long filledTo) {
    return sqliteVec
        && filledTo != null
        && Sql.queryLong(
                connection, "select count(*) from store_meta where key = 'vector_table_stale'")
            == 0;
  }

  /**
   * Copies at most {@code limit} of the vectors missing from the vector table, oldest first, and
   * moves the mark past them; returns whether the table is now complete. The periodic checkpoint
   * copies in such steps, releasing the writer between them: one copy of 500 vectors into a table
   * of 150k held the writer for 470 ms (measured).
   */
  public boolean fillSome(Connection connection, int limit) {
    Long filledTo = filledTo(connection);
    if (!fillable(connection, filledTo)) {
      return true;
    }
    Long last =
        Sql.queryFirst(
            connection,
            "select max(memory_seq) from (select memory_seq from memory_embeddings"
                + " where memory_seq > ? order by memory_seq limit ?)",
            row -> row.getObject(1) == null ? null : row.getLong(1),
            filledTo,
            limit);
    if (last == null) {
      Sql.update(connection, "delete from store_meta where key = ?", FILLED_TO);
      return true;
    }
    Sql.update(
        connection,
        "insert into memory_vectors (rowid, embedding)"
            + " select memory_seq, vector from memory_embeddings"
            + " where memory_seq > ? and memory_seq <= ? and sealed = 0 order by memory_seq",
        filledTo,
        last);
    Sql.update(
        connection,
        "update store_meta set value = ? where key = ?",
        String.valueOf(last),
        FILLED_TO);
    return false;
  }

  private static Long filledTo(Connection connection) {
    return Sql.queryFirst(
        connection,
        "select cast(value as integer) from store_meta where key = ?",
        row -> row.getLong(1),
        FILLED_TO);
  }

  /**
   * Removes a memory's embedding. sqlite-vec 0.1.9 zeroes a deleted row's floats in its chunk
   * (measured; the secure-delete test pins it), so no trace of the embedding stays in the file.
   */
  public void delete(Connection connection, long seq) {
    if (Sql.update(connection, "delete from memory_embeddings where memory_seq = ?", seq) > 0) {
      if (sqliteVec) {
        Sql.update(connection, "delete from memory_vectors where rowid = ?", seq);
      } else {
        markStale(connection);
      }
    }
  }

  /**
   * Stores a sealed memory's vector encrypted, and never in the vector table: sqlite-vec keeps
   * floats in clear, and text can be partly recovered from an embedding.
   */
  private void writeSealed(
      Connection connection, long seq, String memoryId, byte[] vector, boolean given) {
    byte[] sealed = ContentFunctions.codec(connection).sealVector(memoryId, vector);
    Sql.update(connection, UPSERT, seq, sealed, true, given);
    if (sqliteVec) {
      Sql.update(connection, "delete from memory_vectors where rowid = ?", seq);
    }
  }

  /**
   * Writes a vector sealed already (imported from an export) as it is; never in the vector table.
   */
  public void writeSealedAsIs(Connection connection, long seq, byte[] sealed, boolean given) {
    if (!sameModel(connection)) {
      return;
    }
    Sql.update(connection, UPSERT, seq, sealed, true, given);
  }

  /**
   * Stores a memory's existing vector again as its row now says (sealed or clear), after the memory
   * was sealed or opened; call inside a write transaction.
   */
  public void recode(Connection connection, long seq, String memoryId) {
    Object[] vector =
        Sql.queryFirst(
            connection,
            "select "
                + ContentFunctions.VECTOR
                + ", e.given from memory_embeddings e join memories m on m.seq = e.memory_seq"
                + " where e.memory_seq = ?",
            row -> new Object[] {row.getBytes(1), row.getInt(2) != 0},
            seq);
    if (vector != null) {
      write(connection, seq, Vectors.fromBytes((byte[]) vector[0]), (Boolean) vector[1]);
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
