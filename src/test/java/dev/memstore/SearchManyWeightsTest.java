package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.memstore.testing.MemoryStoreExtension;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How {@link MemoryStore#searchMany} weighs its queries, checked against the single searches. */
class SearchManyWeightsTest {
  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withWordHashModel("weights-test-model", 32).onSystemClock();

  private static final SearchQuery TEMPLATE =
      SearchQuery.builder("unused").mode(SearchMode.SEMANTIC).minSimilarity(-1).limit(10).build();

  private static Map<String, Double> scores(SearchResult result) {
    Map<String, Double> scores = new HashMap<>();
    result.hits().forEach(hit -> scores.put(hit.memory().id(), hit.score()));
    return scores;
  }

  @Test
  void searchMany_weightedAverage_scoresAreTheWeightedMeansOfTheQueriesScores() {
    MemoryStore store = stores.store();
    Memory tea = store.create(NewMemory.of("green tea with honey"));
    Memory coffee = store.create(NewMemory.of("black coffee with sugar"));
    store.create(NewMemory.of("a walk in the park"));
    String teaQuery = "green tea";
    String coffeeQuery = "black coffee";
    Map<String, Double> teaScores =
        scores(
            store.search(
                SearchQuery.builder(teaQuery)
                    .mode(SearchMode.SEMANTIC)
                    .minSimilarity(-1)
                    .limit(10)
                    .build()));
    Map<String, Double> coffeeScores =
        scores(
            store.search(
                SearchQuery.builder(coffeeQuery)
                    .mode(SearchMode.SEMANTIC)
                    .minSimilarity(-1)
                    .limit(10)
                    .build()));
    assertEquals(3, teaScores.size());
    assertEquals(3, coffeeScores.size());

    SearchResult teaHeavy =
        store.searchMany(
            List.of(teaQuery, coffeeQuery),
            List.of(3.0, 1.0),
            Aggregation.WEIGHTED_AVERAGE,
            TEMPLATE);
    Map<String, Double> weighted = scores(teaHeavy);
    for (Map.Entry<String, Double> entry : teaScores.entrySet()) {
      String id = entry.getKey();
      assertEquals((3 * entry.getValue() + coffeeScores.get(id)) / 4, weighted.get(id), 1e-6, id);
    }
    assertEquals(tea.id(), teaHeavy.hits().get(0).memory().id());

    SearchResult coffeeHeavy =
        store.searchMany(
            List.of(teaQuery, coffeeQuery),
            List.of(1.0, 3.0),
            Aggregation.WEIGHTED_AVERAGE,
            TEMPLATE);
    assertEquals(coffee.id(), coffeeHeavy.hits().get(0).memory().id(), "the weights decide");
  }
}
