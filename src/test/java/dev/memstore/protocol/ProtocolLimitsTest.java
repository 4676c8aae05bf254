package dev.memstore.protocol;

import static dev.memstore.protocol.ProtocolClient.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memstore.MemoryStore;
import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.RawDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The limits of the protocol (issues 18 and 19): extreme but well-formed values, huge and deeply
 * nested input, duplicate keys and text that is not Unicode are refused with a documented code, a
 * message free of Java's own text, and no change to the store.
 */
class ProtocolLimitsTest {
  static final Pattern JAVA_TEXT =
      Pattern.compile("java\\.|javax\\.|com\\.fasterxml|Exception|at dev\\.memstore");

  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withWordHashModel("words", 16)
          .onSystemClock()
          .configure(builder -> builder.maintenanceInterval(Duration.ZERO));

  private final ProtocolClient client = new ProtocolClient(stores.store());
  private String existing;

  @BeforeEach
  void open() {
    existing = client.create(object("content", "already here", "tags", List.of("a")));
  }

  private JsonNode rejects(String request, String code) {
    JsonNode error = client.rejects(request, code);
    String message = error.get("message").textValue();
    assertFalse(JAVA_TEXT.matcher(message).find(), () -> "Java text in " + message);
    return error;
  }

  private static String request(String action, String payloadJson) {
    return "{\"action\":\"" + action + "\",\"payload\":" + payloadJson + "}";
  }

  // Issue 18: arithmetic overflow on extreme but well-formed values.

  @ParameterizedTest
  @ValueSource(strings = {"9223372036854775807", "3153600001", "18446744073709551616"})
  void issue18_createHugeTtl_validationErrorNamingRange(String ttl) {
    JsonNode error =
        rejects(request("create", "{\"content\":\"x\",\"ttl\":" + ttl + "}"), "validation_error");
    assertEquals("payload.ttl", error.get("details").get("field").textValue());
    assertTrue(error.get("message").textValue().contains("between 1 and"), error::toString);
  }

  @Test
  void issue18_updateHugeTtl_validationError() {
    JsonNode error =
        rejects(
            request("update", "{\"memory_id\":\"" + existing + "\",\"ttl\":9223372036854775807}"),
            "validation_error");
    assertEquals("payload.ttl", error.get("details").get("field").textValue());
  }

  @ParameterizedTest
  @ValueSource(strings = {"prune", "cleanup_old_memories"})
  void issue18_pruneHugeAge_validationError(String action) {
    JsonNode error =
        rejects(request(action, "{\"max_age_days\":9223372036854775807}"), "validation_error");
    assertEquals("payload.max_age_days", error.get("details").get("field").textValue());
  }

  @Test
  void issue18_consolidateHugeWindow_validationError() {
    rejects(
        request("consolidate", "{\"time_window_hours\":9223372036854775807}"), "validation_error");
  }

  @ParameterizedTest
  @ValueSource(strings = {"+999999999-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z"})
  void issue18_timeRangeAtExtremeYears_validationError(String bound) {
    String range = "{\"time_range\":{\"start\":\"" + bound + "\"}}";
    JsonNode read =
        rejects(request("batch_read", "{\"filter\":" + range + "}"), "validation_error");
    assertTrue(read.get("message").textValue().contains("between"), read::toString);
    rejects(request("bulk_delete", "{\"filter\":" + range + "}"), "validation_error");
    rejects(
        request("search", "{\"query\":\"here\",\"filters\":" + range + "}"), "validation_error");
    rejects(
        request("bulk_delete", "{\"filter\":{\"older_than\":\"" + bound + "\"}}"),
        "validation_error");
  }

  // Issue 18: offsets near 2^31 in every action that pages.

  @ParameterizedTest
  @ValueSource(
      strings = {
        "search|{\"query\":\"here\",\"filters\":{\"offset\":2147483647,\"limit\":5}}",
        "search|{\"query\":\"here\",\"filters\":{\"offset\":2147483600,\"limit\":1000}}",
        "search_multi_query|{\"queries\":[\"here\"],\"filters\":{\"offset\":2147483647}}",
        "get_contextual_memories|{\"query\":\"here\",\"filters\":{\"offset\":2147483647}}",
        "batch_read|{\"filter\":{\"offset\":2147483647}}",
        "get_children|{\"parent_id\":\"PARENT\",\"offset\":2147483647}",
        "list_sessions|{\"offset\":2147483647}",
        "get_recent_memories|{\"hours\":1,\"offset\":2147483647}",
        "get_memories_by_group|{\"group_id\":1,\"offset\":2147483647}",
        "batch_read|{\"filter\":{\"offset\":1000001}}",
      })
  void issue18_offsetNearIntMax_validationErrorWithRange(String actionAndPayload) {
    String[] parts = actionAndPayload.split("\\|", 2);
    client.ok("create_context_group", object("name", "g"));
    JsonNode error =
        rejects(request(parts[0], parts[1].replace("PARENT", existing)), "validation_error");
    String message = error.get("message").textValue();
    assertTrue(message.contains("offset must be between 0 and 1000000"), message);
    assertFalse(message.contains("Index"), message);
  }

