package dev.memstore.internal.storage;

import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.StoreStats;
import dev.memstore.internal.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The SQL of {@link StoreStats}: what the file holds. What only the running process knows (its
 * cache, its searches, its events) the caller adds to the builder that {@link #read} returns.
 */
public final class StatsQueries {
  /** The store_meta key that tells every process why memories were stored without vectors. */
  public static final String DEGRADED_KEY = "embedding_degraded";

  private static final String LIVE = "(expires_at is null or expires_at > ?)";

  private StatsQueries() {}

  /**
   * Reads the counts of the file at {@code file} through its connection, as of {@code now} (epoch
   * milliseconds), and returns them in a builder for the rest.
   */
  public static StoreStats.Builder read(
      Connection connection, Path file, boolean sqliteVec, long now) {
    Map<MemoryType, Long> byType =
        countsBy(
            connection, "type", now, name -> MemoryType.valueOf(name.toUpperCase(Locale.ROOT)));
    Map<MemoryTier, Long> byTier =
        countsBy(
            connection, "tier", now, name -> MemoryTier.valueOf(name.toUpperCase(Locale.ROOT)));
    long total = byType.values().stream().mapToLong(Long::longValue).sum();
    Map<String, Long> bySession = new HashMap<>();
    Sql.query(
        connection,
        "select session_id, count(*) from memories where session_id is not null and "
            + LIVE
            + " group by session_id",
        row -> bySession.put(row.getString(1), row.getLong(2)),
        now);
    Double average =
        Sql.queryFirst(
            connection,
            "select avg(importance) from memories where " + LIVE,
            row -> row.getDouble(1),
            now);
    StoreStats.Builder stats =
        StoreStats.builder()
            .memoriesByType(byType)
            .memoriesByTier(byTier)
            .totalMemories(total)
            .memoriesBySession(bySession)
            .averageImportance(total == 0 || average == null ? 0 : average)
            .expiredMemories(
                Sql.queryLong(connection, "select count(*) from memories where not " + LIVE, now))
            .sessions(Sql.queryLong(connection, "select count(*) from sessions"))
            .activeSessions(
                Sql.queryLong(connection, "select count(*) from sessions where ended_at is null"))
            .relationships(Sql.queryLong(connection, "select count(*) from relationships"))
            .contextGroups(Sql.queryLong(connection, "select count(*) from context_groups"))
            .embeddedMemories(Sql.queryLong(connection, "select count(*) from memory_embeddings"))
            .sqliteVecVersion(
                sqliteVec
                    ? Sql.queryFirst(connection, "select vec_version()", row -> row.getString(1))
                    : null)
            .schemaVersion((int) Sql.queryLong(connection, "pragma user_version"))
            .fileSizeBytes(sizeOf(file))
            .walSizeBytes(sizeOf(file.resolveSibling(file.getFileName() + "-wal")))
            .freePages(Sql.queryLong(connection, "pragma freelist_count"))
            .pageSize(Sql.queryLong(connection, "pragma page_size"))
            .pinnedMemories(
                Sql.queryLong(
                    connection, "select count(*) from memories where pinned = 1 and " + LIVE, now))
            .archivedMemories(
                Sql.queryLong(
                    connection,
                    "select count(*) from memories where archived_at is not null and " + LIVE,
                    now));
    String lastRun =
        Sql.queryFirst(
            connection,
            "select report from maintenance_runs order by seq desc limit 1",
            row -> row.getString(1));
    return stats
        .lastMaintenance(lastRun == null ? Map.of() : Json.readObject(lastRun))
        .degradedReason(
            Sql.queryFirst(
                connection,
                "select value from store_meta where key = ?",
                row -> row.getString(1),
                DEGRADED_KEY));
  }

  /** Counts live memories per value of a column that holds an enum's wire name. */
  private static <E extends Enum<E>> Map<E, Long> countsBy(
      Connection connection, String column, long now, Function<String, E> parse) {
    Map<E, Long> counts = new HashMap<>();
    Sql.query(
        connection,
        "select " + column + ", count(*) from memories where " + LIVE + " group by " + column,
        row -> counts.put(parse.apply(row.getString(1)), row.getLong(2)),
        now);
    return counts;
  }

  private static long sizeOf(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
