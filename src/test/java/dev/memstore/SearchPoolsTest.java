package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.internal.search.SearchInternals;
import dev.memstore.testing.MemoryStoreExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How deep each side of a search looks (its candidate pool), what the total count says about it,
 * and pages as slices of one ranking: 400 memories share the query's word, more than any pool.
 */
class SearchPoolsTest {
  private static final int MATCHES = 400;

  /** A page that holds every memory, the pear too. */
  private static final int EVERY_MEMORY = 500;

  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withWordHashModel("word-hash", 32);

  private final MemoryStore store = stores.store();

  @BeforeEach
  void fill() throws InterruptedException {
    List<NewMemory> memories = new ArrayList<>();
    for (int index = 0; index < MATCHES; index++) {
      // Different word counts give different similarities and BM25 scores, so rankings have few
      // ties.
      memories.add(
          NewMemory.of("apple ".repeat(1 + index % 5) + "note w" + index + " x" + index % 13));
    }
    store.createAll(memories);
    store.create(NewMemory.of("a pear on its own"));
    // The first search starts building the indexes; the tests read them built.
    store.search(SearchQuery.of("apple"));
    SearchInternals.awaitIndexes(store);
  }

  private SearchResult search(SearchMode mode, int offset, int limit, Double floor) {
    SearchQuery.Builder query = SearchQuery.builder("apple").mode(mode).offset(offset).limit(limit);
    if (floor != null) {
      query.minSimilarity(floor);
    }
    return store.search(query.build());
  }

  private static List<String> ids(SearchResult result) {
    return result.hits().stream().map(hit -> hit.memory().id()).toList();
  }

  /**
   * The keyword side holds 300 candidates, or three times the end of the page when that is more.
   */
  @Test
  void keyword_poolIsThreeTimesThePageEnd_atLeast300() {
    SearchResult first = search(SearchMode.KEYWORD, 0, 10, null);
    assertEquals(300, first.totalCount());
    assertFalse(first.totalCountExact());
    assertEquals(300, search(SearchMode.KEYWORD, 0, 100, null).totalCount());
    SearchResult deeper = search(SearchMode.KEYWORD, 0, 101, null);
    assertEquals(303, deeper.totalCount());
    assertFalse(deeper.totalCountExact());
    SearchResult offset = search(SearchMode.KEYWORD, 95, 10, null);
    assertEquals(315, offset.totalCount());
    SearchResult whole = search(SearchMode.KEYWORD, 0, 134, null);
    assertEquals(MATCHES, whole.totalCount());
    assertTrue(whole.totalCountExact());
  }

  /** A semantic search looks at 30 candidates, or three times the end of the page. */
  @Test
  void semantic_poolIsThreeTimesThePageEnd_atLeast30() {
    SearchResult first = search(SearchMode.SEMANTIC, 0, 5, -1.0);
    assertEquals(30, first.totalCount());
    assertFalse(first.totalCountExact());
    assertEquals(36, search(SearchMode.SEMANTIC, 0, 12, -1.0).totalCount());
    assertEquals(45, search(SearchMode.SEMANTIC, 10, 5, -1.0).totalCount());
    // Every memory, the pear too, has a similarity above -1: a pool of 402 holds all 401.
    SearchResult whole = search(SearchMode.SEMANTIC, 0, 134, -1.0);
    assertEquals(MATCHES + 1, whole.totalCount());
    assertTrue(whole.totalCountExact());
  }

  /**
   * A hybrid search fuses 300 keyword and 100 semantic candidates; with a floor, the count is exact
   * once the semantic pool is not full of memories above it.
   */
  @Test
  void hybrid_countIsExactOnlyWhenNeitherPoolWasFull() {
    SearchResult capped = search(SearchMode.HYBRID, 0, 10, null);
    assertFalse(capped.totalCountExact());
    assertTrue(capped.totalCount() >= 300 && capped.totalCount() < MATCHES, capped.toString());
    assertFalse(search(SearchMode.HYBRID, 0, 10, -1.0).totalCountExact());

    double pearOnly = similarity("a pear on its own", "pear") - 1e-6;
    SearchResult pear =
        store.search(SearchQuery.builder("pear").minSimilarity(pearOnly).limit(10).build());
    assertEquals(1, pear.totalCount());
    assertTrue(pear.totalCountExact());
  }

  /**
   * With a floor, every memory above it is in the semantic pool when fewer than 100 pass: the count
   * is exact although the keyword pool of 300 was full.
   */
  @Test
  void hybrid_withAFloorFewPass_countIsExactAlthoughTheKeywordPoolWasFull() {
    List<Double> similarities = similaritiesBestFirst();
    double floor = similarities.get(59);
    long passing = similarities.stream().filter(similarity -> similarity >= floor).count();
    assertTrue(passing < 100, "fewer pass than the semantic pool holds: " + passing);

    SearchResult result = search(SearchMode.HYBRID, 0, 10, floor);

    assertEquals(passing, result.totalCount());
    assertTrue(result.totalCountExact());
  }

  private List<Double> similaritiesBestFirst() {
    return search(SearchMode.SEMANTIC, 0, EVERY_MEMORY, -1.0).hits().stream()
        .map(SearchHit::similarity)
        .toList();
  }

  private double similarity(String text, String query) {
    return store
        .search(
            SearchQuery.builder(query).mode(SearchMode.SEMANTIC).minSimilarity(-1).limit(1).build())
        .hits()
        .stream()
        .filter(hit -> hit.memory().content().equals(text))
        .findFirst()
        .orElseThrow()
        .similarity();
  }

  /** A page is the slice of the ranking that a search for every hit up to its end returns. */
  @Test
  void pages_areSlicesOfOneRanking() {
    for (SearchMode mode : SearchMode.values()) {
      Double floor = mode == SearchMode.SEMANTIC ? -1.0 : null;
      List<String> ranking = ids(search(mode, 0, 60, floor));
      assertEquals(60, ranking.size(), mode.toString());
      for (int offset : new int[] {0, 7, 25, 50}) {
        List<String> page = ids(search(mode, offset, 10, floor));
        assertEquals(ranking.subList(offset, offset + 10), page, mode + " at " + offset);
      }
    }
  }
}
