package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.internal.search.SearchInternals;
import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.SwitchableEmbedder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What each search mode asks of the model, and what a search says about its count when the model
 * cannot answer or a side's pool is exactly full.
 */
class SearchModesTest {
  private final SwitchableEmbedder model = new SwitchableEmbedder("switchable-search-model", false);

  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withEmbedder(() -> model);

  private MemoryStore storeOf(int plums) throws InterruptedException {
    MemoryStore store = stores.store();
    List<NewMemory> memories = new ArrayList<>();
    for (int index = 0; index < plums; index++) {
      memories.add(NewMemory.of("plum ".repeat(1 + index % 4) + "jar number " + index));
    }
    memories.add(NewMemory.of("a lonely apricot"));
    store.createAll(memories);
    store.search(SearchQuery.of("plum"));
    SearchInternals.awaitIndexes(store);
    return store;
  }

  @Test
  void keywordSearch_neverAsksTheModel() throws InterruptedException {
    MemoryStore store = storeOf(20);
    int calls = model.calls.get();

    SearchResult result =
        store.search(SearchQuery.builder("plum").mode(SearchMode.KEYWORD).limit(5).build());

    assertEquals(calls, model.calls.get(), "the query was not embedded");
    assertFalse(result.degraded());
    assertEquals(20, result.totalCount());
    assertTrue(result.totalCountExact());
  }

  @Test
  void keywordSearch_isNotDegradedByAFailingModel() throws InterruptedException {
    MemoryStore store = storeOf(20);
    model.failing.set(true);

    SearchResult result =
        store.search(SearchQuery.builder("plum").mode(SearchMode.KEYWORD).limit(5).build());

    assertFalse(result.degraded(), result.degradation());
    assertEquals(5, result.hits().size());
  }

  /**
   * A floor is checked against the query's embedding; without one no memory can be shown to pass,
   * so none does, and the count of 0 is exact although the keyword pool was full.
   */
  @Test
  void keywordSearchWithAFloor_whenTheModelFails_passesNothingAndSaysWhy()
      throws InterruptedException {
    MemoryStore store = storeOf(320);
    model.failing.set(true);

    SearchResult result =
        store.search(
            SearchQuery.builder("plum")
                .mode(SearchMode.KEYWORD)
                .minSimilarity(0.1)
                .limit(10)
                .build());

    assertEquals(List.of(), result.hits());
    assertEquals(0, result.totalCount());
    assertTrue(result.totalCountExact());
    assertTrue(result.degraded());
    assertTrue(
        result.degradation().contains("min_similarity could not be checked"), result.degradation());
  }

  /** 300 matches fill the keyword pool of 300 exactly: none is left beyond it. */
  @Test
  void keywordSearch_matchesThatExactlyFillThePool_countExactly() throws InterruptedException {
    MemoryStore store = storeOf(300);

    SearchResult result =
        store.search(SearchQuery.builder("plum").mode(SearchMode.KEYWORD).limit(10).build());

    assertEquals(300, result.totalCount());
    assertTrue(result.totalCountExact());
  }

  @Test
  void aStoreWithoutCache_findsTheSameHits() throws InterruptedException {
    MemoryStore cached = storeOf(20);
    SearchQuery query = SearchQuery.builder("plum jar").limit(8).build();
    List<String> expected = ids(cached.search(query));

    try (MemoryStore uncached = stores.open(builder -> builder.cacheSize(0))) {
      assertEquals(expected, ids(uncached.search(query)));
      assertEquals(8, expected.size());
    }
  }

  /**
   * A floor only leaves hits out: the memories above it keep their scores and order, because the
   * semantic candidates below it still take part in scaling, here the notes without the word.
   */
  @Test
  void hybridSearch_aFloor_onlyLeavesHitsOut() throws InterruptedException {
    MemoryStore store = stores.store();
    List<NewMemory> notes = new ArrayList<>();
    for (int index = 0; index < 60; index++) {
      notes.add(NewMemory.of("the weather in town on day " + index));
    }
    store.createAll(notes);
    storeOf(20);
    SearchQuery.Builder query = SearchQuery.builder("plum").limit(30);
    List<SearchHit> unfloored = store.search(query.build()).hits();
    double floor =
        unfloored.stream()
            .map(SearchHit::similarity)
            .sorted(Comparator.reverseOrder())
            .toList()
            .get(14);
    List<SearchHit> expected = unfloored.stream().filter(hit -> hit.similarity() >= floor).toList();
    assertTrue(expected.size() < 30, "some hits are below the floor");

    List<SearchHit> floored = store.search(query.minSimilarity(floor).build()).hits();

    assertEquals(ids(expected), ids(floored));
    for (int index = 0; index < expected.size(); index++) {
      assertEquals(expected.get(index).score(), floored.get(index).score(), 1e-12);
    }
  }

  /**
   * A hybrid hit that only the keyword side found, beyond the semantic side's pool of 100, still
   * carries its cosine similarity, exact.
   */
  @Test
  void hybridSearch_aHitFoundByItsWordsAlone_carriesItsSimilarity() throws InterruptedException {
    MemoryStore store = stores.store();
    String twin = wordInTheDimensionOf("plum");
    List<NewMemory> memories = new ArrayList<>();
    for (int index = 0; index < 120; index++) {
      memories.add(NewMemory.of(twin + " " + twin + " jar " + index));
    }
    String plumNote =
        "plum among the many words of a long and winding note about quite other things";
    memories.add(NewMemory.of(plumNote));
    store.createAll(memories);
    List<SearchHit> nearest =
        store
            .search(
                SearchQuery.builder("plum")
                    .mode(SearchMode.SEMANTIC)
                    .minSimilarity(-1)
                    .limit(500)
                    .build())
            .hits();
    int plumRank = ids(nearest).indexOf(hitOf(nearest, plumNote).memory().id());
    assertTrue(plumRank >= 100, "beyond the semantic pool: " + plumRank);

    try (MemoryStore keywordLed =
        stores.open(builder -> builder.ranking(new Ranking(0.1, 0.1, 0.05, Duration.ofDays(30))))) {
      List<SearchHit> hits = keywordLed.search(SearchQuery.builder("plum").limit(5).build()).hits();

      assertEquals(hitOf(nearest, plumNote).similarity(), hitOf(hits, plumNote).similarity(), 1e-6);
    }
  }

  /** Another word that the model adds to the same dimension as {@code word}. */
  private String wordInTheDimensionOf(String word) {
    int dimension = Math.floorMod(word.hashCode(), model.dimension());
    for (int index = 0; ; index++) {
      String candidate = "w" + index;
      if (Math.floorMod(candidate.hashCode(), model.dimension()) == dimension) {
        return candidate;
      }
    }
  }

  private static SearchHit hitOf(List<SearchHit> hits, String content) {
    return hits.stream()
        .filter(hit -> hit.memory().content().equals(content))
        .findFirst()
        .orElseThrow(() -> new AssertionError(content + " is not among the hits"));
  }

  private static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(hit -> hit.memory().id()).toList();
  }

  private static List<String> ids(SearchResult result) {
    return result.hits().stream().map(hit -> hit.memory().id()).toList();
  }
}
