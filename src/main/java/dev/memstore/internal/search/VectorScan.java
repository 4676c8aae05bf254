package dev.memstore.internal.search;

import dev.memstore.MemoryFilter;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.storage.ContentFunctions;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.MemoryQueries;
import dev.memstore.internal.storage.Sql;
import dev.memstore.internal.storage.Vectors;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Exact semantic search by sqlite-vec's distance function over the embeddings table, for the
 * searches that arrive before this process has built its vector index. At 100k memories a scan
 * takes about 0.1-0.15 s, where the build takes a second or more in a new process: so a search
 * never waits for the build, and a process that searches once (memctl search) never builds it.
 * Memories and similarities are the ones the index would give: the same filters, archived memories
 * left out, cosine similarity.
 */
final class VectorScan {
  private VectorScan() {}

  /**
   * Returns the {@code k} memories nearest the query among those the filter allows, best first. A
   * large table is scanned in two halves of row numbers at once, the upper half on a helper thread
   * with a reader connection of its own (at 100k memories 90 ms instead of 175 ms, on 2 cores).
   */
  static List<Scored> nearest(
      Database database,
      ExecutorService helperThreads,
      float[] query,
      MemoryFilter filter,
      long now,
      int k) {
    long last =
        database.read(
            connection ->
                Sql.queryLong(
                    connection, "select coalesce(max(memory_seq), 0) from memory_embeddings"));
    if (last < PARALLEL_SCAN) {
      return database.read(connection -> nearest(connection, query, filter, now, k, 0, last));
    }
    long middle = last / 2;
    Future<List<Scored>> upper =
        helperThreads.submit(
            () ->
                database.read(
                    connection -> nearest(connection, query, filter, now, k, middle, last)));
    List<Scored> both =
        new ArrayList<>(
            database.read(connection -> nearest(connection, query, filter, now, k, 0, middle)));
    both.addAll(Futures.await(upper));
    both.sort(BEST_FIRST);
    return both.subList(0, Math.min(k, both.size()));
  }

  /**
   * From this many row numbers a scan runs in two halves at once: below it a scan takes well under
   * a millisecond either way, and at it VectorScanTest's store takes the two-halves path.
   */
  private static final int PARALLEL_SCAN = 512;

  private static final Comparator<Scored> BEST_FIRST =
      Comparator.comparingDouble((Scored hit) -> -hit.similarity())
          .thenComparingLong(hit -> -hit.seq());

  /** The nearest among the memories with row numbers in {@code (after, last]}. */
  private static List<Scored> nearest(
      Connection connection,
      float[] query,
      MemoryFilter filter,
      long now,
      int k,
      long after,
      long last) {
    MemoryQueries.Where where = MemoryQueries.Where.of(filter, now);
    List<Object> parameters = new ArrayList<>();
    parameters.add(Vectors.toBytes(query));
    parameters.add(after);
    parameters.add(last);
    parameters.addAll(where.parameters());
    parameters.add(k);
    return Sql.query(
        connection,
        "select m.seq, m.id, "
            + OPENED_SIMILARITY
            + " as similarity, m.importance, m.created_at,"
            + " coalesce(m.last_accessed_at, 0), m.type, m.tier, m.pinned"
            + " from memory_embeddings e join memories m on m.seq = e.memory_seq"
            + " where e.memory_seq > ? and e.memory_seq <= ? and "
            + ContentFunctions.VECTOR_READABLE
            + " and m.archived_at is null and "
            + where.sql()
            + " order by similarity desc, m.seq desc limit ?",
        row ->
            new Scored(
                row.getLong(1),
                row.getString(2),
                row.getDouble(3),
                row.getDouble(4),
                row.getLong(5),
                row.getLong(6),
                MemoryType.fromName(row.getString(7)).orElseThrow(),
                MemoryTier.fromName(row.getString(8)).orElseThrow(),
                row.getInt(9) != 0),
        parameters.toArray());
  }

  /**
   * Returns each memory's cosine similarity to the query, NaN for a memory without an embedding (as
   * {@link VectorIndex#similarities} does).
   */
  static double[] similarities(Connection connection, float[] query, long[] seqs) {
    double[] similarities = new double[seqs.length];
    Map<Long, Double> found = new HashMap<>();
    Sql.forEach(
        connection,
        "select e.memory_seq, "
            + OPENED_SIMILARITY
            + " from memory_embeddings e join memories m on m.seq = e.memory_seq"
            + " where e.memory_seq in (select value from json_each(?)) and "
            + ContentFunctions.VECTOR_READABLE,
        row -> found.put(row.getLong(1), row.getDouble(2)),
        Vectors.toBytes(query),
        Json.write(Arrays.stream(seqs).boxed().toList()));
    for (int position = 0; position < seqs.length; position++) {
      similarities[position] = found.getOrDefault(seqs[position], Double.NaN);
    }
    return similarities;
  }

  /**
   * sqlite-vec's cosine distance turned into a similarity. A vector of zeros on either side has no
   * direction: sqlite-vec's NaN reaches SQL as null, and the similarity is 0 as in the index.
   */
  private static final String SIMILARITY = "coalesce(1 - vec_distance_cosine(e.vector, ?), 0)";

  /** The similarity of a vector that may be sealed: opened first (only sealed rows call Java). */
  private static final String OPENED_SIMILARITY =
      SIMILARITY.replace("e.vector", ContentFunctions.VECTOR);
}
