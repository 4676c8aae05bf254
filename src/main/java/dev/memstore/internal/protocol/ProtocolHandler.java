package dev.memstore.internal.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memstore.Aggregation;
import dev.memstore.BatchGetResult;
import dev.memstore.ConsolidationReport;
import dev.memstore.ContextGroup;
import dev.memstore.ContextPack;
import dev.memstore.CreateResult;
import dev.memstore.ErrorCode;
import dev.memstore.InvalidRequestException;
import dev.memstore.LearnedInteraction;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryProtocol;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryStoreException;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.MemoryUpdate;
import dev.memstore.NewMemory;
import dev.memstore.Page;
import dev.memstore.Relationship;
import dev.memstore.SearchHit;
import dev.memstore.SearchMode;
import dev.memstore.SearchQuery;
import dev.memstore.Session;
import dev.memstore.ValidationException;
import dev.memstore.internal.json.Json;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Seed 001's protocol over a {@link MemoryStore}. Each action reads its payload strictly (unknown
 * fields are refused, so a misspelt name never silently does nothing), calls the store once, and
 * answers in the seed's envelope.
 */
public final class ProtocolHandler implements MemoryProtocol {
  private static final System.Logger LOG = System.getLogger(ProtocolHandler.class.getName());
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> ENVELOPE =
      Set.of("action", "session_id", "payload", "request_id", "timestamp");
  private static final int DEFAULT_LIMIT = 50;

  /** The most memories one batch_add_memories may create; each is embedded before the answer. */
  static final int MAX_BATCH_MEMORIES = 1000;

  /** The longest time to live, in seconds: 100 years, as the store allows. */
  static final long MAX_TTL_SECONDS = 100L * 365 * 24 * 3600;

  /** The oldest prune age, in days (100 years), and the longest consolidation window. */
  static final long MAX_AGE_DAYS = 100L * 365;

  private static final long MAX_WINDOW_HOURS = MAX_AGE_DAYS * 24;

  private static final String INTERNAL_MESSAGE =
      "internal error while handling this request; nothing was changed; memstore's log has the"
          + " details, please report it";

  /**
   * The longest message an error answer carries; longer ones are cut, never echoing whole input.
   */
  private static final int MAX_MESSAGE = 1000;

  /** Text that only Java internals write; an answer must never carry it. */
  private static final java.util.regex.Pattern JAVA_TEXT =
      java.util.regex.Pattern.compile(
          "java\\.|javax\\.|com\\.fasterxml|Exception|\\bat dev\\.memstore|"
              + "fromIndex|toIndex|long overflow|integer overflow|StreamReadConstraints|"
              + "StreamWriteConstraints");

  /**
   * The actions that later versions add; until then they answer a clear error, never a made-up
   * result.
   */
  private static final Map<String, String> NOT_YET = Map.of();

  private record Request(String action, String sessionId, Fields payload) {}

  private final MemoryStore store;
  private final Map<String, Function<Request, JsonNode>> actions = new LinkedHashMap<>();

  public ProtocolHandler(MemoryStore store) {
    this.store = store;
    actions.put("create", this::create);
    actions.put("read", this::read);
    actions.put("update", this::update);
    actions.put("delete", this::delete);
    actions.put("batch_read", this::batchRead);
    actions.put("bulk_delete", this::bulkDelete);
    actions.put("batch_add_memories", this::batchAdd);
    actions.put("batch_get_memories", this::batchGet);
    actions.put("get_children", this::children);
    actions.put("reinforce_memory", this::reinforce);
    actions.put("get_history", this::history);
    actions.put("add_relationship", this::addRelationship);
    actions.put("get_related_memories", this::related);
    actions.put("remove_relationship", this::removeRelationship);
    actions.put("create_context_group", this::createGroup);
    actions.put("list_context_groups", this::listGroups);
    actions.put("add_to_group", this::addToGroup);
    actions.put("remove_from_group", this::removeFromGroup);
    actions.put("get_memories_by_group", this::groupMembers);
    actions.put("create_session", this::createSession);
    actions.put("get_session", this::getSession);
    actions.put("list_sessions", this::listSessions);
    actions.put("end_session", this::endSession);
    actions.put("stats", this::stats);
    actions.put("search", this::search);
    actions.put("search_multi_query", this::searchMultiQuery);
    actions.put("get_contextual_memories", this::contextualMemories);
    actions.put("get_recent_memories", this::recentMemories);
    actions.put("get_circuit_breaker_status", this::circuitBreakerStatus);
    actions.put("reset_circuit_breaker", this::resetCircuitBreaker);
    actions.put("embed_pending", this::embedPending);
    actions.put("summarize", this::summarize);
    actions.put("consolidate", this::consolidate);
    actions.put("prune", this::prune);
    actions.put("cleanup_old_memories", this::prune);
    actions.put("run_maintenance", this::runMaintenance);
    actions.put("health", this::health);
    actions.put("optimize", this::optimize);
    actions.put("get_conversation_context", this::conversationContext);
    actions.put("get_context_pack", this::contextPack);
    actions.put("learn_from_interaction", this::learn);
  }

  /** Returns the names of the actions this handler answers. */
  public Set<String> actionNames() {
    return new TreeSet<>(actions.keySet());
  }

