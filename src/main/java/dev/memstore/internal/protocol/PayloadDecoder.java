package dev.memstore.internal.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memstore.InvalidRequestException;
import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.MemoryUpdate;
import dev.memstore.NewMemory;
import dev.memstore.Page;
import dev.memstore.ValidationException;
import dev.memstore.internal.json.MetadataFilterJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the API's values (new memories, updates, filters, sorts, paging) out of payloads that
 * several actions share, so each shape is decoded, checked and named in errors one way only.
 */
final class PayloadDecoder {
  /** The page size when a request names none. */
  static final int DEFAULT_LIMIT = 50;

  /** The largest page one request may ask for. */
  private static final int MAX_LIMIT = 10_000;

  /** The longest time to live, in seconds: 100 years, as the store allows. */
  static final long MAX_TTL_SECONDS = 100L * 365 * 24 * 3600;

  /** The fields of a memory to create (create, and each of batch_add_memories). */
  static final Set<String> MEMORY_FIELDS =
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
          "pinned",
          "sensitive",
          "fact_key",
          "valid_from");

  /** An update names its memory and cannot move it to another session. */
  static final Set<String> UPDATE_FIELDS;

  /** The fields of seed 001's filter object. */
  static final Set<String> FILTER_FIELDS =
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
          "metadata",
          "min_importance",
          "include_expired",
          "as_of",
          "include_superseded",
          "limit",
          "offset",
          "sort");

  static {
    Set<String> fields = new TreeSet<>(MEMORY_FIELDS);
    fields.remove("session_id");
    // A fact keeps its key and start: a new value is a new memory, which supersedes it.
    fields.removeAll(Set.of("fact_key", "valid_from"));
    fields.add("memory_id");
    UPDATE_FIELDS = Set.copyOf(fields);
  }

  private PayloadDecoder() {}

  /** Reads {@code offset}: 0 when absent. */
  static int offset(Fields fields) {
    return fields.intBetween("offset", 0, Page.MAX_OFFSET, 0);
  }

  /** Reads {@code limit}: {@link #DEFAULT_LIMIT} when absent. */
  static int limit(Fields fields) {
    return limit(fields, DEFAULT_LIMIT);
  }

  static int limit(Fields fields, int defaultLimit) {
    return fields.intBetween("limit", 1, MAX_LIMIT, defaultLimit);
  }

  /**
   * Reads a memory to create, whose fields the caller has checked; the envelope's session is the
   * memory's unless the payload names one.
   */
  static NewMemory newMemory(Fields payload, String envelopeSessionId) {
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
    Boolean sensitive = payload.bool("sensitive");
    if (sensitive != null) {
      builder.sensitive(sensitive);
    }
    builder.factKey(payload.text("fact_key")).validFrom(payload.instant("valid_from"));
    return builder.build();
  }

  /**
   * Reads the changes of an update, whose fields the caller has checked: a field that is present
   * changes (an explicit null clears it where that is allowed), an absent one stays.
   */
  static MemoryUpdate memoryUpdate(Fields payload) {
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
    Boolean sensitive = payload.bool("sensitive");
    if (sensitive != null) {
      update.sensitive(sensitive);
    }
    return update.build();
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
      return besideContent(null, payload);
    }
    if (raw.isTextual()) {
      return besideContent(raw.textValue(), payload);
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
    return besideContent(text, content);
  }

  /** The text with the source agent and metadata read from the given object. */
  private static Content besideContent(String text, Fields fields) {
    return new Content(
        text,
        fields.text("source_agent"),
        fields.jsonObject("metadata"),
        fields.has("source_agent"),
        fields.has("metadata"));
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

  static ValidationException unknownType(String path, String name) {
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

  /** Reads seed 001's filter object (batch_read and bulk_delete), refusing unknown fields. */
  static MemoryFilter filter(Fields filter, List<String> ids, boolean includeExpiredByDefault) {
    if (filter != null) {
      filter.allow(FILTER_FIELDS);
    }
    return filterOf(filter, ids, includeExpiredByDefault);
  }

  /** Reads the criteria of a filter object whose fields the caller has already checked. */
  static MemoryFilter filterOf(Fields filter, List<String> ids, boolean includeExpiredByDefault) {
    MemoryFilter.Builder builder = MemoryFilter.builder();
    if (ids != null) {
      builder.ids(ids);
    }
    if (filter == null) {
      return builder.includeExpired(includeExpiredByDefault).build();
    }
    List<String> typeNames = oneAndMany(filter, "memory_type", "memory_types");
    List<String> tierNames = oneAndMany(filter, "memory_tier", "memory_tiers");
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
    builder.metadata(MetadataFilterJson.read(filter.raw("metadata"), filter.path("metadata")));
    Boolean includeExpired = filter.bool("include_expired");
    builder.includeExpired(includeExpired == null ? includeExpiredByDefault : includeExpired);
    builder
        .asOf(filter.instant("as_of"))
        .includeSuperseded(filter.bool("include_superseded", false));
    return builder.build();
  }

  /** The names a filter gives in its one-name field, then those in its list field. */
  private static List<String> oneAndMany(Fields filter, String one, String many) {
    List<String> names = new ArrayList<>();
    if (filter.text(one) != null) {
      names.add(filter.text(one));
    }
    if (filter.texts(many) != null) {
      names.addAll(filter.texts(many));
    }
    return names;
  }

  /** Reads a sort from two fields of the given object: newest first when it is absent. */
  static MemorySort sort(Fields sort, String fieldName, String orderName) {
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
}
