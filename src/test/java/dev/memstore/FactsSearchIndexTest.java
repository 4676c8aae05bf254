package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.testing.MemoryStoreExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Validity through the in-memory search index (after its build), not the file scan that answers the
 * first search: the index's filter bit sets honour current-only, {@code as_of} and {@code
 * include_superseded}, and follow a supersession and a restore.
 */
class FactsSearchIndexTest {
  private static final String HOME = "user-12345:home_city";

  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withWordHashModel("words", 16).withManualScheduler();

  private List<String> searched(MemoryFilter filter) {
    return stores
        .store()
        .search(SearchQuery.builder("user lives in").filter(filter).limit(20).build())
        .hits()
        .stream()
        .map(hit -> hit.memory().id())
        .toList();
  }

  @Test
  void search_builtIndex_honoursValidity() {
    Memory tea = stores.store().create(NewMemory.of("The user likes tea."));
    Memory paris =
        stores.store().create(NewMemory.builder("The user lives in Paris.").factKey(HOME).build());
    searched(MemoryFilter.all()); // scans the file, and schedules the index build
    stores.scheduler().advance(Duration.ofSeconds(5));
    stores.clock().advance(Duration.ofDays(1));
    Memory berlin =
        stores.store().create(NewMemory.builder("The user lives in Berlin.").factKey(HOME).build());

    List<String> current = searched(MemoryFilter.all());
    assertTrue(current.contains(berlin.id()) && current.contains(tea.id()), current::toString);
    assertFalse(current.contains(paris.id()), current::toString);
    List<String> all = searched(MemoryFilter.builder().includeSuperseded(true).build());
    assertEquals(3, all.size(), all::toString);
    assertEquals(paris.id(), all.get(2), "the superseded fact ranks last");
    List<String> then =
        searched(MemoryFilter.builder().asOf(berlin.validFrom().minusMillis(1)).build());
    assertTrue(then.contains(paris.id()) && then.contains(tea.id()), then::toString);
    assertFalse(then.contains(berlin.id()), then::toString);

    stores.store().lifecycle().restoreFact(paris.id());
    List<String> restored = searched(MemoryFilter.all());
    assertTrue(restored.contains(paris.id()), restored::toString);
    assertFalse(restored.contains(berlin.id()), restored::toString);
  }
}
