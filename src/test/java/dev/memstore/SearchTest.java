package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/** Search on a real file with the real default embedding model. */
class SearchTest {
  private static final Instant START = Instant.parse("2026-01-01T12:00:00.000Z");

  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withBundledModel().startingAt(START);

  private final MutableClock clock = stores.clock();
  private final MemoryStore store = stores.store();
  private Memory coffee;
  private Memory birthday;
  private Memory hiking;

  @BeforeEach
  void open() {
    coffee =
        store.create(
            NewMemory.builder("The user drinks an espresso every morning")
                .type(MemoryType.PREFERENCE)
                .build());
    birthday =
        store.create(
            NewMemory.builder("Sam's birthday is on March 15th")
                .type(MemoryType.SEMANTIC)
                .tags("family")
                .build());
    hiking =
        store.create(
            NewMemory.builder("We planned a hike on the Ridge Trail with Maya")
                .type(MemoryType.EPISODIC)
                .build());
    store.create(NewMemory.of("The kitchen light bulb needs replacing"));
    store.create(NewMemory.of("Remind me to call the dentist on Tuesday"));
  }

  private List<String> ids(SearchResult result) {
    return result.hits().stream().map(hit -> hit.memory().id()).toList();
  }

  @Test
  void search_semantic_findsByMeaningWithoutSharedWords() {
    SearchResult result =
        store.search(
            SearchQuery.builder("what coffee does he like")
                .mode(SearchMode.SEMANTIC)
                .limit(1)
                .build());
    assertEquals(List.of(coffee.id()), ids(result));
    assertEquals(SearchMode.SEMANTIC, result.mode());
    assertFalse(result.degraded());
    assertEquals("bge-small-en-v1.5-q", result.embeddingModel());
    assertEquals(384, result.dimension());
  }

  @Test
  void search_keyword_findsStemmedWordsAndSurvivesQuerySyntax() {
    SearchResult result =
        store.search(
            SearchQuery.builder("user's \"hiking\" OR (trails*").mode(SearchMode.KEYWORD).build());
    assertEquals(
        hiking.id(), ids(result).get(0), "hiking ~ hike, trails ~ trail via the porter stemmer");
    assertTrue(
        store
            .search(SearchQuery.builder("the of and").mode(SearchMode.KEYWORD).build())
            .hits()
            .isEmpty());
  }

  @Test
  void search_hybrid_ranksExactAndSemanticMatchesFirstAndExplains() {
    SearchResult result =
        store.search(SearchQuery.builder("when is Sam's birthday").explain(true).build());
    SearchHit top = result.hits().get(0);
    assertEquals(birthday.id(), top.memory().id());
    assertNotNull(top.parts().semantic());
    assertNotNull(top.parts().keyword());
    assertEquals(top.score(), top.parts().score(), 1e-9);
    assertEquals(SearchMode.HYBRID, result.mode());
  }

  @Test
  void search_hybrid_movesMemoriesTaggedWithAWordOfTheQueryTowardFullRelevance() {
    store.create(NewMemory.builder("The blue notebook is in the drawer").tags("Maya Lin").build());
    store.create(NewMemory.builder("The blue notebook is in the drawer").tags("Sam").build());
    store.create(NewMemory.builder("Maya's notebook is blue").tags("notes").build());
    SearchResult result =
        store.search(
            SearchQuery.builder("What does maya's notebook hold?")
                .limit(100)
                .explain(true)
                .build());
    assertEquals(result.totalCount(), result.hits().size(), "every candidate is returned");
    assertTrue(
        result.hits().stream().anyMatch(hit -> hit.memory().tags().contains("Maya Lin")),
        "the tagged memory is a candidate");
    DoubleSummaryStatistics semantic =
        result.hits().stream()
            .map(hit -> hit.parts().semantic())
            .filter(Objects::nonNull)
            .mapToDouble(Double::doubleValue)
            .summaryStatistics();
    DoubleSummaryStatistics keyword =
        result.hits().stream()
            .map(hit -> hit.parts().keyword())
            .filter(Objects::nonNull)
            .mapToDouble(Double::doubleValue)
            .summaryStatistics();
    double weight = Ranking.DEFAULT.semanticWeight();
    for (SearchHit hit : result.hits()) {
      double fused =
          weight * scaled(hit.parts().semantic(), semantic)
              + (1 - weight) * scaled(hit.parts().keyword(), keyword);
      boolean named = hit.memory().tags().contains("Maya Lin");
      assertEquals(
          named ? fused + 0.7 * (1 - fused) : fused,
          hit.parts().relevance(),
          1e-9,
          hit.memory().content() + " " + hit.memory().tags());
    }
  }

