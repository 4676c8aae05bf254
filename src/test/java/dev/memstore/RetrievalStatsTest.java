package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.testing.MemoryStoreExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The search counters in {@link StoreStats}: how many searches, their mean hit score, latency. */
class RetrievalStatsTest {
  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withWordHashModel("stats-test-model", 32).onSystemClock();

  @Test
  void stats_afterSearches_countsThemAndAveragesTheirHitScores() {
    MemoryStore store = stores.store();
    store.create(NewMemory.of("green tea in the afternoon"));
    store.create(NewMemory.of("black coffee in the morning"));
    store.create(NewMemory.of("a walk in the park after lunch"));
    StoreStats before = store.file().stats();
    assertEquals(0, before.searches());
    assertEquals(0, before.averageSearchScore());
    assertEquals(0, before.searchP50Millis());

    List<Double> scores = new ArrayList<>();
    for (String text : List.of("green tea", "coffee in the morning", "park walk")) {
      store.search(SearchQuery.of(text)).hits().forEach(hit -> scores.add(hit.score()));
    }
    assertTrue(scores.size() >= 3, scores::toString);

    StoreStats after = store.file().stats();
    assertEquals(3, after.searches());
    assertEquals(
        scores.stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
        after.averageSearchScore(),
        1e-9);
    assertTrue(after.searchP50Millis() > 0, "p50 " + after.searchP50Millis());
    assertTrue(
        after.searchP95Millis() >= after.searchP50Millis(),
        after.searchP50Millis() + " > " + after.searchP95Millis());
  }
}
