package dev.memstore.internal.storage;

import dev.memstore.MemoryFilter;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.StoreStats;
import dev.memstore.internal.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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

  /**
   * Reads the counts as {@link #read} does, but of the memories the filter matches only: what an
   * agent whose scope is that filter may see: sessions are those of {@code sessionUsers} (every
   * session when empty), as the agent's session list shows them; relationships and context groups
   * count those that reach memories in the filter only; the file's own figures stay, and the last
   * maintenance report (counts over every memory) is left out.
   */
  public static StoreStats.Builder readWithin(
      Connection connection,
      Path file,
      boolean sqliteVec,
      long now,
      MemoryFilter within,
      Set<String> sessionUsers) {
    MemoryFilter live = widened(within, false);
    MemoryQueries.Where where = MemoryQueries.Where.of(live, now);
    Object[] parameters = where.parameters().toArray();
    String scoped = " from memories m where " + where.sql();
    Map<MemoryType, Long> byType = new HashMap<>();
    Sql.query(
        connection,
        "select m.type, count(*)" + scoped + " group by m.type",
        row ->
            byType.put(
                MemoryType.valueOf(row.getString(1).toUpperCase(Locale.ROOT)), row.getLong(2)),
        parameters);
    Map<MemoryTier, Long> byTier = new HashMap<>();
    Sql.query(
        connection,
        "select m.tier, count(*)" + scoped + " group by m.tier",
        row ->
            byTier.put(
                MemoryTier.valueOf(row.getString(1).toUpperCase(Locale.ROOT)), row.getLong(2)),
        parameters);
    long total = byType.values().stream().mapToLong(Long::longValue).sum();
    Map<String, Long> bySession = new HashMap<>();
    Sql.query(
        connection,
        "select m.session_id, count(*)"
            + scoped
            + " and m.session_id is not null group by m.session_id",
        row -> bySession.put(row.getString(1), row.getLong(2)),
        parameters);
    Double average =
        Sql.queryFirst(
            connection, "select avg(m.importance)" + scoped, row -> row.getDouble(1), parameters);
    MemoryQueries.Where any = MemoryQueries.Where.of(widened(within, true), now);
    List<Object> twice = new ArrayList<>(where.parameters());
    twice.addAll(where.parameters());
    String ids = "(select m.id" + scoped + ")";
    String sessionsOf =
        sessionUsers.isEmpty() ? "1" : "user_id in (select value from json_each(?))";
    Object[] sessionParameters =
        sessionUsers.isEmpty() ? new Object[0] : new Object[] {Json.write(sessionUsers)};
    return read(connection, file, sqliteVec, now)
        .memoriesByType(byType)
        .memoriesByTier(byTier)
        .totalMemories(total)
        .memoriesBySession(bySession)
        .averageImportance(total == 0 || average == null ? 0 : average)
        .expiredMemories(
            Sql.queryLong(
                connection,
                "select count(*) from memories m where " + any.sql() + " and not " + LIVE_M,
                append(any.parameters(), now)))
        .sessions(
            Sql.queryLong(
                connection, "select count(*) from sessions where " + sessionsOf, sessionParameters))
        .activeSessions(
            Sql.queryLong(
                connection,
                "select count(*) from sessions where ended_at is null and " + sessionsOf,
                sessionParameters))
        .relationships(
            Sql.queryLong(
                connection,
                "select count(*) from relationships r where r.source_id in "
                    + ids
                    + " and r.target_id in "
                    + ids,
                twice.toArray()))
        .contextGroups(
            Sql.queryLong(
                connection,
                "select count(distinct gm.group_id) from context_group_members gm where"
                    + " gm.memory_id in "
                    + ids,
                parameters))
        .embeddedMemories(
            Sql.queryLong(
                connection,
                "select count(*) from memory_embeddings e join memories m on m.seq = e.memory_seq"
                    + " where "
                    + where.sql(),
                parameters))
        .pinnedMemories(
            Sql.queryLong(connection, "select count(*)" + scoped + " and m.pinned = 1", parameters))
        .archivedMemories(
            Sql.queryLong(
                connection,
                "select count(*)" + scoped + " and m.archived_at is not null",
                parameters))
        .lastMaintenance(Map.of());
  }

  private static final String LIVE_M = "(m.expires_at is null or m.expires_at > ?)";

  /** The filter with archived memories counted, and expired ones too when asked. */
  private static MemoryFilter widened(MemoryFilter filter, boolean includeExpired) {
    return filter.toBuilder()
        .includeExpired(includeExpired)
        .includeArchived(true)
        .includeSuperseded(true)
        .build();
  }

  private static Object[] append(List<Object> parameters, Object last) {
    List<Object> all = new ArrayList<>(parameters);
    all.add(last);
    return all.toArray();
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
