package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.SearchMode;
import dev.memstore.SearchQuery;
import dev.memstore.StoreHealth;
import dev.memstore.testing.MemoryStoreExtension;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Regression: after a deletion and a checkpoint (which merges the full-text index), {@code
 * health()} reported "SQLite's integrity check failed: fts5: corruption found reading blob ... from
 * table memory_fts" on a sound file, and {@code memctl doctor} advised restoring a backup. SQLite's
 * quick_check ran FTS5's check with the index layout a reader connection had cached before the
 * merge (SQLite 3.54.1); the index itself was sound.
 */
class StaleFullTextQuickCheckTest {
  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withoutModel()
          .configure(builder -> builder.maintenanceInterval(Duration.ZERO));

  private final MemoryStore store = stores.store();

  private Set<String> keywordHits(MemoryStore on, String text) {
    return on
        .search(SearchQuery.builder(text).mode(SearchMode.KEYWORD).limit(10).build())
        .hits()
        .stream()
        .map(hit -> hit.memory().id())
        .collect(Collectors.toSet());
  }

  /**
   * Checks the store's health a few times: each check borrows the next idle reader connection, so
   * every reader reads the full-text index and keeps its layout from then on.
   */
  private static void assertHealthyOnEveryReader(MemoryStore on) {
    for (int check = 0; check < 4; check++) {
      assertHealthy(on.file().health());
    }
  }

  private static void assertHealthy(StoreHealth health) {
    assertTrue(health.isHealthy(), health.issues().toString());
    assertTrue(health.integrityOk());
    assertTrue(health.fullTextConsistent());
  }

  @Test
  void health_afterDeleteAndCheckpoint_isHealthyAndSearchFindsTheLiveMemories() {
    Memory espresso = store.create(NewMemory.of("The user drinks an espresso every morning"));
    Memory birthday = store.create(NewMemory.of("Every year Sam's birthday party is in March"));
    Memory hike = store.create(NewMemory.of("Every spring we hike the Ridge Trail"));
    assertHealthyOnEveryReader(store);

    store.delete(birthday.id(), false);
    store.file().checkpoint();

    assertHealthyOnEveryReader(store);
    assertHealthy(store.file().health(true));
    assertEquals(Set.of(espresso.id(), hike.id()), keywordHits(store, "every"));
    assertEquals(Set.of(), keywordHits(store, "birthday"));
  }

  @Test
  void health_afterTheOnlyMemoryIsDeletedAndCheckpointed_isHealthy() {
    Memory only = store.create(NewMemory.of("The kitchen light bulb needs replacing"));
    assertHealthyOnEveryReader(store);

    store.delete(only.id(), false);
    store.file().checkpoint();

    assertHealthyOnEveryReader(store);
    assertEquals(Set.of(), keywordHits(store, "kitchen"));
  }

  @Test
  void health_afterAnotherStoreOnTheFileDeletesAndCheckpoints_isHealthy() {
    List<Memory> memories =
        List.of(
            store.create(NewMemory.of("Remind me to call the dentist on Tuesday")),
            store.create(NewMemory.of("Remind me to water the plants on Friday")),
            store.create(NewMemory.of("Remind me to renew the passport in May")));
    assertHealthyOnEveryReader(store);

    // As memctl would, from a process of its own: this store's readers never see the merge.
    MemoryStore other = stores.open();
    other.delete(memories.get(1).id(), false);
    other.file().checkpoint();

    assertHealthyOnEveryReader(store);
    assertEquals(Set.of(memories.get(0).id(), memories.get(2).id()), keywordHits(store, "remind"));
  }
}
