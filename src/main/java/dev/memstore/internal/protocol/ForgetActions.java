package dev.memstore.internal.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memstore.ForgetRequest;
import dev.memstore.InvalidRequestException;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryStore;
import dev.memstore.SearchQuery;
import dev.memstore.internal.json.WireFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The action {@code forget}: memories selected by {@code memory_ids}, {@code filters} (a filter
 * object, with {@code limit} and {@code min_score} for the query) and {@code query}, all of which
 * must hold; {@code dry_run} answers what would go instead of forgetting it.
 */
final class ForgetActions {
  /** The filter object of a forget: every criterion, no paging, and the query's bounds. */
  private static final Set<String> FILTER_FIELDS;

  static {
    Set<String> fields = new TreeSet<>(PayloadDecoder.FILTER_FIELDS);
    fields.removeAll(Set.of("offset", "sort", "include_expired"));
    fields.add("min_score");
    FILTER_FIELDS = Set.copyOf(fields);
  }

  private final MemoryStore store;

  ForgetActions(MemoryStore store) {
    this.store = store;
  }

  JsonNode forget(Request request) {
    Fields payload = request.payload().allow(Set.of("memory_ids", "filters", "query", "dry_run"));
    ForgetRequest.Builder forget = ForgetRequest.builder();
    List<String> ids = payload.texts("memory_ids");
    if (ids != null) {
      forget.ids(ids);
    }
    Fields filters = payload.object("filters");
    if (filters != null) {
      filters.allow(FILTER_FIELDS);
    }
    MemoryFilter filter = PayloadDecoder.filterOf(filters, null, false);
    if (!filter.isUnrestricted()) {
      forget.filter(filter);
    }
    String query = payload.text("query");
    if (query != null) {
      forget.text(query);
      if (filters != null) {
        forget.limit(
            filters.intBetween("limit", 1, SearchQuery.MAX_LIMIT, ForgetRequest.DEFAULT_LIMIT));
        Double minScore = filters.number("min_score");
        if (minScore != null) {
          forget.minScore(minScore);
        }
      }
    } else if (filters != null) {
      for (String bound : List.of("limit", "min_score")) {
        if (filters.has(bound)) {
          throw new InvalidRequestException(
              filters.path(bound) + " applies only with payload.query",
              Map.of("field", filters.path(bound)));
        }
      }
    }
    ForgetRequest built = forget.build();
    return payload.bool("dry_run", false)
        ? WireFormat.forgetPreview(store.privacy().previewForget(built))
        : WireFormat.forgetReceipt(store.privacy().forget(built));
  }
}
