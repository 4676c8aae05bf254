package dev.memstore.internal.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryUpdate;
import dev.memstore.NewMemory;
import dev.memstore.RetentionPolicy;
import dev.memstore.SearchHit;
import dev.memstore.SearchMode;
import dev.memstore.SearchQuery;
import dev.memstore.SearchResult;
import dev.memstore.internal.store.StoreInternals;
import dev.memstore.testing.MemoryStoreExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The keyword side's candidate pool on both of its paths, the keyword index and FTS5 (used until
 * the index is loaded): more matches than the pool holds, and a filter that passes only matches
 * BM25 ranks last.
 */
class KeywordSearchTest {
  private static final int COMMON = 1_150;
  private static final int RARE = 50;

  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withWordHashModel("word-hash", 32);

  private final MemoryStore store = stores.store();

  @BeforeEach
  void fill() {
    List<NewMemory> memories = new ArrayList<>();
    for (int index = 0; index < COMMON; index++) {
      memories.add(
          NewMemory.builder(
                  "apple ".repeat(1 + index % 7) + "filler ".repeat(index % 11) + "w" + index)
              .tags("common")
              .build());
    }
    // One "apple" among many other words: BM25 ranks these below every common memory.
    for (int index = 0; index < RARE; index++) {
      memories.add(
          NewMemory.builder("apple " + "padding ".repeat(30 + index) + "r" + index)
              .tags("rare")
              .build());
    }
    store.createAll(memories);
  }

  /** Opens the path under test: the keyword index loaded, or FTS5 with the index disabled. */
  private void use(boolean keywordIndex) throws InterruptedException {
    SearchIndexes indexes = SearchInternals.indexes(store);
    if (keywordIndex) {
      indexes.refresh(); // builds the vector index, which the keyword index waits for
      store.search(SearchQuery.builder("apple").mode(SearchMode.KEYWORD).build());
      assertNotNull(SearchInternals.awaitKeywordIndex(indexes, Duration.ofSeconds(60)));
    } else {
      indexes.disableKeywordIndex();
      indexes.refresh();
    }
  }

  private SearchResult keyword(String text, MemoryFilter filter, int limit) {
    return store.search(
        SearchQuery.builder(text).mode(SearchMode.KEYWORD).filter(filter).limit(limit).build());
  }

  private static List<String> ids(SearchResult result) {
    return result.hits().stream().map(hit -> hit.memory().id()).toList();
  }

  /** A pool of 300 out of 1,200 matches still holds the best ones, in order. */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void firstPage_holdsTheBestMatchesOfAll(boolean keywordIndex) throws InterruptedException {
    use(keywordIndex);
    List<String> everything = ids(keyword("apple", MemoryFilter.all(), 500));
    assertEquals(500, everything.size());
    assertEquals(everything.subList(0, 10), ids(keyword("apple", MemoryFilter.all(), 10)));
    assertEquals(everything.subList(0, 100), ids(keyword("apple", MemoryFilter.all(), 100)));
  }

  /**
   * The filter passes none of the best 900 matches: the side looks at every match and finds all 50,
   * with an exact count.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aFilterPassingOnlyTheWorstMatches_findsEachOfThem(boolean keywordIndex)
      throws InterruptedException {
    use(keywordIndex);
    MemoryFilter rare = MemoryFilter.builder().tagsAny(List.of("rare")).build();
    SearchResult result = keyword("apple", rare, 10);
    assertEquals(RARE, result.totalCount());
    assertTrue(result.totalCountExact());
    assertEquals(10, result.hits().size());
    for (SearchHit hit : result.hits()) {
      assertEquals(List.of("rare"), hit.memory().tags());
    }
    assertEquals(RARE, keyword("apple", rare, 100).hits().size());
  }

  /**
   * A query of more than 64 words keeps only those the table holds; one that holds none of them
   * matches nothing.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aLongQuery_matchesAsItsKnownWordsDo(boolean keywordIndex) throws InterruptedException {
    use(keywordIndex);
    StringBuilder unknown = new StringBuilder();
    for (int word = 0; word < 80; word++) {
      unknown.append(" zq").append(word);
    }
    assertEquals(
        ids(keyword("apple r7", MemoryFilter.all(), 20)),
        ids(keyword("apple" + unknown + " r7", MemoryFilter.all(), 20)));
    SearchResult none = keyword(unknown.toString(), MemoryFilter.all(), 20);
    assertEquals(List.of(), none.hits());
    assertEquals(0, none.totalCount());
  }

  /**
   * More equal matches than the pool holds: the pool keeps the newest, as the ranking orders equal
   * scores, so the first page holds the newest of all and not of those the pool happened to take.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void equalMatchesBeyondThePool_theNewestComeFirst(boolean keywordIndex)
      throws InterruptedException {
    List<String> created = new ArrayList<>();
    List<NewMemory> kiwis = new ArrayList<>();
    for (int index = 0; index < 400; index++) {
      kiwis.add(NewMemory.of("kiwi k" + index));
    }
    store.createAll(kiwis).forEach(memory -> created.add(memory.id()));
    use(keywordIndex);

    List<String> newest = new ArrayList<>(created.subList(390, 400));
    Collections.reverse(newest);
    assertEquals(newest, ids(keyword("kiwi", MemoryFilter.all(), 10)));
  }

  /** A query of stop words and punctuation only holds no word to match: nothing, and no error. */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aQueryWithoutWords_matchesNothing(boolean keywordIndex) throws InterruptedException {
    use(keywordIndex);
    SearchResult none = keyword("the ?! and", MemoryFilter.all(), 10);
    assertEquals(List.of(), none.hits());
    assertEquals(0, none.totalCount());
  }

