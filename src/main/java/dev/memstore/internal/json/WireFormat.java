package dev.memstore.internal.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memstore.CircuitBreakerStatus;
import dev.memstore.ConsolidationReport;
import dev.memstore.ContextGroup;
import dev.memstore.ContextPack;
import dev.memstore.ForgetPreview;
import dev.memstore.ForgetReceipt;
import dev.memstore.HistoryEntry;
import dev.memstore.MaintenanceReport;
import dev.memstore.Memory;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.OptimizeReport;
import dev.memstore.Page;
import dev.memstore.RelatedMemory;
import dev.memstore.Relationship;
import dev.memstore.SearchHit;
import dev.memstore.SearchResult;
import dev.memstore.Session;
import dev.memstore.StoreHealth;
import dev.memstore.StoreStats;
import dev.memstore.Summary;
import dev.memstore.TransferReport;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The JSON shapes of memstore's records, with the field names of the seeds' protocol. The protocol
 * and {@code memctl --json} both write through here, so the two never drift apart.
 */
public final class WireFormat {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private WireFormat() {}

  /**
   * A memory as seed 001's read response shows it, plus the attributes the seeds' other documents
   * add.
   */
  public static ObjectNode memory(Memory memory) {
    ObjectNode node = NODES.objectNode();
    node.put("memory_id", memory.id());
    node.put("memory_type", memory.type().wireName());
    node.put("memory_tier", memory.tier().wireName());
    ObjectNode content = node.putObject("content");
    content.put("text", memory.content());
    content.put("source_agent", memory.sourceAgent());
    content.set("metadata", Json.MAPPER.valueToTree(memory.metadata()));
    ArrayNode tags = node.putArray("tags");
    memory.tags().forEach(tags::add);
    node.put("importance", memory.importance());
    node.put("priority", memory.priority());
    if (memory.ttl() == null) {
      node.putNull("ttl");
    } else {
      node.put("ttl", memory.ttl().toSeconds());
    }
    node.put("created_at", Json.formatInstant(memory.createdAt()));
    node.put("updated_at", Json.formatInstant(memory.updatedAt()));
    node.put("expires_at", Json.formatInstant(memory.expiresAt()));
    node.put("last_accessed_at", Json.formatInstant(memory.lastAccessedAt()));
    node.put("access_count", memory.accessCount());
    node.put("parent_id", memory.parentId());
    node.put("session_id", memory.sessionId());
    node.put("user_id", memory.userId());
    node.put("agent_id", memory.agentId());
    node.put("pinned", memory.pinned());
    node.put("sensitive", memory.sensitive());
    node.put("archived_at", Json.formatInstant(memory.archivedAt()));
    node.put("fact_key", memory.factKey());
    node.put("valid_from", Json.formatInstant(memory.validFrom()));
    node.put("valid_to", Json.formatInstant(memory.validTo()));
    node.put("superseded_by", memory.supersededBy());
    return node;
  }

  public static ArrayNode memories(List<Memory> memories) {
    ArrayNode array = NODES.arrayNode();
    memories.forEach(memory -> array.add(memory(memory)));
    return array;
  }

  /**
   * A page as seed 001's batch_read shows it: the items under a name, {@code total_count} and
   * {@code page_info}.
   */
  public static <T> ObjectNode page(String itemsName, Page<T> page, Function<T, ObjectNode> item) {
    ObjectNode node = NODES.objectNode();
    ArrayNode items = node.putArray(itemsName);
    page.items().forEach(element -> items.add(item.apply(element)));
    node.put("total_count", page.totalCount());
    ObjectNode pageInfo = node.putObject("page_info");
    pageInfo.put("limit", page.limit());
    pageInfo.put("offset", page.offset());
    pageInfo.put("has_more", page.hasMore());
    return node;
  }

  public static ObjectNode session(Session session) {
    ObjectNode node = NODES.objectNode();
    node.put("session_id", session.id());
    node.put("user_id", session.userId());
    node.put("session_type", session.sessionType());
    node.set("session_metadata", Json.MAPPER.valueToTree(session.metadata()));
    node.put("created_at", Json.formatInstant(session.createdAt()));
    node.put("ended_at", Json.formatInstant(session.endedAt()));
    node.put("status", session.isActive() ? "active" : "ended");
    node.put("summary", session.summary());
    node.put("archived", session.archived());
    return node;
  }

