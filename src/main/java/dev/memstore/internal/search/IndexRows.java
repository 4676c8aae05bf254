package dev.memstore.internal.search;

import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.StorageException;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.storage.ContentFunctions;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.MemoryQueries;
import dev.memstore.internal.storage.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Reads the vector index's rows from the file: the whole index, in chunks on two threads, when a
 * process builds it, and the rows of changed memories when it catches up with the change log.
 */
final class IndexRows {
  private IndexRows() {}

  /** How many row numbers one read transaction of the index build covers. */
  static final int BUILD_CHUNK = 10_000;

  /**
   * Builds the index from the embeddings table in chunks of {@link #BUILD_CHUNK} row numbers, each
   * its own read transaction, read by two threads on two reader connections; each thread reuses one
   * batch, which it appends to the index in chunk order, so the whole build allocates the index's
   * arrays once. Closing the store waits for one chunk at most. Changes committed while the chunks
   * are read are in the change log after the position noted first, so the catch-up that follows
   * applies them (applying a change a chunk already saw is harmless). Each thread runs {@code
   * beforeChunk} before it reads a chunk. Returns that position.
   */
  static long load(
      Database database, VectorIndex index, ExecutorService helperThreads, Runnable beforeChunk) {
    return load(database, index, helperThreads, beforeChunk, BUILD_CHUNK);
  }

  /** Builds in chunks of {@code chunkSize} row numbers; tests use small ones. */
  static long load(
      Database database,
      VectorIndex index,
      ExecutorService helperThreads,
      Runnable beforeChunk,
      int chunkSize) {
    long[] bounds =
        database.read(
            connection ->
                new long[] {
                  MemoryQueries.newestChange(connection),
                  Sql.queryLong(
                      connection, "select coalesce(min(memory_seq), 1) - 1 from memory_embeddings"),
                  Sql.queryLong(
                      connection, "select coalesce(max(memory_seq), 0) from memory_embeddings"),
                  // With the range of row numbers, a bound of the memories to index that SQLite
                  // counts from an index instead of reading the embeddings.
                  Sql.queryLong(connection, "select count(*) from memories")
                });
    int chunks = (int) ((bounds[2] - bounds[1] + chunkSize - 1) / chunkSize);
    long expected = Math.min(bounds[3], bounds[2] - bounds[1]);
    index.startLoad((int) Math.min(expected, Integer.MAX_VALUE / index.dimension()));
    ChunkOrder order = new ChunkOrder(chunks);
    Runnable reader =
        () -> {
          IndexBatch batch = new IndexBatch(index.dimension(), chunkSize);
          try {
            for (int chunk = order.next(); chunk < chunks; chunk = order.next()) {
              beforeChunk.run();
              long after = bounds[1] + (long) chunk * chunkSize;
              long last = Math.min(bounds[2], after + chunkSize);
              batch.clear();
              database.read(
                  connection ->
                      rows(connection, batch, "memory_seq > ? and memory_seq <= ?", after, last));
              order.awaitTurn(chunk);
              index.append(batch);
              order.done(chunk);
            }
          } catch (RuntimeException | Error e) {
            order.fail();
            throw e;
          }
        };
    Future<?> helper = chunks > 1 ? helperThreads.submit(reader) : null;
    RuntimeException failure = null;
    try {
      reader.run();
    } catch (RuntimeException e) {
      failure = e;
    }
    // The helper is waited for even after a failure here, so that it cannot append to the index
    // once the next build has started.
    if (helper != null) {
      try {
        Futures.await(helper);
      } catch (RuntimeException e) {
        failure = failure != null ? failure : e;
      }
    }
    if (failure != null) {
      throw failure;
    }
    index.finishLoad();
    return bounds[0];
  }

  /** Reads the index rows of the memories (those with an embedding that are not archived). */
  static IndexBatch of(Connection connection, int dimension, List<Long> seqs) {
    IndexBatch present = new IndexBatch(dimension, seqs.size());
    rows(connection, present, "memory_seq in (select value from json_each(?))", Json.write(seqs));
    return present;
  }

  /** Hands out chunk numbers and lets each read chunk be appended only after the one before it. */
  private static final class ChunkOrder {
    private final int chunks;
    private int handedOut;
    private int appended;
    private boolean failed;

    ChunkOrder(int chunks) {
      this.chunks = chunks;
    }

    /** The next chunk to read; {@code chunks} or more when there is none (or a reader failed). */
    synchronized int next() {
      return failed ? chunks : handedOut++;
    }

