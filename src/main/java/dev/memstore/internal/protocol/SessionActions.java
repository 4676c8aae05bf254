package dev.memstore.internal.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.Page;
import dev.memstore.Session;
import dev.memstore.internal.json.WireFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The session actions: create, read, list and end sessions, and a session's conversation. */
final class SessionActions {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final MemoryStore store;

  SessionActions(MemoryStore store) {
    this.store = store;
  }

  JsonNode createSession(Request request) {
    Fields payload = request.payload().allow(Set.of("user_id", "session_metadata", "session_type"));
    Map<String, Object> metadata = payload.jsonObject("session_metadata");
    String sessionType = payload.text("session_type");
    if (sessionType == null
        && metadata != null
        && metadata.get("session_type") instanceof String type) {
      sessionType = type;
    }
    Session session =
        store
            .sessions()
            .create(payload.text("user_id"), sessionType, metadata == null ? Map.of() : metadata);
    return WireFormat.session(session);
  }

  JsonNode getSession(Request request) {
    request.payload().allow(Set.of("session_id"));
    return WireFormat.session(store.sessions().get(request.requiredSessionId()));
  }

  JsonNode listSessions(Request request) {
    Fields payload = request.payload().allow(Set.of("include_ended", "limit", "offset"));
    Page<Session> page =
        store
            .sessions()
            .list(
                payload.bool("include_ended", false),
                PayloadDecoder.offset(payload),
                PayloadDecoder.limit(payload));
    return WireFormat.page("sessions", page, WireFormat::session);
  }

  JsonNode endSession(Request request) {
    Fields payload = request.payload().allow(Set.of("session_id", "summary", "archive"));
    boolean archive = payload.bool("archive", false);
    Session session =
        store.sessions().end(request.requiredSessionId(), payload.text("summary"), archive);
    return WireFormat.session(session);
  }

  JsonNode conversationContext(Request request) {
    Fields payload = request.payload().allow(Set.of("session_id", "limit"));
    List<Memory> memories =
        store
            .sessions()
            .conversationContext(request.requiredSessionId(), PayloadDecoder.limit(payload));
    ObjectNode data = NODES.objectNode();
    data.set("memories", WireFormat.memories(memories));
    return data;
  }
}
