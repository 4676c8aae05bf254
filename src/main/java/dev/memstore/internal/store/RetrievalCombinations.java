package dev.memstore.internal.store;

import dev.memstore.Aggregation;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.RelatedMemory;
import dev.memstore.SearchHit;
import dev.memstore.SearchQuery;
import dev.memstore.SearchResult;
import dev.memstore.ValidationException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Retrieval built from plain searches (seed 003): several queries aggregated into one ranking, and
 * hits expanded through relationships and the hierarchy.
 */
final class RetrievalCombinations {
  private static final int RRF_K = 60;

  private RetrievalCombinations() {}

  /**
   * Runs each query with the template's settings through {@code search} and aggregates the scores
   * per memory.
   */
  static SearchResult searchMany(
      Function<SearchQuery, SearchResult> search,
      List<String> texts,
      List<Double> weights,
      Aggregation aggregation,
      SearchQuery template) {
    if (texts.isEmpty() || texts.size() > 32) {
      throw new ValidationException("queries", "give 1 to 32 queries, got " + texts.size());
    }
    if (weights != null && weights.size() != texts.size()) {
      throw new ValidationException(
          "weights",
          "give one weight per query: "
              + texts.size()
              + " queries, "
              + weights.size()
              + " weights");
    }
    if (weights != null
        && weights.stream().anyMatch(weight -> !(weight >= 0) || weight.isInfinite())) {
      throw new ValidationException("weights", "weights must be finite and not negative");
    }
    int pool =
        Math.min(SearchQuery.MAX_LIMIT, Math.max(50, 3 * (template.offset() + template.limit())));
    Map<String, Double> scores = new HashMap<>();
    Map<String, Double> similarities = new HashMap<>();
    Map<String, Memory> memories = new LinkedHashMap<>();
    List<SearchResult> results = new ArrayList<>();
    double weightSum = 0;
    for (int index = 0; index < texts.size(); index++) {
      double weight = weights == null ? 1 : weights.get(index);
      weightSum += weight;
      SearchResult result =
          search.apply(
              new SearchQuery(
                  texts.get(index),
                  template.mode(),
                  template.filter(),
                  pool,
                  0,
                  template.minSimilarity(),
                  false,
                  0,
                  null));
      results.add(result);
      List<SearchHit> hits = result.hits();
      for (int rank = 0; rank < hits.size(); rank++) {
        SearchHit hit = hits.get(rank);
        memories.putIfAbsent(hit.memory().id(), hit.memory());
        if (hit.similarity() != null) {
          similarities.merge(hit.memory().id(), hit.similarity(), Math::max);
        }
        double contribution =
            switch (aggregation) {
              case MAX -> hit.score();
              case MEAN, WEIGHTED_AVERAGE ->
                  (aggregation == Aggregation.MEAN ? 1 : weight) * hit.score();
              case RECIPROCAL_RANK_FUSION -> weight / (RRF_K + rank + 1.0);
            };
        scores.merge(
            hit.memory().id(),
            contribution,
            aggregation == Aggregation.MAX ? Math::max : Double::sum);
      }
    }
    double divisor =
        switch (aggregation) {
          case MEAN -> texts.size();
          case WEIGHTED_AVERAGE -> weightSum == 0 ? 1 : weightSum;
          default -> 1;
        };
    List<SearchHit> ranked = new ArrayList<>();
    scores.forEach(
        (id, score) ->
            ranked.add(
                new SearchHit(
                    memories.get(id), score / divisor, similarities.get(id), null, null, null)));
    ranked.sort(Comparator.comparingDouble(SearchHit::score).reversed());
    List<SearchHit> page =
        ranked.subList(
            Math.min(template.offset(), ranked.size()),
            Math.min(template.offset() + template.limit(), ranked.size()));
    // Exact only if every query counted exactly and returned every match it counted: a match
    // beyond a query's pool could be a memory that no other query found.
    boolean exact =
        results.stream()
            .allMatch(result -> result.totalCountExact() && result.totalCount() <= pool);
    SearchResult first = results.get(0);
    SearchResult degraded =
        results.stream().filter(SearchResult::degraded).findFirst().orElse(null);
    return new SearchResult(
        page,
        ranked.size(),
        exact,
        degraded == null ? first.mode() : degraded.mode(),
        degraded != null,
        degraded == null ? null : degraded.degradation(),
        first.embeddingModel(),
        first.dimension());
  }

  /**
   * Adds to a result the memories reachable from its hits in up to {@code depth} steps, after the
   * direct hits.
   */
  static SearchResult expand(MemoryStore store, SearchResult direct, int depth) {
    Map<String, SearchHit> best = new LinkedHashMap<>();
    direct.hits().forEach(hit -> best.put(hit.memory().id(), hit));
    List<SearchHit> frontier = new ArrayList<>(direct.hits());
    Map<String, SearchHit> expanded = new LinkedHashMap<>();
    for (int step = 1; step <= depth && !frontier.isEmpty(); step++) {
      List<SearchHit> next = new ArrayList<>();
      for (SearchHit hit : frontier) {
        String origin = hit.expandedFrom() == null ? hit.memory().id() : hit.expandedFrom();
        for (Map.Entry<Memory, Double> neighbour : neighbours(store, hit.memory()).entrySet()) {
          String id = neighbour.getKey().id();
          double score = hit.score() * neighbour.getValue() * 0.5;
          SearchHit known = best.get(id);
          if (known == null || known.score() < score && known.expandedFrom() != null) {
            SearchHit reached = new SearchHit(neighbour.getKey(), score, null, origin);
            best.put(id, reached);
            expanded.put(id, reached);
            next.add(reached);
          }
        }
      }
      frontier = next;
    }
    List<SearchHit> hits = new ArrayList<>(direct.hits());
    expanded.values().stream()
        .sorted(Comparator.comparingDouble(SearchHit::score).reversed())
        .limit(Math.max(0, SearchQuery.MAX_LIMIT - hits.size()))
        .forEach(hits::add);
    return new SearchResult(
        hits,
        direct.totalCount(),
        direct.totalCountExact(),
        direct.mode(),
        direct.degraded(),
        direct.degradation(),
        direct.embeddingModel(),
        direct.dimension());
  }

  /** The memories one step away, each with the strength of the link (1 for parent and children). */
  private static Map<Memory, Double> neighbours(MemoryStore store, Memory memory) {
    Map<Memory, Double> neighbours = new LinkedHashMap<>();
    for (RelatedMemory related : store.links().related(memory.id(), null)) {
      neighbours.merge(related.memory(), related.relationship().strength(), Math::max);
    }
    for (Memory child : store.children(memory.id(), MemorySort.NEWEST_FIRST, 0, 100).items()) {
      neighbours.put(child, 1.0);
    }
    if (memory.parentId() != null) {
      MemoryFilter parent = MemoryFilter.builder().ids(List.of(memory.parentId())).build();
      store
          .list(parent, MemorySort.NEWEST_FIRST, 0, 1)
          .items()
          .forEach(found -> neighbours.put(found, 1.0));
    }
    return neighbours;
  }
}
