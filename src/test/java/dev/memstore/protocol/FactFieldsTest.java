package dev.memstore.protocol;

import static dev.memstore.protocol.ProtocolClient.memoryIds;
import static dev.memstore.protocol.ProtocolClient.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memstore.testing.MemoryStoreExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Facts through {@link dev.memstore.MemoryProtocol}: fact_key and valid_from on create, the four
 * fields in every memory answer, as_of and include_superseded in the search and batch_read filters,
 * and restore_fact.
 */
class FactFieldsTest {
  private static final String HOME = "user-12345:home_city";

  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withWordHashModel("words", 16);

  private final ProtocolClient client = new ProtocolClient(stores.store());

  @Test
  void create_withFactKey_supersedesAndEveryAnswerShowsTheFields() {
    String paris =
        client.create(
            object(
                "content",
                "The user lives in Paris.",
                "fact_key",
                HOME,
                "valid_from",
                "2025-06-01T00:00:00.000Z"));
    stores.clock().advance(Duration.ofDays(1));
    String berlin = client.create(object("content", "I moved to Berlin.", "fact_key", HOME));

    JsonNode old = client.read(paris);
    assertEquals(HOME, old.get("fact_key").textValue());
    assertEquals("2025-06-01T00:00:00.000Z", old.get("valid_from").textValue());
    JsonNode current = client.read(berlin);
    assertEquals(current.get("valid_from").textValue(), old.get("valid_to").textValue());
    assertEquals(berlin, old.get("superseded_by").textValue());
    assertTrue(current.get("valid_to").isNull());
    assertTrue(current.get("superseded_by").isNull());
    String plain = client.create("The user likes tea.");
    assertTrue(client.read(plain).has("fact_key") && client.read(plain).get("fact_key").isNull());

    assertEquals(List.of(berlin, plain), memoryIds(client.listAll().get("memories")));
    JsonNode all =
        client.ok(
            "batch_read",
            object(
                "filter",
                object(
                    "include_superseded",
                    true,
                    "sort",
                    object("field", "created_at", "order", "asc"))));
    assertEquals(List.of(paris, berlin, plain), memoryIds(all.get("memories")));
    JsonNode then =
        client.ok("batch_read", object("filter", object("as_of", "2025-12-31T00:00:00.000Z")));
    assertEquals(List.of(paris), memoryIds(then.get("memories")));

    JsonNode searched =
        client.ok(
            "search",
            object(
                "query",
                "where does the user live",
                "filters",
                object("as_of", "2025-12-31T00:00:00.000Z")));
    assertEquals(List.of(paris), memoryIds(searched.get("results")));
    JsonNode searchedAll =
        client.ok(
            "search", object("query", "user lives", "filters", object("include_superseded", true)));
    assertTrue(memoryIds(searchedAll.get("results")).contains(paris));
    JsonNode searchedNow = client.ok("search", object("query", "user lives"));
    assertTrue(!memoryIds(searchedNow.get("results")).contains(paris));

    JsonNode restored = client.ok("restore_fact", object("memory_id", paris));
    assertEquals(paris, restored.get("memory_id").textValue());
    assertTrue(restored.get("valid_to").isNull());
    assertEquals(paris, client.read(berlin).get("superseded_by").textValue());
  }

  @Test
  void create_badFactKey_validationErrorNamingTheField() {
    JsonNode error =
        client.rejects(
            "create", object("content", "x", "fact_key", "no colon here"), "validation_error");
    assertEquals("fact_key", error.at("/details/field").textValue());
    client.rejects(
        "batch_read", object("filter", object("as_of", "yesterday")), "validation_error");
    // A fact keeps its key: a new value is a new memory, which supersedes it.
    client.rejects(
        "update", object("memory_id", client.create("text"), "fact_key", "a:b"), "invalid_request");
  }
}
