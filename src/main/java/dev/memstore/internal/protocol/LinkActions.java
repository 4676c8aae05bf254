package dev.memstore.internal.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memstore.ContextGroup;
import dev.memstore.MemoryStore;
import dev.memstore.Relationship;
import dev.memstore.internal.json.WireFormat;
import java.util.Set;

/** The actions that tie memories together: relationships between two, and context groups. */
final class LinkActions {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final MemoryStore store;

  LinkActions(MemoryStore store) {
    this.store = store;
  }

  // Relationships

  JsonNode addRelationship(Request request) {
    Fields payload =
        request.payload().allow(Set.of("source_id", "target_id", "relationship_type", "strength"));
    Double strength = payload.number("strength");
    Relationship relationship =
        store
            .links()
            .add(
                payload.requiredText("source_id"),
                payload.requiredText("target_id"),
                payload.requiredText("relationship_type"),
                strength == null ? 1.0 : strength);
    return WireFormat.relationship(relationship);
  }

  JsonNode related(Request request) {
    Fields payload = request.payload().allow(Set.of("memory_id", "relationship_type"));
    String memoryId = payload.requiredText("memory_id");
    var related = store.links().related(memoryId, payload.text("relationship_type"));
    ObjectNode data = NODES.objectNode();
    data.put("memory_id", memoryId);
    ArrayNode array = data.putArray("related");
    related.forEach(item -> array.add(WireFormat.related(item)));
    data.put("total_count", related.size());
    return data;
  }

  JsonNode removeRelationship(Request request) {
    Fields payload = request.payload().allow(Set.of("relationship_id"));
    ObjectNode data = NODES.objectNode();
    data.put(
        "removed",
        store.links().remove(payload.requiredLongBetween("relationship_id", 1, Long.MAX_VALUE)));
    return data;
  }

  // Context groups

  JsonNode createGroup(Request request) {
    Fields payload = request.payload().allow(Set.of("name", "description"));
    ContextGroup group =
        store.groups().create(payload.requiredText("name"), payload.text("description"));
    return WireFormat.group(group);
  }

  JsonNode listGroups(Request request) {
    request.payload().allow(Set.of());
    ObjectNode data = NODES.objectNode();
    ArrayNode array = data.putArray("groups");
    store.groups().list().forEach(group -> array.add(WireFormat.group(group)));
    return data;
  }

  JsonNode addToGroup(Request request) {
    return changeMembership(request, "added", store.groups()::add);
  }

  JsonNode removeFromGroup(Request request) {
    return changeMembership(request, "removed", store.groups()::remove);
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

  JsonNode groupMembers(Request request) {
    Fields payload = request.payload().allow(Set.of("group_id", "limit", "offset"));
    long groupId = payload.requiredLongBetween("group_id", 1, Long.MAX_VALUE);
    ObjectNode data =
        WireFormat.page(
            "memories",
            store
                .groups()
                .members(groupId, PayloadDecoder.offset(payload), PayloadDecoder.limit(payload)),
            WireFormat::memory);
    data.put("group_id", groupId);
    return data;
  }
}