  // Issue 18: ids that name nothing.

  @Test
  void issue18_removeFromGroupUnknownMemory_memoryNotFound() {
    long group = client.ok("create_context_group", object("name", "g")).get("group_id").asLong();
    rejects(
        request("remove_from_group", "{\"group_id\":" + group + ",\"memory_id\":\"mem-nope\"}"),
        "memory_not_found");
    rejects(
        request("remove_from_group", "{\"group_id\":" + group + ",\"memory_id\":\"not an id\"}"),
        "validation_error");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "read|{\"memory_id\":\"ID\"}",
        "update|{\"memory_id\":\"ID\",\"priority\":3}",
        "delete|{\"memory_id\":\"ID\"}",
        "get_children|{\"parent_id\":\"ID\"}",
        "reinforce_memory|{\"memory_id\":\"ID\"}",
        "get_history|{\"memory_id\":\"ID\"}",
        "get_related_memories|{\"memory_id\":\"ID\"}",
        "add_relationship|{\"source_id\":\"ID\",\"target_id\":\"EXISTING\",\"relationship_type\":\"x\"}",
        "add_relationship|{\"source_id\":\"EXISTING\",\"target_id\":\"ID\",\"relationship_type\":\"x\"}",
        "add_to_group|{\"group_id\":GROUP,\"memory_id\":\"ID\"}",
        "remove_from_group|{\"group_id\":GROUP,\"memory_id\":\"ID\"}",
        "create|{\"content\":\"x\",\"parent_id\":\"ID\"}",
      })
  void issue18_everyActionTakingAMemoryId_unknownIsNotFoundMalformedIsValidation(String template) {
    long group = client.ok("create_context_group", object("name", "g")).get("group_id").asLong();
    String[] parts =
        template.replace("EXISTING", existing).replace("GROUP", "" + group).split("\\|", 2);
    rejects(
        request(parts[0], parts[1].replace("ID", "mem-0000000000000-nothing")), "memory_not_found");
    rejects(request(parts[0], parts[1].replace("ID", "drop table memories")), "validation_error");
  }

  // Issue 18: request size and batch size.

  @Test
  void issue18_requestLargerThanLimit_invalidRequestNamingLimit() {
    String huge = "x".repeat((16 << 20) + 1);
    JsonNode error =
        rejects(request("create", "{\"content\":\"" + huge + "\"}"), "invalid_request");
    assertTrue(error.get("message").textValue().contains("16777216"), error::toString);
    assertTrue(error.get("message").textValue().length() < 300, error::toString);
  }

  @Test
  void issue18_batchAddAboveLimit_validationErrorBeforeAnyEmbedding() {
    StringBuilder memories = new StringBuilder("[");
    for (int index = 0; index < 1001; index++) {
      memories.append(index == 0 ? "" : ",").append("{\"content\":\"m").append(index).append("\"}");
    }
    JsonNode error =
        rejects(
            request("batch_add_memories", "{\"memories\":" + memories + "]}"), "validation_error");
    assertTrue(error.get("message").textValue().contains("limit of 1000"), error::toString);
  }

  @Test
  void issue18_idListAboveLimit_validationError() {
    List<String> ids = new ArrayList<>();
    for (int index = 0; index < 10_001; index++) {
      ids.add("mem-" + index);
    }
    client.rejects("batch_get_memories", object("memory_ids", ids), "validation_error");
  }

  // Issue 19 item 4: poison metadata nesting.

  private static String nested(int depth) {
    return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
  }

  @Test
  void issue19_item4_metadataNestedPastLimit_refusedOnCreateAndUpdate() {
    client.create(object("content", "deep but allowed", "metadata", client_parse(nested(32))));
    rejects(
        request("create", "{\"content\":\"x\",\"metadata\":" + nested(33) + "}"),
        "validation_error");
    rejects(
        request("update", "{\"memory_id\":\"" + existing + "\",\"metadata\":" + nested(33) + "}"),
        "validation_error");
    JsonNode deep =
        rejects(
            request("create", "{\"content\":\"x\",\"metadata\":" + nested(997) + "}"),
            "invalid_request");
    assertTrue(deep.get("message").textValue().contains("nested more than"), deep::toString);
    // Every listing that includes the accepted memory still answers.
    assertEquals(2, client.listAll().get("total_count").asInt());
  }

  /**
   * A store poisoned before this fix (metadata nested 999 levels) answers internal_error, but its
   * message is memstore's own, not Jackson's.
   */
  @Test
  void issue19_item17_internalErrorFromPoisonedFile_messageWithoutLibraryText() throws Exception {
    stores.store().close();
    try (RawDatabase raw = RawDatabase.open(stores.file())) {
      raw.execute(
          "update memories set metadata = '" + nested(999) + "' where id = '" + existing + "'");
    }
    String response =
        dev.memstore.MemoryProtocol.over(stores.reopen())
            .handle(request("read", "{\"memory_id\":\"" + existing + "\"}"));
    JsonNode error = ProtocolClient.parse(response).get("error");
    assertEquals("internal_error", error.get("code").textValue(), response);
    String message = error.get("message").textValue();
    assertTrue(message.contains("memstore's log has the details"), message);
    assertFalse(message.contains("Constraints") || message.contains("nesting"), message);
  }

  private static JsonNode client_parse(String json) {
    return ProtocolClient.parse(json);
  }

  // Issue 19 item 8: numbers checked before narrowing.

  @ParameterizedTest
  @ValueSource(strings = {"4294967306", "-4294967286", "11", "0", "9223372036854775808"})
  void issue19_item8_priorityOutOfRange_refusedOnCreateAndUpdate(String priority) {
    JsonNode error =
        rejects(
            request("create", "{\"content\":\"x\",\"priority\":" + priority + "}"),
            "validation_error");
    assertTrue(error.get("message").textValue().contains("between 1 and 10"), error::toString);
    rejects(
        request("update", "{\"memory_id\":\"" + existing + "\",\"priority\":" + priority + "}"),
        "validation_error");
  }

  // Issue 19 item 9: duplicate keys.

  @Test
  void issue19_item9_duplicateAction_invalidRequestAndNothingDeleted() {
    JsonNode error =
        rejects(
            "{\"action\":\"read\",\"payload\":{\"memory_id\":\""
                + existing
                + "\"},\"action\":\"delete\"}",
            "invalid_request");
    assertTrue(
        error.get("message").textValue().contains("'action' appears twice"), error::toString);
    rejects(request("create", "{\"content\":\"x\",\"content\":\"y\"}"), "invalid_request");
    rejects(
        request("create", "{\"content\":\"x\",\"metadata\":{\"k\":1,\"k\":2}}"), "invalid_request");
  }

  // Issue 19 item 14: text that is not Unicode.

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"content\":\"half \\ud800 a pair\"}",
        "{\"content\":\"low \\udc00 alone\"}",
        "{\"content\":\"x\",\"tags\":[\"\\ud83d\"]}",
        "{\"content\":\"x\",\"metadata\":{\"\\ud800\":1}}",
        "{\"content\":\"x\",\"metadata\":{\"k\":[\"\\udfff\"]}}",
        "{\"content\":\"x\",\"user_id\":\"\\ud800\"}",
      })
  void issue19_item14_unpairedSurrogate_validationError(String payload) {
    JsonNode error = rejects(request("create", payload), "validation_error");
    assertTrue(error.get("message").textValue().contains("surrogate"), error::toString);
  }

  @Test
  void issue19_item14_rawUnpairedSurrogateInProcess_validationError() {
    rejects(request("create", "{\"content\":\"a \uD800 b\"}"), "validation_error");
  }

  // Issue 19 item 17: capped echoes and translated parser messages.

  @Test
  void issue19_item17_hugeUnknownAction_messageIsCapped() {
    String action = "y".repeat(1_000_000);
    JsonNode error = rejects(request(action, "{}"), "invalid_request");
    assertTrue(error.get("message").textValue().length() <= 1100, () -> "message length");
    String response = MemoryProtocolCall.handle(stores.store(), request(action, "{}"));
    assertTrue(response.length() < 20_000, () -> "response of " + response.length() + " chars");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"action\":",
        "{\"action\":\"stats\"} {}",
        "{\"action\":\"stats\",}",
        "{'action':'stats'}",
        "{\"action\":\"stats\" \"payload\":{}}",
        "[1,2",
        "{\"action\":\"create\",\"payload\":{\"content\":\"x\",\"priority\":01}}",
        "{\"action\":\"create\",\"payload\":{\"content\":\"\u0001\"}}",
        "{\"action\":\"create\",\"payload\":{\"content\":\"x\",\"ttl\":NaN}}",
        "nul\u0000l",
      })
  void issue19_item17_parserErrors_translated(String raw) {
    JsonNode error = rejects(raw, "invalid_request");
    String message = error.get("message").textValue();
    assertTrue(message.startsWith("the request is not valid JSON"), message);
    assertFalse(message.contains("Unexpected character"), message);
    assertFalse(message.contains("Source:"), message);
    assertFalse(message.contains("REDACTED"), message);
  }

  @Test
  void issue19_item17_deepNesting_translatedNotJacksons() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    JsonNode error = rejects(request("stats", deep), "invalid_request");
    assertTrue(error.get("message").textValue().contains("nested more than 64"), error::toString);
  }

  /** Answers a raw request through the public entry point, without the client's checks. */
  private static final class MemoryProtocolCall {
    static String handle(MemoryStore store, String request) {
      return dev.memstore.MemoryProtocol.over(store).handle(request);
    }
  }

  @Test
  void everyNumericField_rangeCheckedOnTheValueAsSent() {
    Map<String, String> requests =
        Map.of(
            "get_context_pack", "{\"token_budget\":4294967306}",
            "get_memories_by_group", "{\"group_id\":-1}",
            "remove_relationship", "{\"relationship_id\":0}",
            "batch_read", "{\"filter\":{\"limit\":4294967306}}",
            "get_recent_memories", "{\"hours\":1,\"limit\":-4294967295}",
            "prune", "{\"max_age_days\":-1}");
    requests.forEach((action, payload) -> rejects(request(action, payload), "validation_error"));
  }
}
