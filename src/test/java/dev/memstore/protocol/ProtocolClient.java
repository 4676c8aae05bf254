package dev.memstore.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memstore.MemoryProtocol;
import dev.memstore.MemoryStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Talks to a store through {@link MemoryProtocol#handle} only, and checks every response against
 * the seed's envelope.
 */
final class ProtocolClient {
  static final ObjectMapper JSON = new ObjectMapper();

  /** ISO-8601 UTC with milliseconds, as seed 001 writes every timestamp. */
  static final Pattern TIMESTAMP =
      Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

  private static final Set<String> SUCCESS_ENVELOPE =
      Set.of("status", "action", "request_id", "data", "timestamp");
  private static final Set<String> ERROR_ENVELOPE =
      Set.of("status", "action", "request_id", "error", "timestamp");

  private final MemoryStore store;
  private final MemoryProtocol protocol;
  private int requests;

  ProtocolClient(MemoryStore store) {
    this.store = store;
    this.protocol = MemoryProtocol.over(store);
  }

  MemoryStore store() {
    return store;
  }

  /** Sends raw request text and returns the parsed response, checking its envelope. */
  ObjectNode sendRaw(String request) {
    String response = protocol.handle(request);
    ObjectNode parsed = (ObjectNode) parse(response);
    assertEnvelope(parsed);
    return parsed;
  }

  /** Sends a request and returns the parsed response, checking that it echoes the request. */
  ObjectNode send(JsonNode request) {
    ObjectNode response = sendRaw(write(request));
    JsonNode requestId = request.get("request_id");
    assertEquals(
        requestId == null ? JSON.nullNode() : requestId,
        response.get("request_id"),
        "request_id echoed");
    if (request.path("action").isTextual()) {
      assertEquals(request.get("action").textValue(), response.path("action").textValue());
    }
    return response;
  }

  /** Returns an envelope for an action, with a fresh request id and the current time. */
  ObjectNode request(String action, JsonNode payload) {
    ObjectNode request = JSON.createObjectNode();
    request.put("action", action);
    if (payload != null) {
      request.set("payload", payload);
    }
    request.put("request_id", "req-" + ++requests);
    request.put("timestamp", Instant.now().toString());
    return request;
  }

  /** Sends an action that must succeed and returns its data. */
  JsonNode ok(String action, JsonNode payload) {
    return ok(request(action, payload));
  }

  /** Sends a request that must succeed and returns its data. */
  JsonNode ok(JsonNode request) {
    ObjectNode response = send(request);
    assertEquals(
        "success", response.path("status").textValue(), () -> "expected success: " + response);
    return response.get("data");
  }

  /** Sends raw request text that must fail without changing anything; returns its error. */
  JsonNode rejects(String request, String expectedCode) {
    return rejected(request, null, expectedCode);
  }

  /** Sends a request that must fail without changing anything; returns its error. */
  JsonNode rejects(JsonNode request, String expectedCode) {
    return rejected(write(request), request, expectedCode);
  }

  /** Sends an action that must fail without changing anything; returns its error. */
  JsonNode rejects(String action, JsonNode payload, String expectedCode) {
    return rejects(request(action, payload), expectedCode);
  }

  private JsonNode rejected(String raw, JsonNode request, String expectedCode) {
    Snapshot before = snapshot();
    ObjectNode response = request == null ? sendRaw(raw) : send(request);
    assertEquals("error", response.path("status").textValue(), () -> "expected error: " + response);
    JsonNode error = response.get("error");
    assertEquals(expectedCode, error.path("code").textValue(), () -> "error code of " + response);
    assertTrue(error.path("message").isTextual(), "error.message is a string");
    assertTrue(error.path("details").isObject(), "error.details is an object");
    assertEquals(before, snapshot(), "a failed request changes nothing");
    return error;
  }

  /** Creates a memory from a payload and returns its id. */
  String create(JsonNode payload) {
    return ok("create", payload).get("memory_id").textValue();
  }

  /** Creates a memory of the given text and returns its id. */
  String create(String text) {
    return create(object("content", text));
  }

  JsonNode read(String memoryId) {
    return ok("read", object("memory_id", memoryId));
  }

  /** Returns every live memory, oldest first, through batch_read. */
  JsonNode listAll() {
    ObjectNode filter = JSON.createObjectNode();
    filter.put("limit", 10_000);
    filter.putObject("sort").put("field", "created_at").put("order", "asc");
    return ok("batch_read", JSON.createObjectNode().set("filter", filter));
  }

  /** What a failed request must not change: counts from stats and every memory as listed. */
  record Snapshot(
      long totalMemories,
      long listedMemories,
      long sessions,
      long relationships,
      long contextGroups,
      JsonNode memories) {}

  Snapshot snapshot() {
    JsonNode stats = ok("stats", null);
    JsonNode all = listAll();
    return new Snapshot(
        stats.get("total_memories").longValue(),
        all.get("total_count").longValue(),
        stats.get("sessions").longValue(),
        stats.get("relationships").longValue(),
        stats.get("context_groups").longValue(),
        all.get("memories"));
  }

  /** Returns an object of alternating names and values (strings, numbers, booleans, nodes). */
  static ObjectNode object(Object... namesAndValues) {
    ObjectNode node = JSON.createObjectNode();
    for (int index = 0; index < namesAndValues.length; index += 2) {
      node.set((String) namesAndValues[index], JSON.valueToTree(namesAndValues[index + 1]));
    }
    return node;
  }

  static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(element -> texts.add(element.textValue()));
    return texts;
  }

  /** Returns the {@code memory_id} of each memory of an array, in order. */
  static List<String> memoryIds(JsonNode memories) {
    List<String> ids = new ArrayList<>();
    memories.forEach(memory -> ids.add(memory.get("memory_id").textValue()));
    return ids;
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  /** Reads a test resource of this package as JSON. */
  static ObjectNode resource(String name) {
    try (InputStream in = ProtocolClient.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new AssertionError("missing test resource " + name);
      }
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Checks the seed's envelope: exactly its fields, and the timestamp format. */
  static void assertEnvelope(ObjectNode response) {
    Set<String> fields = new java.util.TreeSet<>();
    response.fieldNames().forEachRemaining(fields::add);
    String status = response.path("status").asText();
    assertTrue(status.equals("success") || status.equals("error"), () -> "status of " + response);
    assertEquals(
        new java.util.TreeSet<>(status.equals("success") ? SUCCESS_ENVELOPE : ERROR_ENVELOPE),
        fields,
        () -> "envelope fields of " + response);
    String timestamp = response.path("timestamp").asText();
    assertTrue(TIMESTAMP.matcher(timestamp).matches(), () -> "timestamp " + timestamp);
    Instant.parse(timestamp);
  }
}
