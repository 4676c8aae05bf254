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
    long pageSize) {

  public StoreStats {
    memoriesByType = Map.copyOf(memoriesByType);
    memoriesByTier = Map.copyOf(memoriesByTier);
  }
}