    synchronized void awaitTurn(int chunk) {
      while (appended != chunk && !failed) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new StorageException("interrupted while building the vector index", e);
        }
      }
      if (failed) {
        throw new StorageException("building the vector index failed in another thread", null);
      }
    }

    synchronized void done(int chunk) {
      appended = chunk + 1;
      notifyAll();
    }

    synchronized void fail() {
      failed = true;
      notifyAll();
    }
  }

  /**
   * Reads into the batch the index rows of the memories with embeddings whose row number meets the
   * condition on {@code memory_seq}, in row number order; archived memories are left out.
   */
  private static Void rows(
      Connection connection, IndexBatch batch, String condition, Object... parameters) {
    TagRows tags = new TagRows();
    Sql.forEach(
        connection,
        "select memory_seq, tag from memory_tags where "
            + condition
            + " order by memory_seq, position",
        row -> tags.add(row.getLong(1), row.getString(2)),
        parameters);
    Sql.forEach(
        connection,
        INDEX_ROWS + " and e." + condition + " order by e.memory_seq",
        row -> addRow(row, tags, batch),
        parameters);
    return null;
  }

  /**
   * The columns of a memory that the index holds. Each JDBC call costs about as much as SQLite's
   * reading of the row, so type, tier, pinned and which of the owner columns are set come packed in
   * one integer, and the owner strings are read only when set: reading 100k rows took a third less
   * time than with one column per field.
   */
  private static final String INDEX_ROWS =
      "select e.memory_seq, m.id, ("
          + ordinalCase("m.type", MemoryType.values(), MemoryType::wireName)
          + " | ("
          + ordinalCase("m.tier", MemoryTier.values(), MemoryTier::wireName)
          + " << 8) | ((m.pinned != 0) << 16) | ((m.session_id is not null) << 17)"
          + " | ((m.user_id is not null) << 18) | ((m.agent_id is not null) << 19)"
          + " | ((m.parent_id is not null) << 20)),"
          + " m.importance, m.created_at, coalesce(m.expires_at, "
          + Long.MAX_VALUE
          + "), coalesce(m.last_accessed_at, 0), "
          + ContentFunctions.VECTOR
          + ","
          + " m.session_id, m.user_id, m.agent_id, m.parent_id,"
          + " coalesce(m.valid_from, m.created_at), coalesce(m.valid_to, "
          + Long.MAX_VALUE
          + ") from memory_embeddings e join memories m on m.seq = e.memory_seq"
          + " where m.archived_at is null and "
          + ContentFunctions.VECTOR_READABLE;

  /** SQL that turns a column of wire names into the enum's ordinals (255 for an unknown name). */
  private static <E extends Enum<E>> String ordinalCase(
      String column, E[] values, Function<E, String> wireName) {
    StringBuilder sql = new StringBuilder("(case ").append(column);
    for (E value : values) {
      sql.append(" when '").append(wireName.apply(value)).append("' then ").append(value.ordinal());
    }
    return sql.append(" else 255 end)").toString();
  }

  private static final MemoryType[] TYPE_VALUES = MemoryType.values();
  private static final MemoryTier[] TIER_VALUES = MemoryTier.values();

  private static void addRow(ResultSet row, TagRows tags, IndexBatch batch) throws SQLException {
    long seq = row.getLong(1);
    String id = row.getString(2);
    int packed = row.getInt(3);
    int type = packed & 0xFF;
    int tier = (packed >>> 8) & 0xFF;
    if (type >= TYPE_VALUES.length || tier >= TIER_VALUES.length) {
      throw new StorageException(
          "memory " + id + " has a type or tier this version does not know", null);
    }
    batch.add(
        new IndexBatch.Row(
            seq,
            id,
            TYPE_VALUES[type],
            TIER_VALUES[tier],
            row.getDouble(4),
            row.getLong(5),
            row.getLong(6),
            row.getLong(7),
            (packed & (1 << 17)) != 0 ? row.getString(9) : null,
            (packed & (1 << 18)) != 0 ? row.getString(10) : null,
            (packed & (1 << 19)) != 0 ? row.getString(11) : null,
            (packed & (1 << 20)) != 0 ? row.getString(12) : null,
            tags.of(seq),
            (packed & (1 << 16)) != 0,
            row.getLong(13),
            row.getLong(14)),
        row.getBytes(8));
  }

  /** Tag rows in memory order, handed out while the memories are read in the same order. */
  private static final class TagRows {
    private long[] seqs = new long[64];
    private final List<String> tags = new ArrayList<>();
    private int position;

    void add(long seq, String tag) {
      if (tags.size() == seqs.length) {
        seqs = Arrays.copyOf(seqs, 2 * seqs.length);
      }
      seqs[tags.size()] = seq;
      tags.add(tag);
    }

    /** The tags of a memory; memories must be asked for in increasing row number. */
    List<String> of(long seq) {
      int count = tags.size();
      while (position < count && seqs[position] < seq) {
        position++;
      }
      int from = position;
      while (position < count && seqs[position] == seq) {
        position++;
      }
      return from == position ? List.of() : List.copyOf(tags.subList(from, position));
    }
  }
}