  public static ObjectNode relationship(Relationship relationship) {
    ObjectNode node = NODES.objectNode();
    node.put("relationship_id", relationship.id());
    node.put("source_id", relationship.sourceId());
    node.put("target_id", relationship.targetId());
    node.put("relationship_type", relationship.type());
    node.put("strength", relationship.strength());
    node.put("created_at", Json.formatInstant(relationship.createdAt()));
    return node;
  }

  public static ObjectNode related(RelatedMemory related) {
    ObjectNode node = NODES.objectNode();
    node.set("memory", memory(related.memory()));
    node.set("relationship", relationship(related.relationship()));
    node.put("direction", related.outgoing() ? "outgoing" : "incoming");
    return node;
  }

  public static ObjectNode group(ContextGroup group) {
    ObjectNode node = NODES.objectNode();
    node.put("group_id", group.id());
    node.put("name", group.name());
    node.put("description", group.description());
    node.put("created_at", Json.formatInstant(group.createdAt()));
    node.put("member_count", group.memberCount());
    return node;
  }

  public static ObjectNode history(HistoryEntry entry) {
    ObjectNode node = NODES.objectNode();
    node.put("sequence", entry.sequence());
    node.put("memory_id", entry.memoryId());
    node.put("action", entry.action().wireName());
    node.put("at", Json.formatInstant(entry.at()));
    node.set("changes", changes(entry.changes()));
    return node;
  }

  /**
   * A history entry's changes: each changed field with its value before ({@code from}) and after.
   */
  public static ObjectNode changes(Map<String, HistoryEntry.Change> changes) {
    ObjectNode node = NODES.objectNode();
    changes.forEach(
        (field, change) -> {
          ObjectNode pair = node.putObject(field);
          pair.set("from", Json.MAPPER.valueToTree(change.from()));
          pair.set("to", Json.MAPPER.valueToTree(change.to()));
        });
    return node;
  }

  /** A search result as seed 001's search response shows it. */
  public static ObjectNode searchResult(SearchResult result) {
    ObjectNode data = NODES.objectNode();
    ArrayNode results = data.putArray("results");
    for (SearchHit hit : result.hits()) {
      ObjectNode item = memory(hit.memory());
      // similarity_score (seed 001's name) is the similarity it names: it carried the rank score
      // before, which made it look comparable across searches.
      item.put("score", hit.score());
      putNumberOrNull(item, "similarity", hit.similarity());
      putNumberOrNull(item, "similarity_score", hit.similarity());
      putNumberOrNull(item, "relevance", hit.relevance());
      if (hit.parts() != null) {
        item.set("score_parts", scoreParts(hit.parts()));
      }
      if (hit.expandedFrom() != null) {
        item.put("expanded_from", hit.expandedFrom());
      }
      results.add(item);
    }
    data.put("total_count", result.totalCount());
    data.put("total_count_exact", result.totalCountExact());
    ObjectNode metadata = data.putObject("search_metadata");
    metadata.put("search_type", result.mode().wireName());
    metadata.put("embedding_model", result.embeddingModel());
    metadata.put("query_embedding_dimension", result.dimension());
    metadata.put("degraded", result.degraded());
    metadata.put("degradation", result.degradation());
    metadata.put("degraded_reason", result.degradation());
    return data;
  }

  /** A context pack as get_context_pack answers it and {@code memctl context --json} prints it. */
  public static ObjectNode contextPack(ContextPack pack) {
    ObjectNode data = NODES.objectNode();
    data.put("text", pack.text());
    data.put("estimated_tokens", pack.estimatedTokens());
    data.set("profile", memories(pack.profile()));
    data.set("recent", memories(pack.recent()));
    ArrayNode relevant = data.putArray("relevant");
    for (SearchHit hit : pack.relevant()) {
      ObjectNode node = memory(hit.memory());
      node.put("score", hit.score());
      relevant.add(node);
    }
    return data;
  }

  private static void putNumberOrNull(ObjectNode node, String field, Double value) {
    if (value == null) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }

