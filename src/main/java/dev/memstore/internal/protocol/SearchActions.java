package dev.memstore.internal.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.memstore.Aggregation;
import dev.memstore.ContextPack;
import dev.memstore.InvalidRequestException;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryType;
import dev.memstore.Page;
import dev.memstore.SearchMode;
import dev.memstore.SearchQuery;
import dev.memstore.ValidationException;
import dev.memstore.internal.json.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The retrieval actions: searches by text, recent memories, and the context pack for a prompt. */
final class SearchActions {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** A search's filters page and rank on their own terms: no sort, no expired memories. */
  private static final Set<String> SEARCH_FILTER_FIELDS;

  static {
    Set<String> fields = new TreeSet<>(PayloadDecoder.FILTER_FIELDS);
    fields.removeAll(Set.of("include_expired", "sort", "older_than"));
    fields.add("min_similarity");
    SEARCH_FILTER_FIELDS = Set.copyOf(fields);
  }

  private final MemoryStore store;

  SearchActions(MemoryStore store) {
    this.store = store;
  }

  /**
   * Seed 001's contextual search: {@code results} with {@code similarity_score}, and {@code
   * search_metadata}.
   */
  JsonNode search(Request request) {
    Fields payload =
        request
            .payload()
            .allow(Set.of("query", "search_type", "filters", "explain", "expansion_depth"));
    SearchQuery query =
        searchQuery(payload, payload.requiredText("query"))
            .expansionDepth(
                payload.intBetween("expansion_depth", 0, SearchQuery.MAX_EXPANSION_DEPTH, 0))
            .build();
    return WireFormat.searchResult(store.search(query));
  }

  /**
   * Seed 003's multi-query retrieval: {@code queries}, {@code weights}, {@code aggregation_method}.
   */
  JsonNode searchMultiQuery(Request request) {
    Fields payload =
        request
            .payload()
            .allow(Set.of("queries", "weights", "aggregation_method", "search_type", "filters"));
    List<String> queries = payload.requiredTexts("queries");
    List<Double> weights = weights(payload);
    Aggregation aggregation =
        payload.choice(
            "aggregation_method",
            Aggregation::fromName,
            Aggregation.WEIGHTED_AVERAGE,
            "max, mean, weighted_average or reciprocal_rank_fusion (rrf)");
    SearchQuery template = searchQuery(payload, "(template)").build();
    return WireFormat.searchResult(store.searchMany(queries, weights, aggregation, template));
  }

  /** Reads {@code weights}, one per query, or null when absent. */
  private static List<Double> weights(Fields payload) {
    JsonNode rawWeights = payload.raw("weights");
    if (rawWeights == null) {
      return null;
    }
    List<Double> weights = new ArrayList<>();
    boolean numbers = rawWeights.isArray();
    for (JsonNode weight : rawWeights) {
      numbers &= weight.isNumber();
      weights.add(weight.doubleValue());
    }
    if (!numbers) {
      throw new InvalidRequestException(
          "payload.weights must be an array of numbers", Map.of("field", "payload.weights"));
    }
    return weights;
  }

  /**
   * Seed 003's contextual retrieval: a search whose hits are expanded through links and the
   * hierarchy.
   */
  JsonNode contextualMemories(Request request) {
    Fields payload =
        request
            .payload()
            .allow(Set.of("query", "search_type", "filters", "max_depth", "include_related"));
    Boolean includeRelated = payload.bool("include_related");
    int depth = payload.intBetween("max_depth", 0, SearchQuery.MAX_EXPANSION_DEPTH, 2);
    SearchQuery query =
        searchQuery(payload, payload.requiredText("query"))
            .expansionDepth(includeRelated == null || includeRelated ? depth : 0)
            .build();
    return WireFormat.searchResult(store.search(query));
  }

  /**
   * Seed 003's recent memories: created in the last {@code hours}, optionally of some types, newest
   * first.
   */
  JsonNode recentMemories(Request request) {
    Fields payload =
        request.payload().allow(Set.of("hours", "memory_types", "limit", "offset", "session_id"));
    Double hours = payload.number("hours");
    if (hours == null) {
      throw Fields.missing("payload.hours");
    }
    if (!(hours > 0 && hours <= 24 * 365 * 100)) {
      throw new ValidationException("payload.hours", "payload.hours must be above 0, was " + hours);
    }
    MemoryFilter.Builder filter =
        MemoryFilter.builder()
            .createdFrom(store.config().clock().instant().minusMillis((long) (hours * 3_600_000)))
            .sessionId(payload.text("session_id"));
    List<String> typeNames = payload.texts("memory_types");
    if (typeNames != null) {
      List<MemoryType> types = new ArrayList<>();
      for (String name : typeNames) {
        types.add(
            MemoryType.fromName(name)
                .orElseThrow(() -> PayloadDecoder.unknownType("payload.memory_types", name)));
      }
      filter.types(types);
    }
    Page<Memory> page =
        store.list(
            filter.build(),
            MemorySort.NEWEST_FIRST,
            PayloadDecoder.offset(payload),
            PayloadDecoder.limit(payload));
    return WireFormat.page("memories", page, WireFormat::memory);
  }

  JsonNode contextPack(Request request) {
    request.payload().allow(Set.of("session_id", "query", "token_budget"));
    String sessionId = request.payloadOrEnvelopeSessionId();
    Fields payload = request.payload();
    long budget = payload.requiredLongBetween("token_budget", 1, Integer.MAX_VALUE);
    ContextPack pack = store.contextPack(sessionId, payload.text("query"), (int) budget);
    return WireFormat.contextPack(pack);
  }

  /**
   * Reads what the search actions share: search_type, explain, filters (with limit, offset,
   * min_similarity).
   */
  private static SearchQuery.Builder searchQuery(Fields payload, String text) {
    SearchMode mode =
        payload.choice(
            "search_type", SearchMode::fromName, SearchMode.HYBRID, "semantic, keyword or hybrid");
    Fields filters = payload.object("filters");
    if (filters != null) {
      filters.allow(SEARCH_FILTER_FIELDS);
    }
    SearchQuery.Builder query =
        SearchQuery.builder(text)
            .mode(mode)
            .filter(PayloadDecoder.filterOf(filters, null, false))
            .explain(payload.bool("explain", false));
    if (filters != null) {
      query
          .limit(filters.intBetween("limit", 1, SearchQuery.MAX_LIMIT, 10))
          .offset(PayloadDecoder.offset(filters));
      Double minSimilarity = filters.number("min_similarity");
      if (minSimilarity != null) {
        query.minSimilarity(minSimilarity);
      }
    }
    return query;
  }
}
