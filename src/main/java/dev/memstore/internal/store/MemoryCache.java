package dev.memstore.internal.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.memstore.Memory;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.Sql;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Memories by id, in front of the file. Coherent across processes without notifications: every
 * change to a memory, by any connection of any process, appends its row number to the change log in
 * the same transaction, so before answering from the cache a read compares the log's newest number
 * with the one it last saw (one indexed lookup) and drops exactly the memories changed since.
 * {@code PRAGMA data_version} would be as cheap but is per connection and says only that something
 * changed; the log says what. A store's own writes also drop their memories at once.
 */
final class MemoryCache {
  private record Cached(long seq, Memory memory) {}

  private final Database database;
  private final Cache<String, Cached> cache;
  private final Object sync = new Object();
  private long lastChange = -1;

  MemoryCache(Database database, long maximumSize, Duration expiry) {
    this.database = database;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maximumSize)
            .expireAfterAccess(expiry)
            .recordStats()
            .build();
  }

  /**
   * Returns the memory, from the cache if nothing changed it since it was cached, else by loading
   * it (null when absent, which is not cached).
   */
  Memory get(String id, Function<String, MemoryQueries.Row> loader) {
    catchUp();
    Cached cached = cache.getIfPresent(id);
    if (cached != null) {
      return cached.memory();
    }
    MemoryQueries.Row row = loader.apply(id);
    if (row == null) {
      return null;
    }
    cache.put(id, new Cached(row.seq(), row.memory()));
    return row.memory();
  }

  void put(long seq, Memory memory) {
    catchUp();
    cache.put(memory.id(), new Cached(seq, memory));
  }

  void invalidate(String id) {
    cache.invalidate(id);
  }

  void invalidateAll(List<String> ids) {
    cache.invalidateAll(ids);
  }

  CacheStats stats() {
    return cache.stats();
  }

  long size() {
    return cache.estimatedSize();
  }

  /** Drops what other connections changed since the last look at the change log. */
  private void catchUp() {
    synchronized (sync) {
      database.read(
          connection -> {
            long newest =
                Sql.queryLong(connection, "select coalesce(max(seq), 0) from memory_changes");
            if (newest == lastChange) {
              return null;
            }
            long oldest =
                Sql.queryLong(connection, "select coalesce(min(seq), 0) from memory_changes");
            if (lastChange < 0 || oldest > lastChange + 1) {
              cache.invalidateAll();
            } else {
              Set<Long> changed =
                  new HashSet<>(
                      Sql.query(
                          connection,
                          "select memory_seq from memory_changes where seq > ? and seq <= ?",
                          row -> row.getLong(1),
                          lastChange,
                          newest));
              cache.asMap().values().removeIf(cached -> changed.contains(cached.seq()));
            }
            lastChange = newest;
            return null;
          });
    }
  }
}
