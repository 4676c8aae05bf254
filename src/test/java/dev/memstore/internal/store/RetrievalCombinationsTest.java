package dev.memstore.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.Aggregation;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.SearchHit;
import dev.memstore.SearchMode;
import dev.memstore.SearchQuery;
import dev.memstore.SearchResult;
import dev.memstore.ValidationException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The aggregation arithmetic of {@link RetrievalCombinations#searchMany}, over single searches with
 * known scores (the searches themselves are tested on real files in SearchTest).
 */
class RetrievalCombinationsTest {
  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

  private static Memory memory(String id) {
    return Memory.builder()
        .id(id)
        .type(MemoryType.SEMANTIC)
        .tier(MemoryTier.LONG_TERM)
        .content("memory " + id)
        .importance(0.5)
        .createdAt(CREATED)
        .updatedAt(CREATED)
        .build();
  }

  /** Answers each query text with fixed hits, best first, and records the queries it got. */
  private static final class KnownSearches implements Function<SearchQuery, SearchResult> {
    final Map<String, SearchResult> results = new LinkedHashMap<>();
    final List<SearchQuery> asked = new ArrayList<>();

    KnownSearches answer(String text, Object... idsAndScores) {
      return answer(false, text, idsAndScores);
    }

    KnownSearches answerDegraded(String text, Object... idsAndScores) {
      return answer(true, text, idsAndScores);
    }

    private KnownSearches answer(boolean degraded, String text, Object[] idsAndScores) {
      List<SearchHit> hits = new ArrayList<>();
      for (int index = 0; index < idsAndScores.length; index += 2) {
        hits.add(
            new SearchHit(
                memory((String) idsAndScores[index]), (Double) idsAndScores[index + 1], null));
      }
      results.put(
          text,
          new SearchResult(
              hits,
              hits.size(),
              true,
              degraded ? SearchMode.KEYWORD : SearchMode.HYBRID,
              degraded,
              degraded ? "no model for " + text : null,
              "model-of-" + text,
              text.length()));
      return this;
    }

    @Override
    public SearchResult apply(SearchQuery query) {
      asked.add(query);
      return results.get(query.text());
    }
  }

  private static final SearchQuery TEMPLATE = SearchQuery.builder("unused").limit(10).build();

  private static KnownSearches twoQueries() {
    return new KnownSearches()
        .answer("first", "a", 0.9, "b", 0.2)
        .answer("second", "b", 0.5, "c", 0.6, "a", 0.1);
  }

  private static Map<String, Double> scores(SearchResult result) {
    Map<String, Double> scores = new LinkedHashMap<>();
    result.hits().forEach(hit -> scores.put(hit.memory().id(), hit.score()));
    return scores;
  }

  private static SearchResult run(
      KnownSearches searches, List<Double> weights, Aggregation aggregation, SearchQuery template) {
    return RetrievalCombinations.searchMany(
        searches, List.copyOf(searches.results.keySet()), weights, aggregation, template);
  }

  private static void assertScores(Map<String, Double> expected, SearchResult result) {
    Map<String, Double> actual = scores(result);
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "order");
    expected.forEach((id, score) -> assertEquals(score, actual.get(id), 1e-12, id));
  }

  @Test
  void searchMany_max_keepsEachMemorysHighestScore() {
    assertScores(
        linked("a", 0.9, "c", 0.6, "b", 0.5), run(twoQueries(), null, Aggregation.MAX, TEMPLATE));
  }

  @Test
  void searchMany_mean_dividesByTheNumberOfQueriesEvenWhereAMemoryWasMissing() {
    assertScores(
        linked("a", 0.5, "b", 0.35, "c", 0.3),
        run(twoQueries(), List.of(5.0, 1.0), Aggregation.MEAN, TEMPLATE));
  }

  @Test
  void searchMany_weightedAverage_dividesByTheSumOfTheWeights() {
    assertScores(
        linked("c", 3 * 0.6 / 4, "b", (0.2 + 3 * 0.5) / 4, "a", (0.9 + 3 * 0.1) / 4),
        run(twoQueries(), List.of(1.0, 3.0), Aggregation.WEIGHTED_AVERAGE, TEMPLATE));
    SearchResult allZero =
        run(twoQueries(), List.of(0.0, 0.0), Aggregation.WEIGHTED_AVERAGE, TEMPLATE);
    assertEquals(3, allZero.hits().size());
    assertTrue(allZero.hits().stream().allMatch(hit -> hit.score() == 0), "no division by zero");
    assertScores(
        linked("a", 0.5, "b", 0.35, "c", 0.3),
        run(twoQueries(), null, Aggregation.WEIGHTED_AVERAGE, TEMPLATE));
  }

  @Test
  void searchMany_reciprocalRankFusion_sumsWeightOverSixtyPlusRank() {
    assertScores(
        linked(
            "a", 2.0 / 61 + 1.0 / 63,
            "b", 2.0 / 62 + 1.0 / 61,
            "c", 1.0 / 62),
        run(twoQueries(), List.of(2.0, 1.0), Aggregation.RECIPROCAL_RANK_FUSION, TEMPLATE));
  }

  @Test
  void searchMany_asksEachQueryForAPoolWithTheTemplatesSettingsAndPagesTheRanking() {
    KnownSearches searches = twoQueries();
    MemoryFilter filter = MemoryFilter.builder().userId("ana").build();
    SearchQuery template =
        SearchQuery.builder("unused")
            .mode(SearchMode.SEMANTIC)
            .filter(filter)
            .minSimilarity(0.3)
            .offset(1)
            .limit(1)
            .explain(true)
            .expansionDepth(2)
            .build();
    SearchResult page = run(searches, null, Aggregation.MAX, template);
    assertEquals(List.of("c"), List.copyOf(scores(page).keySet()), "the second of a, c, b");
    assertEquals(3, page.totalCount());
    assertEquals(
        List.of("first", "second"), searches.asked.stream().map(SearchQuery::text).toList());
    for (SearchQuery asked : searches.asked) {
      assertEquals(SearchMode.SEMANTIC, asked.mode());
      assertEquals(filter, asked.filter());
      assertEquals(0.3, asked.minSimilarity());
      assertEquals(50, asked.limit(), "at least 50");
      assertEquals(0, asked.offset());
      assertFalse(asked.explain());
      assertEquals(0, asked.expansionDepth());
    }
    SearchResult beyond =
        run(twoQueries(), null, Aggregation.MAX, SearchQuery.builder("x").offset(5).build());
    assertEquals(List.of(), beyond.hits());
    assertEquals(3, beyond.totalCount());

    KnownSearches deep = twoQueries();
    run(deep, null, Aggregation.MAX, SearchQuery.builder("x").offset(20).limit(30).build());
    assertEquals(150, deep.asked.get(0).limit(), "three times the page end");
    KnownSearches deepest = twoQueries();
    run(deepest, null, Aggregation.MAX, SearchQuery.builder("x").offset(900).limit(100).build());
    assertEquals(SearchQuery.MAX_LIMIT, deepest.asked.get(0).limit());
  }

  @Test
  void searchMany_oneQueryDegraded_theResultSaysSoWithItsModeAndReason() {
    KnownSearches searches =
        new KnownSearches().answer("first", "a", 0.9).answerDegraded("second", "b", 0.5);
    SearchResult result = run(searches, null, Aggregation.MAX, TEMPLATE);
    assertTrue(result.degraded());
    assertEquals(SearchMode.KEYWORD, result.mode());
    assertEquals("no model for second", result.degradation());
    assertEquals("model-of-first", result.embeddingModel());
    assertEquals("first".length(), result.dimension());

    SearchResult healthy = run(twoQueries(), null, Aggregation.MAX, TEMPLATE);
    assertFalse(healthy.degraded());
    assertEquals(SearchMode.HYBRID, healthy.mode());
    assertNull(healthy.degradation());
  }

  @Test
  void searchMany_badQueriesOrWeights_validationErrorsBeforeAnySearch() {
    KnownSearches searches = twoQueries();
    assertEquals("queries", invalid(searches, List.of(), null).field());
    assertEquals("queries", invalid(searches, Collections.nCopies(33, "first"), null).field());
    assertEquals("weights", invalid(searches, List.of("first", "second"), List.of(1.0)).field());
    assertEquals(
        "weights", invalid(searches, List.of("first", "second"), List.of(1.0, -0.5)).field());
    assertEquals(
        "weights", invalid(searches, List.of("first", "second"), List.of(1.0, Double.NaN)).field());
    assertEquals(
        "weights",
        invalid(searches, List.of("first", "second"), List.of(Double.POSITIVE_INFINITY, 1.0))
            .field());
    assertEquals(List.of(), searches.asked);
    RetrievalCombinations.searchMany(
        searches, Collections.nCopies(32, "first"), null, Aggregation.MAX, TEMPLATE);
    assertEquals(32, searches.asked.size(), "32 queries are allowed");
  }

  private static ValidationException invalid(
      KnownSearches searches, List<String> texts, List<Double> weights) {
    return assertThrows(
        ValidationException.class,
        () ->
            RetrievalCombinations.searchMany(
                searches, texts, weights, Aggregation.WEIGHTED_AVERAGE, TEMPLATE));
  }

  private static Map<String, Double> linked(Object... idsAndScores) {
    Map<String, Double> map = new LinkedHashMap<>();
    for (int index = 0; index < idsAndScores.length; index += 2) {
      map.put((String) idsAndScores[index], (Double) idsAndScores[index + 1]);
    }
    return map;
  }
}