  private static double scaled(Double value, DoubleSummaryStatistics over) {
    if (value == null) {
      return 0;
    }
    return over.getMax() > over.getMin()
        ? (value - over.getMin()) / (over.getMax() - over.getMin())
        : 1;
  }

  @Test
  void search_filtersAndExpiry() {
    Memory fleeting =
        store.create(
            NewMemory.builder("An espresso machine is on sale")
                .ttl(Duration.ofSeconds(10))
                .build());
    assertTrue(ids(store.search(SearchQuery.of("espresso"))).contains(fleeting.id()));
    clock.advance(Duration.ofSeconds(10));
    assertFalse(
        ids(store.search(SearchQuery.of("espresso"))).contains(fleeting.id()),
        "expired never comes back");
    SearchResult family =
        store.search(
            SearchQuery.builder("espresso birthday")
                .filter(MemoryFilter.builder().tagsAny(List.of("family")).build())
                .build());
    assertEquals(List.of(birthday.id()), ids(family));
  }

  @Test
  void search_seesWritesAndDeletesMadeAfterTheIndexWasBuilt() {
    store.search(SearchQuery.of("warm up the index"));
    Memory tea = store.create(NewMemory.of("The user switched to green tea in the afternoon"));
    assertEquals(
        tea.id(),
        ids(store.search(SearchQuery.builder("green tea").mode(SearchMode.SEMANTIC).build()))
            .get(0));
    store.delete(tea.id(), true);
    assertFalse(ids(store.search(SearchQuery.of("green tea"))).contains(tea.id()));
  }

  @Test
  void search_badInput_validationErrors() {
    assertEquals(
        "query",
        assertThrows(ValidationException.class, () -> store.search(SearchQuery.of("  "))).field());
    assertEquals(
        "limit",
        assertThrows(
                ValidationException.class,
                () -> store.search(SearchQuery.builder("x").limit(0).build()))
            .field());
  }

  @Test
  void searchQuery_outOfRange_failsWhenBuilt() {
    Map<String, Executable> builds =
        Map.of(
            "query", () -> SearchQuery.of(""),
            "limit", () -> SearchQuery.builder("x").limit(SearchQuery.MAX_LIMIT + 1).build(),
            "offset", () -> SearchQuery.builder("x").offset(-1).build(),
            "min_similarity", () -> SearchQuery.builder("x").minSimilarity(Double.NaN).build(),
            "expansion_depth", () -> SearchQuery.builder("x").expansionDepth(4).build());
    builds.forEach(
        (field, build) ->
            assertEquals(field, assertThrows(ValidationException.class, build).field()));
    SearchQuery.builder("x")
        .limit(SearchQuery.MAX_LIMIT)
        .minSimilarity(-1)
        .expansionDepth(3)
        .build();
  }

  @Test
  void embedderFailure_writeSucceedsSearchDegradesBacklogEmbedsLater() throws Exception {
    AtomicBoolean failing = new AtomicBoolean(true);
    Embedder flaky =
        new Embedder() {
          @Override
          public String modelId() {
            return "flaky-test-model";
          }

          @Override
          public int dimension() {
            return 3;
          }

          @Override
          public float[] embed(String text) {
            if (failing.get()) {
              throw new IllegalStateException("model crashed");
            }
            return new float[] {
              text.contains("tea") ? 1 : 0, text.contains("coffee") ? 1 : 0, 0.1f
            };
          }
        };
    try (MemoryStore flakyStore = stores.builder(stores.file("flaky.db")).embedder(flaky).build()) {
      Memory tea = flakyStore.create(NewMemory.of("green tea in the afternoon"));
      flakyStore.create(NewMemory.of("black coffee in the morning"));
      flakyStore.create(NewMemory.of("water all day"));
      assertEquals(0, flakyStore.file().stats().embeddedMemories());
      assertEquals(
          CircuitBreakerStatus.State.OPEN, flakyStore.embeddings().circuitBreaker().state());

      SearchResult degraded = flakyStore.search(SearchQuery.of("green tea"));
      assertTrue(degraded.degraded());
      assertEquals(SearchMode.KEYWORD, degraded.mode());
      assertEquals(tea.id(), degraded.hits().get(0).memory().id());
      assertTrue(degraded.degradation().contains("circuit open"), degraded.degradation());

      failing.set(false);
      assertEquals(
          0,
          flakyStore.embeddings().embedPending(),
          "the open breaker keeps the model untouched during its cool-down");
      clock.advance(Duration.ofSeconds(31));
      assertEquals(3, flakyStore.embeddings().embedPending());
      assertEquals(
          CircuitBreakerStatus.State.CLOSED, flakyStore.embeddings().circuitBreaker().state());
      SearchResult healthy =
          flakyStore.search(SearchQuery.builder("tea").mode(SearchMode.SEMANTIC).build());
      assertFalse(healthy.degraded());
      assertEquals(tea.id(), healthy.hits().get(0).memory().id());
      assertNull(healthy.degradation());
    }
  }