  @Override
  public String handle(String requestJson) {
    String action = null;
    JsonNode requestId = null;
    try {
      JsonNode request = Json.readInput(requestJson, "the request", "request");
      if (!request.isObject()) {
        throw new InvalidRequestException("the request must be a JSON object");
      }
      ObjectNode envelope = (ObjectNode) request;
      requestId = envelope.get("request_id");
      Fields fields = new Fields(envelope, "request");
      action = fields.requiredText("action");
      if (requestId != null && !requestId.isTextual() && !requestId.isNull()) {
        requestId = null;
        throw new InvalidRequestException(
            "request.request_id must be a string", Map.of("field", "request.request_id"));
      }
      if (requestId != null && requestId.isTextual() && requestId.textValue().length() > 256) {
        requestId = null;
        throw new InvalidRequestException(
            "request.request_id must be at most 256 characters",
            Map.of("field", "request.request_id"));
      }
      // After the action and request id, so that the error response can echo them.
      fields.allow(ENVELOPE);
      fields.instant("timestamp");
      String sessionId = fields.text("session_id");
      Fields payload = fields.object("payload");
      Function<Request, JsonNode> handler = actions.get(action);
      if (handler == null) {
        if (NOT_YET.containsKey(action)) {
          throw new InvalidRequestException(
              "action '"
                  + action
                  + "' ("
                  + NOT_YET.get(action)
                  + ") is not available in this version of memstore",
              Map.of("action", action, "reason", "not_implemented"));
        }
        throw new InvalidRequestException(
            "unknown action '"
                + Json.excerpt(action, 64)
                + "'; known actions: "
                + String.join(", ", actionNames()),
            Map.of("action", action));
      }
      // Named payload.x (not request.payload.x), as the hand-written messages name them.
      payload =
          payload == null ? new Fields(NODES.objectNode(), "payload") : payload.named("payload");
      JsonNode data = handler.apply(new Request(action, sessionId, payload));
      ObjectNode response = NODES.objectNode();
      response.put("status", "success");
      response.put("action", action);
      response.set("request_id", requestId);
      response.set("data", data);
      response.put("timestamp", now());
      return Json.write(response);
    } catch (MemoryStoreException e) {
      if (e.code() == ErrorCode.INTERNAL_ERROR) {
        // Its message is written for the log (it may quote a library), not for the client.
        LOG.log(Level.ERROR, "internal error handling action " + action, e);
        return error(action, requestId, e.code(), INTERNAL_MESSAGE, Map.of());
      }
      return error(action, requestId, e.code(), e.getMessage(), e.details());
    } catch (IllegalArgumentException e) {
      // The public builders' own checks; their messages are written for users.
      return error(action, requestId, ErrorCode.VALIDATION_ERROR, e.getMessage(), Map.of());
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "unexpected failure handling action " + action, e);
      return error(action, requestId, ErrorCode.INTERNAL_ERROR, INTERNAL_MESSAGE, Map.of());
    }
  }

  /**
   * Answers a request that never reached {@link #handle}, such as a line {@code memctl exec}
   * refused while reading it, with the protocol's error envelope.
   */
  public String refuse(ErrorCode code, String message) {
    return error(null, null, code, message, Map.of());
  }

  private String error(
      String action,
      JsonNode requestId,
      ErrorCode code,
      String message,
      Map<String, Object> details) {
    ObjectNode response = NODES.objectNode();
    response.put("status", "error");
    // An unknown action is echoed only in part: an error never repeats a whole huge input.
    response.put(
        "action",
        action == null || actions.containsKey(action) ? action : Json.excerpt(action, 64));
    response.set("request_id", requestId);
    ObjectNode error = response.putObject("error");
    error.put("code", code.wireName());
    error.put("message", userMessage(code, message));
    ObjectNode detailNode = error.putObject("details");
    details.forEach(
        (name, value) ->
            detailNode.set(
                name,
                value instanceof String text
                    ? NODES.textNode(Json.excerpt(text, 200))
                    : Json.MAPPER.valueToTree(value)));
    response.put("timestamp", now());
    return Json.write(response);
  }

  /**
   * Returns a message fit for a client: cut to a bounded length, and never Java's own text (a check
   * that slipped would otherwise leak it; the log keeps it).
   */
  private static String userMessage(ErrorCode code, String message) {
    if (message == null || message.isBlank()) {
      return "the request failed (" + code.wireName() + ")";
    }
    if (JAVA_TEXT.matcher(message).find()) {
      LOG.log(Level.WARNING, "an error message with internal text was replaced: " + message);
      return code == ErrorCode.INTERNAL_ERROR
          ? INTERNAL_MESSAGE
          : "the request was refused (" + code.wireName() + ") with no further explanation";
    }
    return Json.excerpt(message, MAX_MESSAGE);
  }

  private String now() {
    return Json.formatInstant(store.config().clock().instant());
  }

  // Memories

  private static final Set<String> MEMORY_FIELDS =
      Set.of(
          "memory_type",
          "memory_tier",
          "content",
          "metadata",
          "tags",
          "ttl",
          "priority",
          "importance",
          "importance_score",
          "parent_id",
          "user_id",
          "agent_id",
          "source_agent",
          "session_id",
          "pinned");

  private JsonNode create(Request request) {
    CreateResult result =
        store
            .createAllWithResults(
                List.of(newMemory(request.payload().allow(MEMORY_FIELDS), request.sessionId())))
            .get(0);
    return created(result);
  }

  /** A created memory's id and time, and whether it was an existing duplicate, reinforced. */
  private static ObjectNode created(CreateResult result) {
    ObjectNode data = NODES.objectNode();
    data.put("memory_id", result.memory().id());
    data.put("created_at", Json.formatInstant(result.memory().createdAt()));
    data.put("duplicate", result.duplicate());
    return data;
  }

  /**
   * Reads a memory to create; the envelope's session is the memory's unless the payload names one.
   */
  private static NewMemory newMemory(Fields payload, String envelopeSessionId) {
    Content content = content(payload, true);
    TypeAndTier kind = typeAndTier(payload);
    NewMemory.Builder builder =
        NewMemory.builder(content.text)
            .type(kind.type == null ? MemoryType.GENERAL : kind.type)
            .tier(kind.tier)
            .sourceAgent(content.sourceAgent)
            .metadata(content.metadata == null ? Map.of() : content.metadata)
            .tags(payload.texts("tags") == null ? List.of() : payload.texts("tags"))
            .parentId(payload.text("parent_id"))
            .userId(payload.text("user_id"))
            .agentId(payload.text("agent_id"));
    String sessionId = payload.text("session_id");
    builder.sessionId(sessionId != null ? sessionId : envelopeSessionId);
    Double importance = importance(payload);
    if (importance != null) {
      builder.importance(importance);
    }
    Long priority = payload.longBetween("priority", 1, 10);
    if (priority != null) {
      builder.priority(priority.intValue());
    }
    Long ttl = payload.longBetween("ttl", 1, MAX_TTL_SECONDS);
    if (ttl != null) {
      builder.ttl(Duration.ofSeconds(ttl));
    }
    Boolean pinned = payload.bool("pinned");
    if (pinned != null) {
      builder.pinned(pinned);
    }
    return builder.build();
  }

  private static Double importance(Fields payload) {
    Double importance = payload.number("importance");
    Double score = payload.number("importance_score");
    if (importance != null && score != null && !importance.equals(score)) {
      throw new InvalidRequestException(
          "give importance or importance_score, not both with different values",
          Map.of("field", payload.path("importance_score")));
    }
    return importance != null ? importance : score;
  }

  private record Content(
      String text,
      String sourceAgent,
      Map<String, Object> metadata,
      boolean hasSourceAgent,
      boolean hasMetadata) {}

  /**
   * Reads seed 001's structured content ({@code {text, source_agent, metadata}}) or seeds 002-004's
   * plain string content with {@code metadata} and {@code source_agent} beside it.
   */
  private static Content content(Fields payload, boolean required) {
    JsonNode raw = payload.raw("content");
    if (raw == null) {
      if (required) {
        throw Fields.missing(payload.path("content"));
      }
      return new Content(
          null,
          payload.text("source_agent"),
          payload.jsonObject("metadata"),
          payload.has("source_agent"),
          payload.has("metadata"));
    }
    if (raw.isTextual()) {
      return new Content(
          raw.textValue(),
          payload.text("source_agent"),
          payload.jsonObject("metadata"),
          payload.has("source_agent"),
          payload.has("metadata"));
    }
    Fields content = payload.object("content").allow(Set.of("text", "source_agent", "metadata"));
    if (payload.has("metadata") || payload.has("source_agent")) {
      throw new InvalidRequestException(
          "metadata and source_agent go inside "
              + payload.path("content")
              + " when content is an object",
          Map.of("field", payload.path(payload.has("metadata") ? "metadata" : "source_agent")));
    }
    String text = required ? content.requiredText("text") : content.text("text");
    return new Content(
        text,
        content.text("source_agent"),
        content.jsonObject("metadata"),
        content.has("source_agent"),
        content.has("metadata"));
  }

  private record TypeAndTier(MemoryType type, MemoryTier tier) {}

  /**
   * Reads {@code memory_type} and {@code memory_tier}. Seed 004 names tiers as memory types ({@code
   * short_term}, {@code working}, {@code long_term}); such a type sets the tier instead.
   */
  private static TypeAndTier typeAndTier(Fields payload) {
    MemoryTier tier = tier(payload.path("memory_tier"), payload.text("memory_tier"));
    String typeName = payload.text("memory_type");
    if (typeName == null) {
      return new TypeAndTier(null, tier);
    }
    var type = MemoryType.fromName(typeName);
    if (type.isPresent()) {
      return new TypeAndTier(type.get(), tier);
    }
    var tierAsType = MemoryTier.fromName(typeName);
    if (tierAsType.isPresent()) {
      if (tier != null && tier != tierAsType.get()) {
        throw new ValidationException(
            payload.path("memory_type"),
            "memory_type '"
                + typeName
                + "' names the tier "
                + tierAsType.get().wireName()
                + " but memory_tier is "
                + tier.wireName());
      }
      return new TypeAndTier(MemoryType.GENERAL, tierAsType.get());
    }
    throw unknownType(payload.path("memory_type"), typeName);
  }

  private static ValidationException unknownType(String path, String name) {
    List<String> names = new ArrayList<>();
    for (MemoryType type : MemoryType.values()) {
      names.add(type.wireName());
      names.addAll(type.aliases());
    }
    return new ValidationException(
        path,
        path + " '" + name + "' is not a memory type; use one of " + String.join(", ", names));
  }

  private static MemoryTier tier(String path, String name) {
    if (name == null) {
      return null;
    }
    return MemoryTier.fromName(name)
        .orElseThrow(
            () ->
                new ValidationException(
                    path,
                    path
                        + " '"
                        + name
                        + "' is not a memory tier; use short_term (short), working or long_term (long)"));
  }

  private JsonNode read(Request request) {
    Fields payload = request.payload().allow(Set.of("memory_id"));
    return WireFormat.memory(store.get(payload.requiredText("memory_id")));
  }

  private JsonNode update(Request request) {
    Set<String> allowed = new TreeSet<>(MEMORY_FIELDS);
    allowed.remove("session_id");
    allowed.add("memory_id");
    Fields payload = request.payload().allow(allowed);
    String memoryId = payload.requiredText("memory_id");
    MemoryUpdate.Builder update = MemoryUpdate.builder();
    Content content = content(payload, false);
    if (content.text != null) {
      update.content(content.text);
    }
    if (content.hasSourceAgent) {
      update.sourceAgent(content.sourceAgent);
    }
    if (content.hasMetadata) {
      update.metadata(content.metadata == null ? Map.of() : content.metadata);
    }
    TypeAndTier kind = typeAndTier(payload);
    if (kind.type != null) {
      update.type(kind.type);
    }
    if (kind.tier != null) {
      update.tier(kind.tier);
    }
    if (payload.has("tags")) {
      List<String> tags = payload.texts("tags");
      update.tags(tags == null ? List.of() : tags);
    }
    Double importance = importance(payload);
    if (importance != null) {
      update.importance(importance);
    }
    Long priority = payload.longBetween("priority", 1, 10);
    if (priority != null) {
      update.priority(priority.intValue());
    }
    if (payload.has("ttl")) {
      Long ttl = payload.longBetween("ttl", 1, MAX_TTL_SECONDS);
      update.ttl(ttl == null ? null : Duration.ofSeconds(ttl));
    }
    if (payload.has("parent_id")) {
      update.parentId(payload.text("parent_id"));
    }
    if (payload.has("user_id")) {
      update.userId(payload.text("user_id"));
    }
    if (payload.has("agent_id")) {
      update.agentId(payload.text("agent_id"));
    }
    Boolean pinned = payload.bool("pinned");
    if (pinned != null) {
      update.pinned(pinned);
    }
    Memory memory = store.update(memoryId, update.build());
    ObjectNode data = NODES.objectNode();
    data.put("memory_id", memory.id());
    data.put("updated_at", Json.formatInstant(memory.updatedAt()));
    data.put("expires_at", Json.formatInstant(memory.expiresAt()));
    return data;
  }

  private JsonNode delete(Request request) {
    Fields payload = request.payload().allow(Set.of("memory_id", "memory_ids", "cascade"));
    List<String> ids = new ArrayList<>();
    if (payload.has("memory_id")) {
      ids.add(payload.requiredText("memory_id"));
    }
    if (payload.has("memory_ids")) {
      ids.addAll(payload.texts("memory_ids"));
    }
    if (ids.isEmpty()) {
      throw Fields.missing("payload.memory_id");
    }
    Boolean cascade = payload.bool("cascade");
    List<String> deleted = store.deleteAll(ids, cascade == null || cascade);
    ObjectNode data = NODES.objectNode();
    data.put("deleted", true);
    data.put("deleted_count", deleted.size());
    ArrayNode array = data.putArray("memory_ids");
    deleted.forEach(array::add);
    return data;
  }

  private static final Set<String> FILTER_FIELDS =
      Set.of(
          "memory_type",
          "memory_types",
          "memory_tier",
          "memory_tiers",
          "time_range",
          "older_than",
          "tags",
          "tags_all",
          "session_id",
          "user_id",
          "agent_id",
          "parent_id",
          "group_id",
          "min_importance",
          "include_expired",
          "limit",
          "offset",
          "sort");

  /** Reads seed 001's filter object (also used by bulk_delete). */
  private static MemoryFilter filter(
      Fields filter, List<String> ids, boolean includeExpiredByDefault) {
    if (filter != null) {
      filter.allow(FILTER_FIELDS);
    }
    return filterOf(filter, ids, includeExpiredByDefault);
  }

  /** Reads the criteria of a filter object whose fields the caller has already checked. */
  private static MemoryFilter filterOf(
      Fields filter, List<String> ids, boolean includeExpiredByDefault) {
    MemoryFilter.Builder builder = MemoryFilter.builder();
    if (ids != null) {
      builder.ids(ids);
    }
    if (filter == null) {
      return builder.includeExpired(includeExpiredByDefault).build();
    }
    List<String> typeNames = new ArrayList<>();
    if (filter.text("memory_type") != null) {
      typeNames.add(filter.text("memory_type"));
    }
    if (filter.texts("memory_types") != null) {
      typeNames.addAll(filter.texts("memory_types"));
    }
    List<String> tierNames = new ArrayList<>();
    if (filter.text("memory_tier") != null) {
      tierNames.add(filter.text("memory_tier"));
    }
    if (filter.texts("memory_tiers") != null) {
      tierNames.addAll(filter.texts("memory_tiers"));
    }
    List<MemoryType> types = new ArrayList<>();
    List<MemoryTier> tiers = new ArrayList<>();
    for (String name : typeNames) {
      var type = MemoryType.fromName(name);
      var tierAsType = MemoryTier.fromName(name);
      if (type.isPresent()) {
        types.add(type.get());
      } else if (tierAsType.isPresent()) {
        tiers.add(tierAsType.get());
      } else {
        throw unknownType(filter.path("memory_type"), name);
      }
    }
    for (String name : tierNames) {
      tiers.add(tier(filter.path("memory_tier"), name));
    }
    builder.types(types).tiers(tiers);
    if (filter.texts("tags") != null) {
      builder.tagsAny(filter.texts("tags"));
    }
    if (filter.texts("tags_all") != null) {
      builder.tagsAll(filter.texts("tags_all"));
    }
    builder
        .sessionId(filter.text("session_id"))
        .userId(filter.text("user_id"))
        .agentId(filter.text("agent_id"))
        .parentId(filter.text("parent_id"));
    Long groupId = filter.longBetween("group_id", 1, Long.MAX_VALUE);
    if (groupId != null) {
      builder.groupId(groupId);
    }
    Fields range = filter.object("time_range");
    if (range != null) {
      range.allow(Set.of("start", "end"));
      builder.createdFrom(range.instant("start")).createdUntil(range.instant("end"));
    }
    Instant olderThan = filter.instant("older_than");
    if (olderThan != null) {
      builder.createdUntil(olderThan.minusMillis(1));
    }
    Double minImportance = filter.number("min_importance");
    if (minImportance != null) {
      builder.minImportance(minImportance);
    }
    Boolean includeExpired = filter.bool("include_expired");
    builder.includeExpired(includeExpired == null ? includeExpiredByDefault : includeExpired);
    return builder.build();
  }

  private static MemorySort sort(Fields sort, String fieldName, String orderName) {
    if (sort == null) {
      return MemorySort.NEWEST_FIRST;
    }
    String field = sort.text(fieldName);
    String order = sort.text(orderName);
    MemorySort.Field sortField =
        field == null
            ? MemorySort.Field.CREATED_AT
            : MemorySort.Field.fromName(field)
                .orElseThrow(
                    () ->
                        new ValidationException(
                            sort.path(fieldName),
                            sort.path(fieldName)
                                + " '"
                                + field
                                + "' cannot be sorted by; use one of "
                                + String.join(
                                    ", ",
                                    Arrays.stream(MemorySort.Field.values())
                                        .map(MemorySort.Field::wireName)
                                        .toList())));
    if (order != null && !order.equalsIgnoreCase("asc") && !order.equalsIgnoreCase("desc")) {
      throw new ValidationException(
          sort.path(orderName), sort.path(orderName) + " must be asc or desc, was '" + order + "'");
    }
    return new MemorySort(
        sortField, order == null || order.toLowerCase(Locale.ROOT).equals("desc"));
  }

  private JsonNode batchRead(Request request) {
    Fields payload = request.payload().allow(Set.of("memory_ids", "filter"));
    List<String> ids = payload.texts("memory_ids");
    Fields filterFields = payload.object("filter");
    if (ids == null && filterFields == null) {
      throw Fields.missing("payload.memory_ids or payload.filter");
    }
    MemoryFilter filter = filter(filterFields, ids, false);
    int defaultLimit = ids == null ? DEFAULT_LIMIT : Math.max(1, Math.min(ids.size(), 10_000));
    int limit =
        filterFields == null
            ? defaultLimit
            : filterFields.intBetween("limit", 1, 10_000, defaultLimit);
    int offset =
        filterFields == null ? 0 : filterFields.intBetween("offset", 0, Page.MAX_OFFSET, 0);
    MemorySort sort =
        filterFields == null
            ? MemorySort.NEWEST_FIRST
            : sort(filterFields.object("sort"), "field", "order");
    if (filterFields != null && filterFields.object("sort") != null) {
      filterFields.object("sort").allow(Set.of("field", "order"));
    }
    return WireFormat.page("memories", store.list(filter, sort, offset, limit), WireFormat::memory);
  }

  private JsonNode bulkDelete(Request request) {
    Fields payload = request.payload().allow(Set.of("filter"));
    Fields filterFields = payload.requiredObject("filter");
    for (String paging : List.of("limit", "offset", "sort")) {
      if (filterFields.has(paging)) {
        throw new InvalidRequestException(
            filterFields.path(paging) + " does not apply to bulk_delete, which deletes every match",
            Map.of("field", filterFields.path(paging)));
      }
    }
    List<String> deleted = store.deleteMatching(filter(filterFields, null, true));
    ObjectNode data = NODES.objectNode();
    data.put("deleted_count", deleted.size());
    ArrayNode array = data.putArray("memory_ids");
    deleted.forEach(array::add);
    return data;
  }

  private JsonNode batchAdd(Request request) {
    Fields payload = request.payload().allow(Set.of("memories"));
    List<Fields> items = payload.objects("memories");
    if (items == null) {
      throw Fields.missing("payload.memories");
    }
    if (items.isEmpty()) {
      throw new ValidationException("payload.memories", "payload.memories must not be empty");
    }
    if (items.size() > MAX_BATCH_MEMORIES) {
      throw new ValidationException(
          "payload.memories",
          "payload.memories has "
              + items.size()
              + " memories, more than the limit of "
              + MAX_BATCH_MEMORIES
              + " per request; send them in several batches");
    }
    List<NewMemory> memories = new ArrayList<>();
    for (Fields item : items) {
      memories.add(newMemory(item.allow(MEMORY_FIELDS), request.sessionId()));
    }
    List<CreateResult> created = store.createAllWithResults(memories);
    ObjectNode data = NODES.objectNode();
    ArrayNode array = data.putArray("memories");
    created.forEach(result -> array.add(created(result)));
    data.put("created_count", created.stream().filter(result -> !result.duplicate()).count());
    data.put("duplicate_count", created.stream().filter(CreateResult::duplicate).count());
    return data;
  }

  private JsonNode batchGet(Request request) {
    Fields payload = request.payload().allow(Set.of("memory_ids"));
    List<String> ids = payload.texts("memory_ids");
    if (ids == null) {
      throw Fields.missing("payload.memory_ids");
    }
    BatchGetResult result = store.getAll(ids);
    ObjectNode data = NODES.objectNode();
    data.set("memories", WireFormat.memories(result.memories()));
    ArrayNode missing = data.putArray("missing_ids");
    result.missingIds().forEach(missing::add);
    return data;
  }

  private JsonNode children(Request request) {
    Fields payload =
        request.payload().allow(Set.of("parent_id", "limit", "offset", "sort_field", "sort_order"));
    Page<Memory> page =
        store.children(
            payload.requiredText("parent_id"),
            sort(payload, "sort_field", "sort_order"),
            payload.intBetween("offset", 0, Page.MAX_OFFSET, 0),
            payload.intBetween("limit", 1, 10_000, DEFAULT_LIMIT));
    return WireFormat.page("memories", page, WireFormat::memory);
  }

  private JsonNode reinforce(Request request) {
    Fields payload = request.payload().allow(Set.of("memory_id", "reinforcement_factor"));
    Double factor = payload.number("reinforcement_factor");
    Memory memory =
        store.reinforce(payload.requiredText("memory_id"), factor == null ? 1.2 : factor);
    ObjectNode data = NODES.objectNode();
    data.put("memory_id", memory.id());
    data.put("importance", memory.importance());
    return data;
  }

  private JsonNode history(Request request) {
    Fields payload = request.payload().allow(Set.of("memory_id"));
    String memoryId = payload.requiredText("memory_id");
    ObjectNode data = NODES.objectNode();
    data.put("memory_id", memoryId);
    ArrayNode entries = data.putArray("history");
    store.history(memoryId).forEach(entry -> entries.add(WireFormat.history(entry)));
    return data;
  }

  // Relationships

  private JsonNode addRelationship(Request request) {
    Fields payload =
        request.payload().allow(Set.of("source_id", "target_id", "relationship_type", "strength"));
    Double strength = payload.number("strength");
    Relationship relationship =
        store.addRelationship(
            payload.requiredText("source_id"),
            payload.requiredText("target_id"),
            payload.requiredText("relationship_type"),
            strength == null ? 1.0 : strength);
    return WireFormat.relationship(relationship);
  }

  private JsonNode related(Request request) {
    Fields payload = request.payload().allow(Set.of("memory_id", "relationship_type"));
    String memoryId = payload.requiredText("memory_id");
    var related = store.relatedMemories(memoryId, payload.text("relationship_type"));
    ObjectNode data = NODES.objectNode();
    data.put("memory_id", memoryId);
    ArrayNode array = data.putArray("related");
    related.forEach(item -> array.add(WireFormat.related(item)));
    data.put("total_count", related.size());
    return data;
  }

  private JsonNode removeRelationship(Request request) {
    Fields payload = request.payload().allow(Set.of("relationship_id"));
    ObjectNode data = NODES.objectNode();
    data.put(
        "removed",
        store.removeRelationship(
            payload.requiredLongBetween("relationship_id", 1, Long.MAX_VALUE)));
    return data;
  }

  // Context groups

  private JsonNode createGroup(Request request) {
    Fields payload = request.payload().allow(Set.of("name", "description"));
    ContextGroup group =
        store.createContextGroup(payload.requiredText("name"), payload.text("description"));
    return WireFormat.group(group);
  }

  private JsonNode listGroups(Request request) {
    request.payload().allow(Set.of());
    ObjectNode data = NODES.objectNode();
    ArrayNode array = data.putArray("groups");
    store.contextGroups().forEach(group -> array.add(WireFormat.group(group)));
    return data;
  }

  private JsonNode addToGroup(Request request) {
    return changeMembership(request, "added", store::addToGroup);
  }

  private JsonNode removeFromGroup(Request request) {
    return changeMembership(request, "removed", store::removeFromGroup);
  }

  private interface MembershipChange {
    boolean apply(long groupId, String memoryId);
  }

  private static JsonNode changeMembership(
      Request request, String outcome, MembershipChange change) {
    Fields payload = request.payload().allow(Set.of("group_id", "memory_id"));
    long groupId = payload.requiredLongBetween("group_id", 1, Long.MAX_VALUE);
    String memoryId = payload.requiredText("memory_id");
    ObjectNode data = NODES.objectNode();
    data.put("group_id", groupId);
    data.put("memory_id", memoryId);
    data.put(outcome, change.apply(groupId, memoryId));
    return data;
  }

  private JsonNode groupMembers(Request request) {
    Fields payload = request.payload().allow(Set.of("group_id", "limit", "offset"));
    long groupId = payload.requiredLongBetween("group_id", 1, Long.MAX_VALUE);
    ObjectNode data =
        WireFormat.page(
            "memories",
            store.groupMembers(
                groupId,
                payload.intBetween("offset", 0, Page.MAX_OFFSET, 0),
                payload.intBetween("limit", 1, 10_000, DEFAULT_LIMIT)),
            WireFormat::memory);
    data.put("group_id", groupId);
    return data;
  }

  // Sessions

  private JsonNode createSession(Request request) {
    Fields payload = request.payload().allow(Set.of("user_id", "session_metadata", "session_type"));
    Map<String, Object> metadata = payload.jsonObject("session_metadata");
    String sessionType = payload.text("session_type");
    if (sessionType == null
        && metadata != null
        && metadata.get("session_type") instanceof String type) {
      sessionType = type;
    }
    Session session =
        store.createSession(
            payload.text("user_id"), sessionType, metadata == null ? Map.of() : metadata);
    return WireFormat.session(session);
  }

  private String sessionIdOf(Request request, Fields payload) {
    String sessionId = payload.text("session_id");
    if (sessionId == null) {
      sessionId = request.sessionId();
    }
    if (sessionId == null) {
      throw Fields.missing("request.session_id");
    }
    return sessionId;
  }

  private JsonNode getSession(Request request) {
    Fields payload = request.payload().allow(Set.of("session_id"));
    return WireFormat.session(store.getSession(sessionIdOf(request, payload)));
  }

  private JsonNode listSessions(Request request) {
    Fields payload = request.payload().allow(Set.of("include_ended", "limit", "offset"));
    Boolean includeEnded = payload.bool("include_ended");
    Page<Session> page =
        store.sessions(
            includeEnded != null && includeEnded,
            payload.intBetween("offset", 0, Page.MAX_OFFSET, 0),
            payload.intBetween("limit", 1, 10_000, DEFAULT_LIMIT));
    return WireFormat.page("sessions", page, WireFormat::session);
  }

  private JsonNode endSession(Request request) {
    Fields payload = request.payload().allow(Set.of("session_id", "summary", "archive"));
    Boolean archive = payload.bool("archive");
    Session session =
        store.endSession(
            sessionIdOf(request, payload), payload.text("summary"), archive != null && archive);
    return WireFormat.session(session);
  }

  // Search

  private static final Set<String> SEARCH_FILTER_FIELDS;

  static {
    Set<String> fields = new TreeSet<>(FILTER_FIELDS);
    fields.removeAll(Set.of("include_expired", "sort", "older_than"));
    fields.add("min_similarity");
    SEARCH_FILTER_FIELDS = Set.copyOf(fields);
  }

  /**
   * Seed 001's contextual search: {@code results} with {@code similarity_score}, and {@code
   * search_metadata}.
   */
  private JsonNode search(Request request) {
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
  private JsonNode searchMultiQuery(Request request) {
    Fields payload =
        request
            .payload()
            .allow(Set.of("queries", "weights", "aggregation_method", "search_type", "filters"));
    List<String> queries = payload.texts("queries");
    if (queries == null) {
      throw Fields.missing("payload.queries");
    }
    List<Double> weights = null;
    JsonNode rawWeights = payload.raw("weights");
    if (rawWeights != null) {
      weights = new ArrayList<>();
      boolean numbers = rawWeights.isArray();
      for (JsonNode weight : rawWeights) {
        numbers &= weight.isNumber();
        weights.add(weight.doubleValue());
      }
      if (!numbers) {
        throw new InvalidRequestException(
            "payload.weights must be an array of numbers", Map.of("field", "payload.weights"));
      }
    }
    String method = payload.text("aggregation_method");
    Aggregation aggregation =
        method == null
            ? Aggregation.WEIGHTED_AVERAGE
            : Aggregation.fromName(method)
                .orElseThrow(
                    () ->
                        new ValidationException(
                            "payload.aggregation_method",
                            "payload.aggregation_method '"
                                + method
                                + "' must be max, mean, weighted_average or reciprocal_rank_fusion (rrf)"));
    SearchQuery template = searchQuery(payload, "(template)").build();
    return WireFormat.searchResult(store.searchMany(queries, weights, aggregation, template));
  }

  /**
   * Seed 003's contextual retrieval: a search whose hits are expanded through links and the
   * hierarchy.
   */
  private JsonNode contextualMemories(Request request) {
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
  private JsonNode recentMemories(Request request) {
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
            MemoryType.fromName(name).orElseThrow(() -> unknownType("payload.memory_types", name)));
      }
      filter.types(types);
    }
    Page<Memory> page =
        store.list(
            filter.build(),
            MemorySort.NEWEST_FIRST,
            payload.intBetween("offset", 0, Page.MAX_OFFSET, 0),
            payload.intBetween("limit", 1, 10_000, DEFAULT_LIMIT));
    return WireFormat.page("memories", page, WireFormat::memory);
  }

  /**
   * Reads what the search actions share: search_type, explain, filters (with limit, offset,
   * min_similarity).
   */
  private static SearchQuery.Builder searchQuery(Fields payload, String text) {
    String modeName = payload.text("search_type");
    SearchMode mode =
        modeName == null
            ? SearchMode.HYBRID
            : SearchMode.fromName(modeName)
                .orElseThrow(
                    () ->
                        new ValidationException(
                            "payload.search_type",
                            "payload.search_type '"
                                + modeName
                                + "' must be semantic, keyword or hybrid"));
    Fields filters = payload.object("filters");
    if (filters != null) {
      filters.allow(SEARCH_FILTER_FIELDS);
    }
    SearchQuery.Builder query =
        SearchQuery.builder(text)
            .mode(mode)
            .filter(filterOf(filters, null, false))
            .explain(payload.has("explain") && Boolean.TRUE.equals(payload.bool("explain")));
    if (filters != null) {
      query
          .limit(filters.intBetween("limit", 1, SearchQuery.MAX_LIMIT, 10))
          .offset(filters.intBetween("offset", 0, Page.MAX_OFFSET, 0));
      Double minSimilarity = filters.number("min_similarity");
      if (minSimilarity != null) {
        query.minSimilarity(minSimilarity);
      }
    }
    return query;
  }

  private JsonNode circuitBreakerStatus(Request request) {
    request.payload().allow(Set.of());
    return WireFormat.circuitBreaker(store.circuitBreaker());
  }

  private JsonNode resetCircuitBreaker(Request request) {
    request.payload().allow(Set.of());
    store.resetCircuitBreaker();
    return WireFormat.circuitBreaker(store.circuitBreaker());
  }

  private JsonNode embedPending(Request request) {
    request.payload().allow(Set.of());
    ObjectNode data = NODES.objectNode();
    data.put("embedded_count", store.embedPending());
    return data;
  }

  private JsonNode stats(Request request) {
    request.payload().allow(Set.of());
    return WireFormat.stats(store.stats());
  }

  // Lifecycle

  private static final Set<String> SUMMARIZE_FIELDS;

  static {
    Set<String> fields = new TreeSet<>(FILTER_FIELDS);
    fields.removeAll(Set.of("limit", "offset", "sort"));
    SUMMARIZE_FIELDS = Set.copyOf(fields);
  }

  /**
   * Seed 001's summarize: the payload's criteria (memory_type, time_range, ...) select what is
   * summarized; the envelope's session applies when the payload names none.
   */
  private JsonNode summarize(Request request) {
    Fields payload = request.payload().allow(SUMMARIZE_FIELDS);
    MemoryFilter filter = filterOf(payload, null, false);
    if (filter.sessionId() == null && request.sessionId() != null) {
      filter = withSession(filter, request.sessionId());
    }
    if (filter.sessionId() != null) {
      store.getSession(filter.sessionId());
    }
    return WireFormat.summary(store.summarize(filter));
  }

  private static MemoryFilter withSession(MemoryFilter filter, String sessionId) {
    return new MemoryFilter(
        filter.ids(),
        filter.types(),
        filter.tiers(),
        filter.tagsAny(),
        filter.tagsAll(),
        sessionId,
        filter.userId(),
        filter.agentId(),
        filter.parentId(),
        filter.groupId(),
        filter.createdFrom(),
        filter.createdUntil(),
        filter.minImportance(),
        filter.includeExpired(),
        filter.includeArchived());
  }

  private JsonNode consolidate(Request request) {
    Fields payload =
        request.payload().allow(Set.of("time_window_hours", "similarity_threshold", "dry_run"));
    Long hours = payload.longBetween("time_window_hours", 1, MAX_WINDOW_HOURS);
    Boolean dryRun = payload.bool("dry_run");
    ConsolidationReport report =
        store.consolidate(
            hours == null ? null : Duration.ofHours(hours),
            payload.number("similarity_threshold"),
            dryRun != null && dryRun);
    return WireFormat.consolidation(report);
  }

  /** Seed 003's cleanup_old_memories(max_age_days, min_importance, max_access_count). */
  private JsonNode prune(Request request) {
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
    Boolean dryRun = payload.bool("dry_run");
    List<String> ids =
        store.cleanup(
            MemoryFilter.all(),
            Duration.ofDays(days),
            minImportance == null ? 0.3 : minImportance,
            maxAccessCount == null ? 1L : maxAccessCount,
            dryRun != null && dryRun);
    ObjectNode data = NODES.objectNode();
    data.put("dry_run", dryRun != null && dryRun);
    data.put("deleted_count", ids.size());
    ArrayNode array = data.putArray("memory_ids");
    ids.forEach(array::add);
    return data;
  }

  private JsonNode runMaintenance(Request request) {
    request.payload().allow(Set.of());
    return WireFormat.maintenance(store.runMaintenance());
  }

  private JsonNode health(Request request) {
    request.payload().allow(Set.of());
    return WireFormat.health(store.health());
  }

  private JsonNode optimize(Request request) {
    Fields payload = request.payload().allow(Set.of("vacuum"));
    Boolean vacuum = payload.bool("vacuum");
    return WireFormat.optimize(store.optimize(vacuum != null && vacuum));
  }

  private JsonNode conversationContext(Request request) {
    Fields payload = request.payload().allow(Set.of("session_id", "limit"));
    List<Memory> memories =
        store.conversationContext(
            sessionIdOf(request, payload), payload.intBetween("limit", 1, 10_000, DEFAULT_LIMIT));
    ObjectNode data = NODES.objectNode();
    data.set("memories", WireFormat.memories(memories));
    return data;
  }

  private JsonNode contextPack(Request request) {
    Fields payload = request.payload().allow(Set.of("session_id", "query", "token_budget"));
    String sessionId = payload.text("session_id");
    if (sessionId == null) {
      sessionId = request.sessionId();
    }
    long budget = payload.requiredLongBetween("token_budget", 1, Integer.MAX_VALUE);
    ContextPack pack = store.contextPack(sessionId, payload.text("query"), (int) budget);
    ObjectNode data = NODES.objectNode();
    data.put("text", pack.text());
    data.put("estimated_tokens", pack.estimatedTokens());
    data.set("recent", WireFormat.memories(pack.recent()));
    ArrayNode relevant = data.putArray("relevant");
    for (SearchHit hit : pack.relevant()) {
      ObjectNode node = WireFormat.memory(hit.memory());
      node.put("score", hit.score());
      relevant.add(node);
    }
    return data;
  }

  private JsonNode learn(Request request) {
    Fields payload =
        request
            .payload()
            .allow(Set.of("user_input", "assistant_response", "feedback", "session_id"));
    String sessionId = payload.text("session_id");
    if (sessionId == null) {
      sessionId = request.sessionId();
    }
    String userInput = payload.text("user_input");
    if (userInput == null) {
      throw Fields.missing("payload.user_input");
    }
    LearnedInteraction learned =
        store.learnFromInteraction(
            userInput, payload.text("assistant_response"), sessionId, payload.number("feedback"));
    ObjectNode data = NODES.objectNode();
    data.set("exchange", WireFormat.memory(learned.exchange()));
    data.set("facts", WireFormat.memories(learned.facts()));
    return data;
  }
}