  public static ObjectNode scoreParts(SearchHit.ScoreParts parts) {
    ObjectNode node = NODES.objectNode();
    putNumberOrNull(node, "semantic", parts.semantic());
    putNumberOrNull(node, "keyword", parts.keyword());
    node.put("relevance", parts.relevance());
    node.put("importance", parts.importance());
    node.put("recency", parts.recency());
    node.put("score", parts.score());
    return node;
  }

  public static ObjectNode circuitBreaker(CircuitBreakerStatus status) {
    ObjectNode node = NODES.objectNode();
    node.put("state", status.state().wireName());
    node.put("consecutive_failures", status.consecutiveFailures());
    node.put("failure_threshold", status.failureThreshold());
    node.put("cool_down_seconds", status.coolDown().toSeconds());
    node.put("opened_at", Json.formatInstant(status.openedAt()));
    node.put("retry_at", Json.formatInstant(status.retryAt()));
    node.put("last_error", status.lastError());
    return node;
  }

  public static ObjectNode stats(StoreStats stats) {
    ObjectNode node = NODES.objectNode();
    node.put("total_memories", stats.totalMemories());
    node.put("expired_memories", stats.expiredMemories());
    node.set("memory_type_distribution", counts(stats.memoriesByType(), MemoryType::wireName));
    node.set("memory_tier_distribution", counts(stats.memoriesByTier(), MemoryTier::wireName));
    node.put("avg_importance_score", stats.averageImportance());
    node.put("sessions", stats.sessions());
    node.put("active_sessions", stats.activeSessions());
    node.put("relationships", stats.relationships());
    node.put("context_groups", stats.contextGroups());
    node.put("embedded_memories", stats.embeddedMemories());
    node.put("embedding_model", stats.embeddingModel());
    node.put("embedding_dimension", stats.embeddingDimension());
    node.put("sqlite_vec_version", stats.sqliteVecVersion());
    node.put("schema_version", stats.schemaVersion());
    node.put("file_size_bytes", stats.fileSizeBytes());
    node.put("wal_size_bytes", stats.walSizeBytes());
    node.put("free_pages", stats.freePages());
    node.put("page_size", stats.pageSize());
    node.set("memory_session_distribution", counts(stats.memoriesBySession(), Function.identity()));
    node.put("pinned_memories", stats.pinnedMemories());
    node.put("archived_memories", stats.archivedMemories());
    ObjectNode cache = node.putObject("cache");
    cache.put("memories", stats.cachedMemories());
    cache.put("hits", stats.cacheHits());
    cache.put("misses", stats.cacheMisses());
    cache.put("hit_rate", stats.cacheHitRate());
    ObjectNode retrievals = node.putObject("retrievals");
    retrievals.put("total_retrievals", stats.searches());
    retrievals.put("avg_relevance_score", stats.averageSearchScore());
    retrievals.put("latency_p50_ms", stats.searchP50Millis());
    retrievals.put("latency_p95_ms", stats.searchP95Millis());
    node.put("dropped_events", stats.droppedEvents());
    node.set("last_maintenance", Json.MAPPER.valueToTree(stats.lastMaintenance()));
    node.put("degraded_reason", stats.degradedReason());
    return node;
  }

  /**
   * Counts by key, in the keys' natural order (declaration order for enums), so output is stable.
   */
  private static <K extends Comparable<K>> ObjectNode counts(
      Map<K, Long> counts, Function<K, String> name) {
    ObjectNode node = NODES.objectNode();
    counts.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(entry -> node.put(name.apply(entry.getKey()), entry.getValue()));
    return node;
  }

  public static ObjectNode consolidation(ConsolidationReport report) {
    ObjectNode node = NODES.objectNode();
    node.put("consolidated_count", report.merged());
    node.put("similarity_threshold", report.threshold());
    node.put("time_window_hours", report.window().toHours());
    node.put("dry_run", report.dryRun());
    node.put("took_ms", report.took().toMillis());
    ArrayNode groups = node.putArray("groups");
    for (ConsolidationReport.Group group : report.groups()) {
      ObjectNode item = groups.addObject();
      item.put("kept_id", group.keptId());
      group.mergedIds().forEach(item.putArray("merged_ids")::add);
      group.similarities().forEach(item.putArray("similarities")::add);
    }
    return node;
  }

