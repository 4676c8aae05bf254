package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryUpdate;
import dev.memstore.NewMemory;
import dev.memstore.SearchMode;
import dev.memstore.SearchQuery;
import dev.memstore.SearchResult;
import dev.memstore.StoreStats;
import dev.memstore.testing.ChildJvm;
import dev.memstore.testing.MemoryStoreExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The read cache never answers with what another process (or this one) has since changed. */
class CacheCoherenceTest {
  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withoutModel().onSystemClock();

  @Test
  void get_seesAnUpdateByAnotherProcessOnTheNextRead() throws Exception {
    Path file = stores.file();
    MemoryStore store = stores.store();
    Memory memory = store.create(NewMemory.of("the car is blue"));
    assertEquals("the car is blue", store.get(memory.id()).content());
    assertEquals("the car is blue", store.get(memory.id()).content());
    StoreStats cached = store.file().stats();
    assertTrue(cached.cacheHits() >= 1, "the second read came from the cache");

    try (ChildJvm other =
        ChildJvm.start(
            stores.folder(), MemoryUpdater.class, file.toString(), memory.id(), "the car is red")) {
      assertEquals(0, other.waitFor(60, TimeUnit.SECONDS), other.errorOutput());
      assertEquals("updated", other.lines().get(0));
    }
    assertEquals("the car is red", store.get(memory.id()).content());
  }

  @Test
  void get_seesThisProcessesOwnUpdateAtOnce() {
    MemoryStore store = stores.store();
    Memory memory = store.create(NewMemory.of("version one"));
    store.get(memory.id());
    store.update(memory.id(), MemoryUpdate.builder().content("version two").build());
    assertEquals("version two", store.get(memory.id()).content());
    store.delete(memory.id(), true);
    assertEquals(
        dev.memstore.MemoryNotFoundException.class,
        org.junit.jupiter.api.Assertions.assertThrows(
                RuntimeException.class, () -> store.get(memory.id()))
            .getClass());
  }

  @Test
  void get_staysCachedWhenOnlyAccessCountsChanged() {
    MemoryStore store = stores.store();
    MemoryStore other = stores.open();
    Memory memory = store.create(NewMemory.of("the car is blue"));
    store.get(memory.id());
    store.file().checkpoint(); // writes this store's access count
    other.get(memory.id());
    other.file().checkpoint(); // and the other's
    long hits = store.file().stats().cacheHits();
    Memory read = store.get(memory.id());
    assertEquals(
        hits + 1, store.file().stats().cacheHits(), "still cached after the counts changed");
    assertEquals(3, read.accessCount(), "two reads written, one pending");
  }

  @Test
  void search_servesItsHitsFromTheCacheAndSeesAnotherStoresUpdate() {
    MemoryStore store = stores.store();
    MemoryStore other = stores.open();
    Memory memory = store.create(NewMemory.of("the car is blue"));
    store.create(NewMemory.of("the bike is blue"));
    SearchQuery query = SearchQuery.builder("blue").mode(SearchMode.KEYWORD).build();
    assertEquals(2, store.search(query).hits().size());
    store.file().checkpoint(); // the hits' access counts are written
    long hits = store.file().stats().cacheHits();
    SearchResult again = store.search(query);
    assertEquals(hits + 2, store.file().stats().cacheHits(), "both hits came from the cache");
    assertTrue(again.hits().stream().allMatch(hit -> hit.memory().accessCount() == 2));

    other.update(memory.id(), MemoryUpdate.builder().content("the car is red and blue").build());
    assertTrue(
        store.search(query).hits().stream()
            .anyMatch(hit -> hit.memory().content().equals("the car is red and blue")),
        "the other store's update replaced the cached memory");
  }
}
