package dev.memstore.protocol;

import static dev.memstore.protocol.ProtocolClient.object;
import static dev.memstore.protocol.ProtocolClient.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memstore.MemoryStore;
import dev.memstore.testing.MemoryStoreExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every bad request is answered with the seed's error envelope and code, a message naming the
 * field, and no change to the store: {@link ProtocolClient#rejects} compares the stats and every
 * memory before and after.
 */
class ProtocolErrorsTest {
  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withBundledModel().onSystemClock();

  private final ProtocolClient client = new ProtocolClient(stores.store());
  private String existing;

  @BeforeEach
  void open() {
    existing = client.create(object("content", "already here", "tags", List.of("a")));
    client.create("also here");
  }

  @Test
  void handle_malformedJson_invalidRequest() {
    JsonNode error = client.rejects("{\"action\": \"create\", \"payload\": {", "invalid_request");

    assertTrue(error.get("message").textValue().contains("not valid JSON"), error::toString);
  }

  @Test
  void handle_trailingGarbage_invalidRequest() {
    JsonNode error = client.rejects("{\"action\": \"stats\"} {}", "invalid_request");

    assertTrue(error.get("message").textValue().contains("not valid JSON"), error::toString);
  }

  @Test
  void handle_jsonArray_invalidRequest() {
    JsonNode error = client.rejects("[{\"action\": \"stats\"}]", "invalid_request");

    assertTrue(error.get("message").textValue().contains("JSON object"), error::toString);
  }

  @Test
  void handle_unknownAction_invalidRequestNamingIt() {
    JsonNode error = client.rejects("frobnicate", object(), "invalid_request");

    assertTrue(error.get("message").textValue().contains("'frobnicate'"), error::toString);
    assertEquals("frobnicate", error.at("/details/action").textValue());
  }

  @Test
  void handle_missingAction_invalidRequestNamingIt() {
    ObjectNode request = client.request("create", object("content", "x"));
    request.remove("action");

    JsonNode error = client.rejects(request, "invalid_request");

    assertNamesField(error, "request.action");
  }

  @Test
  void handle_unknownEnvelopeField_invalidRequestNamingIt() {
    ObjectNode request = client.request("stats", null);
    request.put("sesion_id", "session-1");

    JsonNode error = client.rejects(request, "invalid_request");

    assertNamesField(error, "request.sesion_id");
  }

  @Test
  void handle_requestIdNotString_invalidRequestNamingIt() {
    JsonNode error =
        client.rejects(
            "{\"action\": \"stats\", \"request_id\": 42, \"payload\": {}}", "invalid_request");

    assertNamesField(error, "request.request_id");
  }

  @Test
  void handle_malformedTimestamp_validationErrorNamingIt() {
    ObjectNode request = client.request("create", object("content", "x"));
    request.put("timestamp", "15/06/2023 08:30");

    JsonNode error = client.rejects(request, "validation_error");

    assertNamesField(error, "request.timestamp");
  }

  @Test
  void read_missingMemoryId_invalidRequestNamingIt() {
    JsonNode error = client.rejects("read", object(), "invalid_request");

    assertNamesField(error, "payload.memory_id");
  }

  @Test
  void read_missingPayload_invalidRequestNamingMemoryId() {
    JsonNode error = client.rejects("read", null, "invalid_request");

    assertNamesField(error, "payload.memory_id");
  }

  @Test
  void create_unknownPayloadField_invalidRequestNamingIt() {
    JsonNode error =
        client.rejects("create", object("content", "x", "importance_scor", 0.9), "invalid_request");

    assertNamesField(error, "payload.importance_scor");
  }

  @Test
  void create_priorityOfWrongKind_invalidRequestNamingIt() {
    JsonNode error =
        client.rejects("create", object("content", "x", "priority", "high"), "invalid_request");

    assertNamesField(error, "payload.priority");
  }

  @Test
  void create_importanceAboveOne_validationErrorNamingIt() {
    JsonNode error =
        client.rejects("create", object("content", "x", "importance", 1.5), "validation_error");

    assertNamesField(error, "importance");
  }

  @Test
  void create_unknownMemoryType_validationErrorNamingIt() {
    JsonNode error =
        client.rejects(
            "create", object("content", "x", "memory_type", "bogus"), "validation_error");

    assertNamesField(error, "payload.memory_type");
    assertTrue(error.get("message").textValue().contains("'bogus'"), error::toString);
  }

  @Test
  void create_negativeTtl_validationErrorNamingIt() {
    JsonNode error =
        client.rejects("create", object("content", "x", "ttl", -60), "validation_error");

    assertNamesField(error, "payload.ttl");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void create_emptyContentText_validationErrorNamingContent(String text) {
    JsonNode error =
        client.rejects("create", object("content", Map.of("text", text)), "validation_error");

    assertNamesField(error, "content");
  }

  @Test
  void create_contentOverLimit_validationErrorNamingContent() {
    try (MemoryStore small =
        stores.open(stores.file("small.db"), builder -> builder.maxContentBytes(100))) {
      ProtocolClient smallClient = new ProtocolClient(small);
      smallClient.create("x".repeat(100));

      JsonNode error =
          smallClient.rejects("create", object("content", "x".repeat(101)), "validation_error");

      assertNamesField(error, "content");
      assertTrue(error.get("message").textValue().contains("100"), error::toString);
    }
  }

  @Test
  void create_unknownSession_sessionNotFound() {
    ObjectNode request = client.request("create", object("content", "x"));
    request.put("session_id", "session-doesnotexist");

    JsonNode error = client.rejects(request, "session_not_found");

    assertEquals("session-doesnotexist", error.at("/details/session_id").textValue());
    assertTrue(error.get("message").textValue().contains("session-doesnotexist"));
  }

  @Test
  void read_malformedMemoryId_validationErrorNamingIt() {
    JsonNode error = client.rejects("read", object("memory_id", "not an id"), "validation_error");

    assertNamesField(error, "memory_id");
  }

  @Test
  void read_wellFormedUnknownId_memoryNotFound() {
    JsonNode error =
        client.rejects("read", object("memory_id", "mem-56789012"), "memory_not_found");

    assertEquals("mem-56789012", error.at("/details/memory_id").textValue());
    assertTrue(error.get("message").textValue().contains("mem-56789012"));
  }

  @Test
  void update_importanceAboveOne_changesNothing() {
    JsonNode error =
        client.rejects(
            "update",
            object("memory_id", existing, "content", "changed", "importance", 1.5),
            "validation_error");

    assertNamesField(error, "importance");
  }

  @Test
  void search_unknownSearchType_validationErrorNamingIt() {
    JsonNode error =
        client.rejects(
            "search", object("query", "weather", "search_type", "fuzzy"), "validation_error");

    assertNamesField(error, "payload.search_type");
  }

  @Test
  void search_includeExpiredFilter_refused() {
    JsonNode error =
        client.rejects(
            "search",
            object("query", "weather", "filters", Map.of("include_expired", true)),
            "invalid_request");

    assertNamesField(error, "payload.filters.include_expired");
  }

  @Test
  void summarize_seedExampleOfAnUnknownSession_sessionNotFound() {
    ObjectNode request = resource("seed001/summarize_request.json");

    JsonNode error = client.rejects(request, "session_not_found");

    assertTrue(error.get("message").textValue().contains("session-123456"));
  }

  @Test
  void batchAddMemories_thirdItemOutOfRange_createsNone() {
    JsonNode error =
        client.rejects(
            "batch_add_memories",
            object(
                "memories",
                List.of(
                    Map.of("content", "first"),
                    Map.of("content", "second"),
                    Map.of("content", "third", "importance", 1.5),
                    Map.of("content", "fourth"))),
            "validation_error");

    assertNamesField(error, "memories[2].importance");
  }

  @Test
  void batchAddMemories_thirdItemUnknownType_createsNone() {
    JsonNode error =
        client.rejects(
            "batch_add_memories",
            object(
                "memories",
                List.of(
                    Map.of("content", "first"),
                    Map.of("content", "second"),
                    Map.of("content", "third", "memory_type", "bogus"))),
            "validation_error");

    assertNamesField(error, "payload.memories[2].memory_type");
  }

  @Test
  void batchAddMemories_thirdItemInEndedSession_createsNone() {
    String ended = client.ok("create_session", null).get("session_id").textValue();
    client.ok("end_session", object("session_id", ended));

    JsonNode error =
        client.rejects(
            "batch_add_memories",
            object(
                "memories",
                List.of(
                    Map.of("content", "first"),
                    Map.of("content", "second"),
                    Map.of("content", "third", "session_id", ended))),
            "validation_error");

    assertNamesField(error, "memories[2].session_id");
  }

  /** Asserts that the message names the field and {@code details.field} is its full path. */
  private static void assertNamesField(JsonNode error, String field) {
    String message = error.get("message").textValue();
    assertTrue(message.contains(field), () -> "message should name " + field + ": " + message);
    assertEquals(field, error.at("/details/field").asText(), () -> "details.field of " + error);
  }
}