  public static ObjectNode maintenance(MaintenanceReport report) {
    ObjectNode node = NODES.objectNode();
    node.put("at", Json.formatInstant(report.at()));
    node.put("expired", report.expired());
    node.put("promoted", report.promoted());
    node.put("folded", report.folded());
    node.put("summaries", report.summaries());
    node.put("pruned", report.pruned());
    node.put("evicted", report.evicted());
    node.put("withheld", report.withheld());
    node.put("checkpointed", report.checkpointed());
    node.put("took_ms", report.took().toMillis());
    return node;
  }

  public static ObjectNode health(StoreHealth health) {
    ObjectNode node = NODES.objectNode();
    node.put("overall_score", health.score());
    node.put("healthy", health.isHealthy());
    node.put("integrity_ok", health.integrityOk());
    node.put("full_text_consistent", health.fullTextConsistent());
    node.put("vectors_consistent", health.vectorsConsistent());
    node.put("memories_without_embedding", health.memoriesWithoutEmbedding());
    health.issues().forEach(node.putArray("issues")::add);
    health.warnings().forEach(node.putArray("warnings")::add);
    return node;
  }

  public static ObjectNode summary(Summary summary) {
    ObjectNode node = NODES.objectNode();
    node.put("summary", summary.text());
    node.put("memory_count", summary.memoryCount());
    node.put("from", Json.formatInstant(summary.from()));
    node.put("until", Json.formatInstant(summary.until()));
    summary.memoryIds().forEach(node.putArray("memory_ids")::add);
    return node;
  }

  public static ObjectNode optimize(OptimizeReport report) {
    ObjectNode node = NODES.objectNode();
    node.put("full_text_merged", report.fullTextMerged());
    node.put("vacuumed", report.vacuumed());
    node.put("bytes_before", report.bytesBefore());
    node.put("bytes_after", report.bytesAfter());
    node.put("freed_space_mb", report.bytesFreed() / (1024.0 * 1024.0));
    node.put("took_ms", report.took().toMillis());
    return node;
  }

  public static ObjectNode transfer(TransferReport report) {
    ObjectNode node = NODES.objectNode();
    node.put("sessions", report.sessions());
    node.put("memories", report.memories());
    node.put("relationships", report.relationships());
    node.put("context_groups", report.contextGroups());
    node.put("awaiting_embedding", report.awaitingEmbedding());
    report.skippedLines().forEach(node.putArray("skipped")::add);
    report.forgottenRefused().forEach(node.putArray("forgotten_refused")::add);
    return node;
  }

  /**
   * What a forget would remove: {@code dry_run} true, {@code memory_ids} (every one), {@code
   * memories} (selected) and {@code derived} (built from them), each in full.
   */
  public static ObjectNode forgetPreview(ForgetPreview preview) {
    ObjectNode node = NODES.objectNode();
    node.put("dry_run", true);
    node.put("memory_count", preview.ids().size());
    preview.ids().forEach(node.putArray("memory_ids")::add);
    node.set("memories", memories(preview.memories()));
    node.set("derived", memories(preview.derived()));
    return node;
  }

  /**
   * A forget's receipt: {@code dry_run} false, {@code deleted_count} and {@code memory_ids} as a
   * delete answers, and the receipt's fields; never content.
   */
  public static ObjectNode forgetReceipt(ForgetReceipt receipt) {
    ObjectNode node = NODES.objectNode();
    node.put("dry_run", false);
    node.put("deleted_count", receipt.removedIds().size());
    receipt.removedIds().forEach(node.putArray("memory_ids")::add);
    node.put("receipt_number", receipt.number());
    node.put("forgotten_at", Json.formatInstant(receipt.at()));
    node.put("agent", receipt.agent());
    node.set("criteria", Json.MAPPER.valueToTree(receipt.criteria()));
    ObjectNode removed = node.putObject("removed");
    removed.put("memories", receipt.memories());
    removed.put("history_entries", receipt.historyEntries());
    removed.put("links", receipt.links());
    removed.put("vectors", receipt.vectors());
    removed.put("index_entries", receipt.indexEntries());
    node.put("log_cleared", receipt.logCleared());
    node.put("snapshot_rewritten", receipt.snapshotRewritten());
    return node;
  }
}
