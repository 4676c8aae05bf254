package dev.memstore.internal.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.SearchMode;
import dev.memstore.SearchQuery;
import dev.memstore.SearchResult;
import dev.memstore.testing.MemoryStoreExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How a built vector index follows the file's change log: deletions, accesses, and a log trimmed
 * past what the index has seen (another process's maintenance keeps only the newest changes).
 */
class SearchIndexesTest {
  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withWordHashModel("word-hash", 32);

  private final MemoryStore store = stores.store();
  private final List<Memory> memories = new ArrayList<>();

  @BeforeEach
  void buildTheIndex() throws InterruptedException {
    for (int index = 0; index < 5; index++) {
      memories.add(store.create(NewMemory.of("apple note " + index)));
    }
    store.search(SearchQuery.of("apple"));
    SearchInternals.awaitIndexes(store);
  }

  /** Every memory, as a semantic search without a floor counts them. */
  private long counted(MemoryStore reader) {
    SearchResult result =
        reader.search(
            SearchQuery.builder("apple note")
                .mode(SearchMode.SEMANTIC)
                .minSimilarity(-1)
                .limit(50)
                .build());
    assertTrue(result.totalCountExact());
    assertEquals(result.hits().size(), result.totalCount());
    return result.totalCount();
  }

  @Test
  void aDeletedMemory_leavesTheIndex_notOnlyThePage() {
    assertEquals(5L, counted(store));
    store.delete(memories.get(2).id(), false);
    assertEquals(4L, counted(store));
    assertEquals(4, SearchInternals.indexes(store).vectorIndex().size());
  }

  @Test
  void anAccess_reachesTheIndexsLastAccessTime() throws InterruptedException {
    stores.clock().advance(Duration.ofHours(5));
    Memory read = store.get(memories.get(1).id());
    long expected = read.lastAccessedAt().toEpochMilli();
    // The store writes access counts a second after the read (AccessLog), then the index takes
    // them from the change log.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    long found;
    do {
      Thread.sleep(50);
      found = indexedLastAccess(read.id());
    } while (found != expected && System.nanoTime() < deadline);
    assertEquals(expected, found);
  }

  private long indexedLastAccess(String memoryId) {
    SearchIndexes indexes = SearchInternals.indexes(store);
    indexes.refresh();
    float[] anyVector = new float[32];
    anyVector[0] = 1;
    return indexes
        .vectorIndex()
        .search(
            anyVector,
            MemoryFilter.builder().ids(List.of(memoryId)).build(),
            stores.clock().instant().toEpochMilli(),
            1)
        .get(0)
        .lastAccessedAt();
  }

  @Test
  void aChangeLogTrimmedPastTheIndex_makesItRebuild() throws Exception {
    try (MemoryStore other = stores.open()) {
      for (int index = 0; index < 6; index++) {
        other.create(NewMemory.of("apple from the other process " + index));
      }
    }
    // Another process's maintenance kept only the newest change.
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + stores.file());
        Statement statement = connection.createStatement()) {
      statement.execute("pragma busy_timeout = 5000");
      statement.executeUpdate(
          "delete from memory_changes where seq < (select max(seq) from memory_changes)");
      try (ResultSet left = statement.executeQuery("select count(*) from memory_changes")) {
        assertEquals(1, left.getInt(1));
      }
    }
    assertEquals(11L, counted(store));
    SearchIndexes indexes = SearchInternals.indexes(store);
    assertEquals(11, indexes.vectorIndex().size());

    // The keyword index was dropped with it, and the next search loads it again, from a log
    // whose oldest change is its newest.
    store.search(SearchQuery.of("apple"));
    KeywordIndex reloaded = SearchInternals.awaitKeywordIndex(indexes, Duration.ofSeconds(20));
    assertNotNull(reloaded, "loaded again after the rebuild");
    assertEquals(11, reloaded.size());
  }
}
