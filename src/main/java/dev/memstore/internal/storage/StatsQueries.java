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
 * cache, its searches, its events) the caller adds to the {@link Builder} that {@link #read}
 * returns, so that the record's constructor is called in one place.
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
  public static Builder read(Connection connection, Path file, boolean sqliteVec, long now) {
    Builder stats = new Builder();
    stats.memoriesByType =
        countsBy(
            connection, "type", now, name -> MemoryType.valueOf(name.toUpperCase(Locale.ROOT)));
    stats.memoriesByTier =
        countsBy(
            connection, "tier", now, name -> MemoryTier.valueOf(name.toUpperCase(Locale.ROOT)));
    stats.totalMemories = stats.memoriesByType.values().stream().mapToLong(Long::longValue).sum();
    Sql.query(
        connection,
        "select session_id, count(*) from memories where session_id is not null and "
            + LIVE
            + " group by session_id",
        row -> stats.memoriesBySession.put(row.getString(1), row.getLong(2)),
        now);
    Double average =
        Sql.queryFirst(
            connection,
            "select avg(importance) from memories where " + LIVE,
            row -> row.getDouble(1),
            now);
    stats.averageImportance = stats.totalMemories == 0 || average == null ? 0 : average;
    stats.expiredMemories =
        Sql.queryLong(connection, "select count(*) from memories where not " + LIVE, now);
    stats.sessions = Sql.queryLong(connection, "select count(*) from sessions");
    stats.activeSessions =
        Sql.queryLong(connection, "select count(*) from sessions where ended_at is null");
    stats.relationships = Sql.queryLong(connection, "select count(*) from relationships");
    stats.contextGroups = Sql.queryLong(connection, "select count(*) from context_groups");
    stats.embeddedMemories = Sql.queryLong(connection, "select count(*) from memory_embeddings");
    stats.sqliteVecVersion =
        sqliteVec
            ? Sql.queryFirst(connection, "select vec_version()", row -> row.getString(1))
            : null;
    stats.schemaVersion = (int) Sql.queryLong(connection, "pragma user_version");
    stats.fileSizeBytes = sizeOf(file);
    stats.walSizeBytes = sizeOf(file.resolveSibling(file.getFileName() + "-wal"));
    stats.freePages = Sql.queryLong(connection, "pragma freelist_count");
    stats.pageSize = Sql.queryLong(connection, "pragma page_size");
    stats.pinnedMemories =
        Sql.queryLong(
            connection, "select count(*) from memories where pinned = 1 and " + LIVE, now);
    stats.archivedMemories =
        Sql.queryLong(
            connection,
            "select count(*) from memories where archived_at is not null and " + LIVE,
            now);
    String lastRun =
        Sql.queryFirst(
            connection,
            "select report from maintenance_runs order by seq desc limit 1",
            row -> row.getString(1));
    stats.lastMaintenance = lastRun == null ? Map.of() : Json.readObject(lastRun);
    stats.degradedReason =
        Sql.queryFirst(
            connection,
            "select value from store_meta where key = ?",
            row -> row.getString(1),
            DEGRADED_KEY);
    return stats;
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

  /** The values of a {@link StoreStats}, gathered from the file and from the process. */
  public static final class Builder {
    private long totalMemories;
    private long expiredMemories;
    private Map<MemoryType, Long> memoriesByType = Map.of();
    private Map<MemoryTier, Long> memoriesByTier = Map.of();
    private double averageImportance;
    private long sessions;
    private long activeSessions;
    private long relationships;
    private long contextGroups;
    private long embeddedMemories;
    private String embeddingModel;
    private int embeddingDimension;
    private String sqliteVecVersion;
    private int schemaVersion;
    private long fileSizeBytes;
    private long walSizeBytes;
    private long freePages;
    private long pageSize;
    private final Map<String, Long> memoriesBySession = new HashMap<>();
    private long pinnedMemories;
    private long archivedMemories;
    private long cachedMemories;
    private long cacheHits;
    private long cacheMisses;
    private long searches;
    private double averageSearchScore;
    private double searchP50Millis;
    private double searchP95Millis;
    private long droppedEvents;
    private Map<String, Object> lastMaintenance = Map.of();
    private String degradedReason;

    private Builder() {}

    /** Sets the embedding model of the file's vectors (null before the first) and their size. */
    public Builder embedding(String model, int dimension) {
      this.embeddingModel = model;
      this.embeddingDimension = dimension;
      return this;
    }

    /** Sets this process's cache figures. */
    public Builder cache(long cachedMemories, long hits, long misses) {
      this.cachedMemories = cachedMemories;
      this.cacheHits = hits;
      this.cacheMisses = misses;
      return this;
    }

    /** Sets this process's search figures. */
    public Builder searches(long count, double averageScore, double p50Millis, double p95Millis) {
      this.searches = count;
      this.averageSearchScore = averageScore;
      this.searchP50Millis = p50Millis;
      this.searchP95Millis = p95Millis;
      return this;
    }

    /** Sets the number of events this process dropped. */
    public Builder droppedEvents(long dropped) {
      this.droppedEvents = dropped;
      return this;
    }

    public StoreStats build() {
      return new StoreStats(
          totalMemories,
          expiredMemories,
          memoriesByType,
          memoriesByTier,
          averageImportance,
          sessions,
          activeSessions,
          relationships,
          contextGroups,
          embeddedMemories,
          embeddingModel,
          embeddingDimension,
          sqliteVecVersion,
          schemaVersion,
          fileSizeBytes,
          walSizeBytes,
          freePages,
          pageSize,
          memoriesBySession,
          pinnedMemories,
          archivedMemories,
          cachedMemories,
          cacheHits,
          cacheMisses,
          searches,
          averageSearchScore,
          searchP50Millis,
          searchP95Millis,
          droppedEvents,
          lastMaintenance,
          degradedReason);
    }
  }
}