  @Test
  void searchMany_aggregatesQueriesEachWay() {
    SearchQuery template = SearchQuery.builder("unused").mode(SearchMode.SEMANTIC).limit(2).build();
    for (Aggregation aggregation : Aggregation.values()) {
      SearchResult result =
          store.searchMany(
              List.of("espresso coffee", "birthday party"),
              List.of(1.0, 1.0),
              aggregation,
              template);
      assertEquals(
          java.util.Set.of(coffee.id(), birthday.id()),
          java.util.Set.copyOf(ids(result)),
          aggregation.toString());
    }
    SearchResult weighted =
        store.searchMany(
            List.of("espresso coffee", "birthday party"),
            List.of(1.0, 0.0),
            Aggregation.WEIGHTED_AVERAGE,
            template);
    assertEquals(coffee.id(), ids(weighted).get(0), "a zero weight silences its query");
    assertThrows(
        ValidationException.class,
        () -> store.searchMany(List.of("a", "b"), List.of(1.0), Aggregation.MAX, template));
  }

  @Test
  void searchMany_countsOnlyTheHitsItReturnsAsReads() {
    List<MemoryEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    store.addListener(events::add);
    SearchResult result =
        store.searchMany(
            List.of("espresso coffee", "morning drink", "what does the user drink"),
            null,
            Aggregation.MEAN,
            SearchQuery.builder("unused")
                .mode(SearchMode.SEMANTIC)
                .minSimilarity(-1)
                .limit(1)
                .build());
    assertEquals(List.of(coffee.id()), ids(result));
    assertEquals(1, result.hits().get(0).memory().accessCount(), "the hit shows its read");
    store.file().checkpoint(); // writes the access counts
    Map<String, Long> counts = new java.util.HashMap<>();
    store
        .list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 0, 10)
        .items()
        .forEach(memory -> counts.put(memory.id(), memory.accessCount()));
    assertEquals(1L, counts.remove(coffee.id()), "one read, not one per query");
    assertTrue(counts.values().stream().allMatch(count -> count == 0), counts::toString);
    store.close(); // delivers every event published so far
    assertEquals(
        List.of(coffee.id()),
        events.stream()
            .filter(event -> event.type() == MemoryEvent.Type.RETRIEVED)
            .map(MemoryEvent::memoryId)
            .toList());
  }

  @Test
  void search_expansion_followsRelationshipsAndHierarchyUpToTheDepth() {
    Memory grinder =
        store.create(NewMemory.builder("Bought a burr grinder").parentId(coffee.id()).build());
    Memory beans = store.create(NewMemory.of("The beans come from a roaster in Lisbon"));
    store.links().add(grinder.id(), beans.id(), "related_to", 0.8);
    SearchQuery.Builder query =
        SearchQuery.builder("espresso every morning").mode(SearchMode.KEYWORD).limit(1);

    SearchResult depthOne = store.search(query.expansionDepth(1).build());
    assertEquals(List.of(coffee.id(), grinder.id()), ids(depthOne));
    assertEquals(coffee.id(), depthOne.hits().get(1).expandedFrom());
    assertEquals(depthOne.hits().get(0).score() * 0.5, depthOne.hits().get(1).score(), 1e-9);

    SearchResult depthTwo = store.search(query.expansionDepth(2).build());
    assertEquals(List.of(coffee.id(), grinder.id(), beans.id()), ids(depthTwo));
    assertEquals(depthOne.hits().get(1).score() * 0.8 * 0.5, depthTwo.hits().get(2).score(), 1e-9);
    assertThrows(ValidationException.class, () -> store.search(query.expansionDepth(4).build()));
  }

  /** Issue 13 part 5: a 0.99 floor on an unrelated query returned 5 hits in hybrid mode. */
  @Test
  void search_minSimilarity_appliesInEveryMode() {
    String question = "what coffee does the user drink every morning";
    List<SearchHit> bySimilarity =
        store
            .search(
                SearchQuery.builder(question).mode(SearchMode.SEMANTIC).minSimilarity(-1).build())
            .hits();
    assertEquals(coffee.id(), bySimilarity.get(0).memory().id());
    double between = (bySimilarity.get(0).similarity() + bySimilarity.get(1).similarity()) / 2;
    for (SearchMode mode : SearchMode.values()) {
      SearchResult unrelated =
          store.search(
              SearchQuery.builder("espresso birthday hike dentist kitchen quantum")
                  .mode(mode)
                  .minSimilarity(0.99)
                  .build());
      assertEquals(List.of(), ids(unrelated), mode + ": nothing is 0.99 similar");
      assertEquals(0, unrelated.totalCount(), mode.toString());
      assertTrue(unrelated.totalCountExact(), mode.toString());

      SearchResult floored =
          store.search(SearchQuery.builder(question).mode(mode).minSimilarity(between).build());
      assertEquals(List.of(coffee.id()), ids(floored), mode.toString());
      assertTrue(floored.hits().get(0).similarity() >= between, mode.toString());
    }
    // Without a floor a keyword search compares no vectors; hybrid hits carry their similarity.
    SearchHit keywordHit =
        store
            .search(SearchQuery.builder("espresso").mode(SearchMode.KEYWORD).build())
            .hits()
            .get(0);
    assertNull(keywordHit.similarity());
    assertTrue(keywordHit.relevance() > 0);
    SearchHit hybridHit = store.search(SearchQuery.of("espresso")).hits().get(0);
    assertTrue(hybridHit.similarity() > 0.5 && hybridHit.similarity() < 1, hybridHit.toString());
    assertTrue(hybridHit.score() != hybridHit.similarity());
  }

  /** A floor never reorders the hits that pass it: it only leaves the others out. */
  @Test
  void search_minSimilarity_inHybridKeepsTheOrderOfTheHitsAboveIt() {
    SearchQuery.Builder query = SearchQuery.builder("morning coffee and a walk").limit(5);
    List<SearchHit> all = store.search(query.build()).hits();
    double floor = all.get(all.size() / 2).similarity() - 1e-9;
    List<String> expected =
        all.stream()
            .filter(hit -> hit.similarity() >= floor)
            .map(hit -> hit.memory().id())
            .toList();
    assertTrue(expected.size() < all.size());
    assertEquals(expected, ids(store.search(query.minSimilarity(floor).build())));
  }

  /** Issue 13 part 5: 400 matches were reported as 300, 30 and 341 with no sign of a cap. */
  @Test
  void search_totalCount_saysWhenItIsALowerBound() {
    try (MemoryStore many =
        stores
            .builder(stores.file("many.db"))
            .embedder(new dev.memstore.testing.WordHashEmbedder("word-hash", 32, 0))
            .build()) {
      List<NewMemory> memories = new java.util.ArrayList<>();
      for (int index = 0; index < 400; index++) {
        memories.add(NewMemory.of("apple note number " + index));
      }
      many.createAll(memories);
      many.create(NewMemory.of("a pear on its own"));
      for (SearchMode mode : SearchMode.values()) {
        SearchResult capped = many.search(SearchQuery.builder("apple").mode(mode).build());
        assertFalse(capped.totalCountExact(), mode + ": " + capped.totalCount());
        assertTrue(capped.totalCount() >= 30, mode.toString());
      }
      SearchResult exact =
          many.search(SearchQuery.builder("pear").mode(SearchMode.KEYWORD).build());
      assertEquals(1, exact.totalCount());
      assertTrue(exact.totalCountExact());
    }
  }

  @Test
  void search_tooLongQuery_validationErrorNamingTheLimit() {
    String longest = "word ".repeat(SearchQuery.MAX_TEXT_LENGTH / 5);
    store.search(SearchQuery.builder(longest).mode(SearchMode.KEYWORD).build());
    ValidationException refused =
        assertThrows(
            ValidationException.class,
            () -> store.search(SearchQuery.of("x".repeat(SearchQuery.MAX_TEXT_LENGTH + 1))));
    assertEquals("query", refused.field());
    assertTrue(refused.getMessage().contains("16384"), refused.getMessage());
    assertThrows(
        ValidationException.class,
        () ->
            store.searchMany(
                List.of("ok", "x".repeat(SearchQuery.MAX_TEXT_LENGTH + 1)),
                null,
                Aggregation.MAX,
                SearchQuery.of("ok")));
    assertThrows(
        ValidationException.class,
        () -> store.contextPack(null, "x".repeat(SearchQuery.MAX_TEXT_LENGTH + 1), 1000));
  }
}
