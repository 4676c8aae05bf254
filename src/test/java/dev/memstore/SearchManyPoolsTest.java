package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.testing.MemoryStoreExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link MemoryStore#searchMany}'s limits, how deep each of its queries looks, when its count is
 * exact, and expansion through a hit's parent.
 */
class SearchManyPoolsTest {
  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withWordHashModel("word-hash", 32);

  private final MemoryStore store = stores.store();

  private static SearchQuery keyword(int offset, int limit) {
    return SearchQuery.builder("unused")
        .mode(SearchMode.KEYWORD)
        .offset(offset)
        .limit(limit)
        .build();
  }

  private SearchResult twice(String text, int offset, int limit) {
    return store.searchMany(List.of(text, text), null, Aggregation.MAX, keyword(offset, limit));
  }

  @Test
  void searchMany_takesOneTo32QueriesWithFiniteWeightsThatAreNotNegative() {
    store.create(NewMemory.of("apple"));
    List<String> most = Collections.nCopies(32, "apple");
    assertEquals(1, store.searchMany(most, null, Aggregation.MEAN, keyword(0, 5)).totalCount());
    for (List<String> texts : List.of(List.<String>of(), Collections.nCopies(33, "apple"))) {
      ValidationException refused =
          assertThrows(
              ValidationException.class,
              () -> store.searchMany(texts, null, Aggregation.MEAN, keyword(0, 5)));
      assertEquals("queries", refused.field());
    }
    for (double weight : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
      ValidationException refused =
          assertThrows(
              ValidationException.class,
              () ->
                  store.searchMany(
                      List.of("apple", "pear"),
                      List.of(1.0, weight),
                      Aggregation.WEIGHTED_AVERAGE,
                      keyword(0, 5)));
      assertEquals("weights", refused.field());
    }
    ValidationException oneShort =
        assertThrows(
            ValidationException.class,
            () ->
                store.searchMany(
                    List.of("apple", "pear"),
                    List.of(1.0),
                    Aggregation.WEIGHTED_AVERAGE,
                    keyword(0, 5)));
    assertEquals("weights", oneShort.field());
  }

  /** Each query looks at 50 hits, or three times the end of the page when that is more. */
  @Test
  void searchMany_eachQueryLooksAt50OrThreeTimesThePageEnd() {
    List<NewMemory> memories = new ArrayList<>();
    for (int index = 0; index < 200; index++) {
      memories.add(NewMemory.of("apple " + index));
    }
    for (int index = 0; index < 50; index++) {
      memories.add(NewMemory.of("pear " + index));
    }
    for (int index = 0; index < 51; index++) {
      memories.add(NewMemory.of("plum " + index));
    }
    store.createAll(memories);
    SearchResult first = twice("apple", 0, 10);
    assertEquals(50, first.totalCount());
    assertFalse(first.totalCountExact());
    assertEquals(90, twice("apple", 0, 30).totalCount());
    assertEquals(90, twice("apple", 10, 20).totalCount());
    // Exact while every query's count fits its pool.
    SearchResult pears = twice("pear", 0, 10);
    assertEquals(50, pears.totalCount());
    assertTrue(pears.totalCountExact());
    assertFalse(twice("plum", 0, 10).totalCountExact());
  }

  /** Expansion reaches a hit's parent as well as its children and links. */
  @Test
  void search_expansion_reachesAHitsParent() {
    Memory trip = store.create(NewMemory.of("the trip in spring"));
    Memory hotel =
        store.create(NewMemory.builder("a hotel by the quokka river").parentId(trip.id()).build());
    SearchResult expanded =
        store.search(
            SearchQuery.builder("quokka").mode(SearchMode.KEYWORD).expansionDepth(1).build());
    assertEquals(
        List.of(hotel.id(), trip.id()),
        expanded.hits().stream().map(hit -> hit.memory().id()).toList());
    assertEquals(hotel.id(), expanded.hits().get(1).expandedFrom());
  }
}
