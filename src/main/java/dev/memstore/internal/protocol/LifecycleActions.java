package dev.memstore.internal.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memstore.ConsolidationReport;
import dev.memstore.LearnedInteraction;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryStore;
import dev.memstore.internal.json.WireFormat;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The actions that keep the store in shape and report on it: summaries, consolidation, pruning,
 * learning from an exchange, maintenance, optimizing, embedding the backlog, statistics and health.
 */
final class LifecycleActions {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The oldest prune age, in days (100 years), and the longest consolidation window. */
  private static final long MAX_AGE_DAYS = 100L * 365;

  private static final long MAX_WINDOW_HOURS = MAX_AGE_DAYS * 24;

  /** Summarize selects by filter and summarizes all that matches: no paging, no sort. */
  private static final Set<String> SUMMARIZE_FIELDS;

  static {
    Set<String> fields = new TreeSet<>(PayloadDecoder.FILTER_FIELDS);
    fields.removeAll(Set.of("limit", "offset", "sort"));
    SUMMARIZE_FIELDS = Set.copyOf(fields);
  }

  private final MemoryStore store;

  LifecycleActions(MemoryStore store) {
    this.store = store;
  }

  JsonNode stats(Request request) {
    request.payload().allow(Set.of());
    return WireFormat.stats(store.file().stats());
  }

  JsonNode circuitBreakerStatus(Request request) {
    request.payload().allow(Set.of());
    return WireFormat.circuitBreaker(store.embeddings().circuitBreaker());
  }

  JsonNode resetCircuitBreaker(Request request) {
    request.payload().allow(Set.of());
    store.embeddings().resetCircuitBreaker();
    return WireFormat.circuitBreaker(store.embeddings().circuitBreaker());
  }

  JsonNode embedPending(Request request) {
    request.payload().allow(Set.of());
    ObjectNode data = NODES.objectNode();
    data.put("embedded_count", store.embeddings().embedPending());
    return data;
  }

  /**
   * Seed 001's summarize: the payload's criteria (memory_type, time_range, ...) select what is
   * summarized; the envelope's session applies when the payload names none.
   */
  JsonNode summarize(Request request) {
    Fields payload = request.payload().allow(SUMMARIZE_FIELDS);
    MemoryFilter filter = PayloadDecoder.filterOf(payload, null, false);
    if (filter.sessionId() == null && request.sessionId() != null) {
      filter = withSession(filter, request.sessionId());
    }
    if (filter.sessionId() != null) {
      store.sessions().get(filter.sessionId());
    }
    return WireFormat.summary(store.lifecycle().summarize(filter));
  }

  private static MemoryFilter withSession(MemoryFilter filter, String sessionId) {
    return filter.toBuilder().sessionId(sessionId).build();
  }

  JsonNode consolidate(Request request) {
    Fields payload =
        request.payload().allow(Set.of("time_window_hours", "similarity_threshold", "dry_run"));
    Long hours = payload.longBetween("time_window_hours", 1, MAX_WINDOW_HOURS);
    boolean dryRun = payload.bool("dry_run", false);
    ConsolidationReport report =
        store
            .lifecycle()
            .consolidate(
                hours == null ? null : Duration.ofHours(hours),
                payload.number("similarity_threshold"),
                dryRun);
    return WireFormat.consolidation(report);
  }

  /** Seed 003's cleanup_old_memories(max_age_days, min_importance, max_access_count). */
  JsonNode prune(Request request) {
    Fields payload =
        request
            .payload()
            .allow(Set.of("max_age_days", "min_importance", "max_access_count", "dry_run"));
    Long days = payload.longBetween("max_age_days", 0, MAX_AGE_DAYS);
    Double minImportance = payload.number("min_importance");
    Long maxAccessCount = payload.longBetween("max_access_count", 0, Long.MAX_VALUE);
    if (days == null) {
      throw Fields.missing("payload.max_age_days");
    }
    boolean dryRun = payload.bool("dry_run", false);
    List<String> ids =
        store
            .lifecycle()
            .cleanup(
                MemoryFilter.all(),
                Duration.ofDays(days),
                minImportance == null ? 0.3 : minImportance,
                maxAccessCount == null ? 1L : maxAccessCount,
                dryRun);
    ObjectNode data = NODES.objectNode();
    data.put("dry_run", dryRun);
    MemoryActions.putDeleted(data, ids);
    return data;
  }

  JsonNode runMaintenance(Request request) {
    request.payload().allow(Set.of());
    return WireFormat.maintenance(store.lifecycle().runMaintenance());
  }

  JsonNode health(Request request) {
    request.payload().allow(Set.of());
    return WireFormat.health(store.file().health());
  }

  JsonNode optimize(Request request) {
    Fields payload = request.payload().allow(Set.of("vacuum"));
    return WireFormat.optimize(store.file().optimize(payload.bool("vacuum", false)));
  }

  JsonNode learn(Request request) {
    Fields payload =
        request
            .payload()
            .allow(Set.of("user_input", "assistant_response", "feedback", "session_id"));
    String sessionId = request.payloadOrEnvelopeSessionId();
    String userInput = payload.requiredText("user_input");
    LearnedInteraction learned =
        store
            .lifecycle()
            .learnFromInteraction(
                userInput,
                payload.text("assistant_response"),
                sessionId,
                payload.number("feedback"));
    ObjectNode data = NODES.objectNode();
    data.set("exchange", WireFormat.memory(learned.exchange()));
    data.set("facts", WireFormat.memories(learned.facts()));
    return data;
  }
}
