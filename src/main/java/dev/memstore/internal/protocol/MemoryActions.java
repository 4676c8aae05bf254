package dev.memstore.internal.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memstore.BatchGetResult;
import dev.memstore.CreateResult;
import dev.memstore.InvalidRequestException;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.Page;
import dev.memstore.ValidationException;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.json.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The actions on memories themselves: create, read, update, delete, in ones and in batches. */
final class MemoryActions {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The most memories one batch_add_memories may create; each is embedded before the answer. */
  static final int MAX_BATCH_MEMORIES = 1000;

  private final MemoryStore store;

  MemoryActions(MemoryStore store) {
    this.store = store;
  }

  JsonNode create(Request request) {
    NewMemory memory =
        PayloadDecoder.newMemory(
            request.payload().allow(PayloadDecoder.MEMORY_FIELDS), request.sessionId());
    return created(store.createAllWithResults(List.of(memory)).get(0));
  }

  /** A created memory's id and time, and whether it was an existing duplicate, reinforced. */
  private static ObjectNode created(CreateResult result) {
    ObjectNode data = NODES.objectNode();
    data.put("memory_id", result.memory().id());
    data.put("created_at", Json.formatInstant(result.memory().createdAt()));
    data.put("duplicate", result.duplicate());
    return data;
  }

  JsonNode read(Request request) {
    Fields payload = request.payload().allow(Set.of("memory_id"));
    return WireFormat.memory(store.get(payload.requiredText("memory_id")));
  }

  JsonNode update(Request request) {
    Fields payload = request.payload().allow(PayloadDecoder.UPDATE_FIELDS);
    String memoryId = payload.requiredText("memory_id");
    Memory memory = store.update(memoryId, PayloadDecoder.memoryUpdate(payload));
    ObjectNode data = NODES.objectNode();
    data.put("memory_id", memory.id());
    data.put("updated_at", Json.formatInstant(memory.updatedAt()));
    data.put("expires_at", Json.formatInstant(memory.expiresAt()));
    return data;
  }

  JsonNode delete(Request request) {
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
    putDeleted(data, deleted);
    return data;
  }

  /** Puts {@code deleted_count} and {@code memory_ids}, as delete, bulk_delete and prune answer. */
  static void putDeleted(ObjectNode data, List<String> ids) {
    data.put("deleted_count", ids.size());
    ArrayNode array = data.putArray("memory_ids");
    ids.forEach(array::add);
  }

  JsonNode batchRead(Request request) {
    Fields payload = request.payload().allow(Set.of("memory_ids", "filter"));
    List<String> ids = payload.texts("memory_ids");
    Fields filterFields = payload.object("filter");
    if (ids == null && filterFields == null) {
      throw Fields.missing("payload.memory_ids or payload.filter");
    }
    MemoryFilter filter = PayloadDecoder.filter(filterFields, ids, false);
    int defaultLimit =
        ids == null ? PayloadDecoder.DEFAULT_LIMIT : Math.max(1, Math.min(ids.size(), 10_000));
    int limit =
        filterFields == null ? defaultLimit : PayloadDecoder.limit(filterFields, defaultLimit);
    int offset = filterFields == null ? 0 : PayloadDecoder.offset(filterFields);
    MemorySort sort =
        filterFields == null
            ? MemorySort.NEWEST_FIRST
            : PayloadDecoder.sort(filterFields.object("sort"), "field", "order");
    if (filterFields != null && filterFields.object("sort") != null) {
      filterFields.object("sort").allow(Set.of("field", "order"));
    }
    return WireFormat.page("memories", store.list(filter, sort, offset, limit), WireFormat::memory);
  }

  JsonNode bulkDelete(Request request) {
    Fields payload = request.payload().allow(Set.of("filter"));
    Fields filterFields = payload.requiredObject("filter");
    for (String paging : List.of("limit", "offset", "sort")) {
      if (filterFields.has(paging)) {
        throw new InvalidRequestException(
            filterFields.path(paging) + " does not apply to bulk_delete, which deletes every match",
            Map.of("field", filterFields.path(paging)));
      }
    }
    List<String> deleted = store.deleteMatching(PayloadDecoder.filter(filterFields, null, true));
    ObjectNode data = NODES.objectNode();
    putDeleted(data, deleted);
    return data;
  }

  JsonNode batchAdd(Request request) {
    Fields payload = request.payload().allow(Set.of("memories"));
    List<Fields> items = payload.requiredObjects("memories");
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
      memories.add(
          PayloadDecoder.newMemory(item.allow(PayloadDecoder.MEMORY_FIELDS), request.sessionId()));
    }
    List<CreateResult> created = store.createAllWithResults(memories);
    ObjectNode data = NODES.objectNode();
    ArrayNode array = data.putArray("memories");
    created.forEach(result -> array.add(created(result)));
    data.put("created_count", created.stream().filter(result -> !result.duplicate()).count());
    data.put("duplicate_count", created.stream().filter(CreateResult::duplicate).count());
    return data;
  }

  JsonNode batchGet(Request request) {
    Fields payload = request.payload().allow(Set.of("memory_ids"));
    List<String> ids = payload.requiredTexts("memory_ids");
    BatchGetResult result = store.getAll(ids);
    ObjectNode data = NODES.objectNode();
    data.set("memories", WireFormat.memories(result.memories()));
    ArrayNode missing = data.putArray("missing_ids");
    result.missingIds().forEach(missing::add);
    return data;
  }

  JsonNode children(Request request) {
    Fields payload =
        request.payload().allow(Set.of("parent_id", "limit", "offset", "sort_field", "sort_order"));
    Page<Memory> page =
        store.children(
            payload.requiredText("parent_id"),
            PayloadDecoder.sort(payload, "sort_field", "sort_order"),
            PayloadDecoder.offset(payload),
            PayloadDecoder.limit(payload));
    return WireFormat.page("memories", page, WireFormat::memory);
  }

  JsonNode reinforce(Request request) {
    Fields payload = request.payload().allow(Set.of("memory_id", "reinforcement_factor"));
    Double factor = payload.number("reinforcement_factor");
    Memory memory =
        store.reinforce(payload.requiredText("memory_id"), factor == null ? 1.2 : factor);
    ObjectNode data = NODES.objectNode();
    data.put("memory_id", memory.id());
    data.put("importance", memory.importance());
    return data;
  }

  /** Makes a superseded fact current again; answers the restored memory. */
  JsonNode restoreFact(Request request) {
    Fields payload = request.payload().allow(Set.of("memory_id"));
    return WireFormat.memory(store.lifecycle().restoreFact(payload.requiredText("memory_id")));
  }

  JsonNode history(Request request) {
    Fields payload = request.payload().allow(Set.of("memory_id"));
    String memoryId = payload.requiredText("memory_id");
    ObjectNode data = NODES.objectNode();
    data.put("memory_id", memoryId);
    ArrayNode entries = data.putArray("history");
    store.history(memoryId).forEach(entry -> entries.add(WireFormat.history(entry)));
    return data;
  }
}