  /** Changed content and tags, an archived turn and a deleted memory reach the keyword side. */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void changes_reachTheKeywordSide(boolean keywordIndex) throws InterruptedException {
    use(keywordIndex);
    String session = store.sessions().create(null, null, Map.of()).id();
    Memory turn =
        store.create(
            NewMemory.builder("a chat about the quokka")
                .sessionId(session)
                .tier(MemoryTier.SHORT_TERM)
                .build());
    Memory changed = store.create(NewMemory.of("zebra stripes"));
    assertEquals(List.of(changed.id()), ids(keyword("zebra", MemoryFilter.all(), 5)));
    assertEquals(List.of(turn.id()), ids(keyword("quokka", MemoryFilter.all(), 5)));

    store.update(changed.id(), MemoryUpdate.builder().content("okapi spots").build());
    assertEquals(List.of(), ids(keyword("zebra", MemoryFilter.all(), 5)));
    assertEquals(List.of(changed.id()), ids(keyword("okapi", MemoryFilter.all(), 5)));
    store.update(changed.id(), MemoryUpdate.builder().tags(List.of("gazelle")).build());
    assertEquals(List.of(changed.id()), ids(keyword("gazelle", MemoryFilter.all(), 5)));

    // Ending the session archives its short-term turns: out of searches. (Its summary, given here,
    // would otherwise be written from them, and hold the word.)
    store.sessions().end(session, "a short talk", true);
    assertEquals(List.of(), ids(keyword("quokka", MemoryFilter.all(), 5)));
    store.delete(changed.id(), false);
    assertEquals(List.of(), ids(keyword("okapi", MemoryFilter.all(), 5)));
  }

  /**
   * Without the keyword index, a side that needs no score beyond its pool asks FTS5 for the best
   * three pools' worth of matches, and for every match only when too few of those pass the filter
   * and there are more.
   */
  @Test
  void fullTextPath_readsEveryMatchOnlyWhenTheBestFailTheFilter() throws InterruptedException {
    use(false);
    KeywordSearch side =
        new KeywordSearch(
            StoreInternals.database(store), new VectorIndex(32), RetentionPolicy.DEFAULT);
    long now = System.currentTimeMillis();
    MemoryFilter rare = MemoryFilter.builder().tagsAny(List.of("rare")).build();

    KeywordSearch.Side best = side.hits(null, "apple", MemoryFilter.all(), now, 10, false);
    assertEquals(1, side.fullTextQueries(), "the best 30 held 10 that pass");
    assertEquals(30, best.matches().count());
    assertEquals(10, best.hits().size());

    KeywordSearch.Side worst = side.hits(null, "apple", rare, now, 10, false);
    assertEquals(3, side.fullTextQueries(), "none of the best 30 passed: every match read");
    assertEquals(COMMON + RARE, worst.matches().count());
    assertEquals(10, worst.hits().size());

    KeywordSearch.Side few = side.hits(null, "padding", rare, now, 100, false);
    assertEquals(4, side.fullTextQueries(), "fewer matches than the best 300: all were read");
    assertEquals(RARE, few.hits().size());
  }
}
