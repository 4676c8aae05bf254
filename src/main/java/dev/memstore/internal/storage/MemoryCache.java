package dev.memstore.internal.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.memstore.Memory;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Memories by id, in front of the file, for reads by id and for search hits. Coherent across
 * processes without notifications: every change to a memory, by any connection of any process,
 * appends its row number to the change log in the same transaction, so before answering from the
 * cache a read compares the log's newest number with the one it last saw (one indexed lookup) and
 * drops exactly the memories changed since; those only read since keep their place with their new
 * access counts. {@code PRAGMA data_version} would be as cheap but is per connection and says only
 * that something changed; the log says what. A store's own writes also drop their memories at once.
 */
public final class MemoryCache {
  private record Cached(long seq, Memory memory) {}

  private final Database database;
  private final Cache<String, Cached> cache;
  private final Object sync = new Object();
  private long lastChange = -1;

  public MemoryCache(Database database, long maximumSize, Duration expiry, InstantSource clock) {
    this.database = database;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maximumSize)
            .expireAfterAccess(expiry)
            .ticker(ticker(clock))
            .recordStats()
            .build();
  }

  /**
   * Expiry follows the store's clock, so a test's clock drives it; the system clock keeps
   * Caffeine's own monotonic ticker.
   */
  private static Ticker ticker(InstantSource clock) {
    if (clock.equals(InstantSource.system())) {
      return Ticker.systemTicker();
    }
    return () -> {
      Instant now = clock.instant();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };
  }

  /**
   * Returns the memory, from the cache if nothing changed it since it was cached, else by loading
   * it (null when absent, which is not cached).
   */
  public Memory get(String id, Function<String, MemoryQueries.Row> loader) {
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

  /**
   * Returns the memories among the ids that {@code loader} finds, by id: those cached as {@link
   * #get} returns them, the others loaded in one call and cached.
   */
  public Map<String, Memory> getAll(
      Collection<String> ids, Function<List<String>, List<MemoryQueries.Row>> loader) {
    catchUp();
    Map<String, Memory> found = new HashMap<>();
    List<String> missing = new ArrayList<>();
    for (String id : ids) {
      Cached cached = cache.getIfPresent(id);
      if (cached != null) {
        found.put(id, cached.memory());
      } else {
        missing.add(id);
      }
    }
    if (!missing.isEmpty()) {
      for (MemoryQueries.Row row : loader.apply(missing)) {
        cache.put(row.memory().id(), new Cached(row.seq(), row.memory()));
        found.put(row.memory().id(), row.memory());
      }
    }
    return found;
  }

  public void put(long seq, Memory memory) {
    catchUp();
    cache.put(memory.id(), new Cached(seq, memory));
  }

  void invalidate(String id) {
    cache.invalidate(id);
  }

  void invalidateAll(List<String> ids) {
    cache.invalidateAll(ids);
  }

  public CacheStats stats() {
    return cache.stats();
  }

  public long size() {
    return cache.estimatedSize();
  }

  /**
   * Gives the cached memories among those whose only changes were accesses their new counts,
   * instead of dropping them: every read is counted, so otherwise each memory would leave the cache
   * a second after it was read.
   */
  private void takeAccessCounts(Connection connection, Set<Long> accessed) {
    Map<Long, Cached> stale = new HashMap<>();
    for (Cached cached : cache.asMap().values()) {
      if (accessed.contains(cached.seq())) {
        stale.put(cached.seq(), cached);
      }
    }
    if (stale.isEmpty()) {
      return;
    }
    for (MemoryQueries.Accesses accesses :
        MemoryQueries.accesses(connection, List.copyOf(stale.keySet()))) {
      Cached cached = stale.remove(accesses.seq());
      Memory counted =
          MemoryQueries.withAccesses(cached.memory(), accesses.count(), accesses.lastAccessedAt());
      cache.asMap().replace(cached.memory().id(), cached, new Cached(cached.seq(), counted));
    }
    // Any left were deleted meanwhile.
    stale.values().forEach(cached -> cache.invalidate(cached.memory().id()));
  }

  /**
   * Drops what other connections changed since the last look at the change log, and updates the
   * access counts of what they only read.
   */
  private void catchUp() {
    synchronized (sync) {
      database.read(
          connection -> {
            long newest = MemoryQueries.newestChange(connection);
            if (newest == lastChange) {
              return null;
            }
            long oldest = MemoryQueries.oldestChange(connection);
            if (lastChange < 0 || oldest > lastChange + 1) {
              cache.invalidateAll();
            } else {
              MemoryQueries.Changes changes = MemoryQueries.changes(connection, lastChange, newest);
              Set<Long> changed = new HashSet<>(changes.changed());
              cache.asMap().values().removeIf(cached -> changed.contains(cached.seq()));
              takeAccessCounts(connection, new HashSet<>(changes.accessedOnly()));
            }
            lastChange = newest;
            return null;
          });
    }
  }
}
