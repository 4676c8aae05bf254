package dev.memstore;

import java.util.Map;

/**
 * A snapshot of a store's contents and file. Immutable.
 *
 * @param totalMemories live memories (not expired)
 * @param expiredMemories memories past their expiry that have not been pruned yet
 * @param memoriesByType live memories per type
 * @param memoriesByTier live memories per tier
 * @param averageImportance the mean importance of live memories, 0 when there are none
 * @param sessions all sessions
 * @param activeSessions sessions that have not ended
 * @param relationships links between memories
 * @param contextGroups context groups
 * @param embeddedMemories memories that have an embedding
 * @param embeddingModel the embedding model the file's vectors come from, or null before the first
 *     embedding
 * @param embeddingDimension the dimension of the file's vectors
 * @param sqliteVecVersion the loaded sqlite-vec version
 * @param schemaVersion the file's schema version
 * @param fileSizeBytes the size of the database file
 * @param walSizeBytes the size of its write-ahead log (0 after a checkpoint)
 * @param freePages pages in the file that hold no data
 * @param pageSize the file's page size in bytes
 * @param memoriesBySession live memories per session id (memories without a session are not counted
 *     here)
 * @param pinnedMemories live pinned memories
 * @param archivedMemories live archived memories (also counted in the totals above)
 * @param cachedMemories memories in this process's cache now
 * @param cacheHits reads by id this process answered from its cache
 * @param cacheMisses reads by id this process answered from the file
 * @param searches searches this process ran
 * @param averageSearchScore the mean score of their hits, 0 without hits
 * @param searchP50Millis the median latency of this process's last 1,024 searches
 * @param searchP95Millis their 95th percentile latency
 * @param droppedEvents events this process dropped because listeners fell behind
 * @param lastMaintenance the counts of the last maintenance run on this file by any process, by
 *     wire name, or empty if none ran
 * @param degradedReason why a process last stored memories without vectors because its embedding
 *     model failed (for example a native library that does not load on this system), or null when
 *     none did since the memories were last embedded
 */
public record StoreStats(
    long totalMemories,
    long expiredMemories,
    Map<MemoryType, Long> memoriesByType,
    Map<MemoryTier, Long> memoriesByTier,
    double averageImportance,
    long sessions,
    long activeSessions,
    long relationships,
    long contextGroups,
    long embeddedMemories,
    String embeddingModel,
    int embeddingDimension,
    String sqliteVecVersion,
    int schemaVersion,
    long fileSizeBytes,
    long walSizeBytes,
    long freePages,
    long pageSize,
    Map<String, Long> memoriesBySession,
    long pinnedMemories,
    long archivedMemories,
    long cachedMemories,
    long cacheHits,
    long cacheMisses,
    long searches,
    double averageSearchScore,
    double searchP50Millis,
    double searchP95Millis,
    long droppedEvents,
    Map<String, Object> lastMaintenance,
    String degradedReason) {

  public StoreStats {
    memoriesByType = Map.copyOf(memoriesByType);
    memoriesByTier = Map.copyOf(memoriesByTier);
    memoriesBySession = Map.copyOf(memoriesBySession);
    lastMaintenance = JsonValues.freezeObject(lastMaintenance);
  }

  /** Returns the share of reads by id answered from the cache, 0 before the first. */
  public double cacheHitRate() {
    long reads = cacheHits + cacheMisses;
    return reads == 0 ? 0 : (double) cacheHits / reads;
  }
}
