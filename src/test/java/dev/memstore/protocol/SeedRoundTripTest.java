package dev.memstore.protocol;

import static dev.memstore.protocol.ProtocolClient.JSON;
import static dev.memstore.protocol.ProtocolClient.memoryIds;
import static dev.memstore.protocol.ProtocolClient.object;
import static dev.memstore.protocol.ProtocolClient.resource;
import static dev.memstore.protocol.ProtocolClient.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.memstore.MemoryStore;
import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Puts every request example of seed 001 (copied verbatim under {@code seed001/}) through the
 * protocol and compares the response with the seed's. The store's clock stands at the time of the
 * seed's response, so the times the store writes must equal the seed's; the ids the store makes up
 * replace the seed's in later requests and in the expected responses.
 */
class SeedRoundTripTest {
  private static final String SEED_SESSION = "session-123456";
  private static final String SEED_MEMORY = "mem-56789012";
  private static final String SEED_SECOND_MEMORY = "mem-67890123";
  private static final String SEED_THIRD_MEMORY = "mem-78901234";

  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withBundledModel().startingAt(Instant.parse("2023-06-15T08:00:00.000Z"));

  private final MutableClock clock = stores.clock();
  private final ProtocolClient client = new ProtocolClient(stores.store());

  /** The seed's ids and the ids the store gave the same things. */
  private final Map<String, String> ids = new HashMap<>();

  @Test
  void create_seedExample_roundTrips() {
    createSeedSession();

    ObjectNode response = createSeedMemory();

    assertMatchesSeed("create", response);
    assertTrue(
        response.at("/data/memory_id").textValue().matches("mem-[0-9a-z]{26}"),
        "a generated memory id");
  }

  @ParameterizedTest
  @CsvSource({
    "conversation, conversation",
    "context, context",
    "user_preference, preference",
    "agent_state, agent_state"
  })
  void create_seedExampleWithEachListedType_readsCanonicalType(String listed, String canonical) {
    createSeedSession();
    ObjectNode request = seedRequest("create");
    ((ObjectNode) request.get("payload")).put("memory_type", listed);

    String memoryId = client.ok(request).get("memory_id").textValue();

    assertEquals(canonical, client.read(memoryId).get("memory_type").textValue());
  }

  @Test
  void read_seedExample_roundTrips() {
    createSeedSession();
    createSeedMemory();

    ObjectNode response = exchange("read", "2023-06-15T08:31:00.456Z");

    assertMatchesSeed("read", response);
    JsonNode data = response.get("data");
    assertEquals(
        Instant.parse(data.get("created_at").textValue()).plusSeconds(3600),
        Instant.parse(data.get("expires_at").textValue()),
        "expires_at = created_at + ttl");
    assertEquals(ids.get(SEED_SESSION), data.get("session_id").textValue());
    assertEquals("user-12345", data.get("user_id").textValue(), "the session's user");
  }

  @Test
  void read_seedExampleOnSystemClock_matchesSeedButGeneratedValues() {
    try (MemoryStore systemClock = MemoryStore.open(stores.file("system-clock.db"))) {
      ProtocolClient other = new ProtocolClient(systemClock);
      String sessionId =
          other.ok(resource("seed001/create_session_request.json")).get("session_id").textValue();
      ObjectNode create = resource("seed001/create_request.json");
      create.put("session_id", sessionId);
      ((ObjectNode) create.get("payload")).put("memory_type", "conversation");
      String memoryId = other.ok(create).get("memory_id").textValue();
      ObjectNode read = resource("seed001/read_request.json");
      read.put("session_id", sessionId);
      ((ObjectNode) read.get("payload")).put("memory_id", memoryId);

      JsonNode data = other.ok(read);

      JsonShape.assertSameShapeAndValues(
          resource("seed001/read_response.json").get("data"),
          data,
          Set.of("memory_id", "created_at", "updated_at", "expires_at"));
      assertEquals(memoryId, data.get("memory_id").textValue());
      assertEquals(data.get("created_at"), data.get("updated_at"));
      assertEquals(
          Instant.parse(data.get("created_at").textValue()).plusSeconds(3600),
          Instant.parse(data.get("expires_at").textValue()),
          "expires_at = created_at + ttl");
      for (String time : List.of("created_at", "updated_at", "expires_at")) {
        assertTrue(ProtocolClient.TIMESTAMP.matcher(data.get(time).textValue()).matches(), time);
      }
    }
  }

  @Test
  void update_seedExample_roundTrips() {
    createSeedSession();
    createSeedMemory();

    ObjectNode response = exchange("update", "2023-06-15T08:32:00.456Z");

    assertMatchesSeed("update", response);
    JsonNode data = response.get("data");
    assertEquals(
        Instant.parse(data.get("updated_at").textValue()).plusSeconds(7200),
        Instant.parse(data.get("expires_at").textValue()),
        "the new ttl counts from the update");
  }

  @Test
  void update_seedExample_keepsSourceAgentAsSeedBatchReadShows() {
    createSeedSession();
    createSeedMemory();
    exchange("update", "2023-06-15T08:32:00.456Z");
    clock.set(Instant.parse("2023-06-15T08:34:00.456Z"));

    JsonNode memory = client.read(ids.get(SEED_MEMORY));

    JsonNode seedMemory = seedResponse("batch_read").at("/data/memories/0");
    JsonShape.assertSameShapeAndValues(seedMemory, memory, Set.of());
    assertEquals("language_understanding_agent", memory.at("/content/source_agent").textValue());
    assertEquals(6, memory.get("priority").intValue());
    assertEquals(7200, memory.get("ttl").intValue());
    assertEquals(List.of("weather", "location", "query", "city"), texts(memory.get("tags")));
  }

  @Test
  void batchRead_seedExample_roundTrips() {
    createSeedSession();
    createSeedMemory();
    createSecondSeedMemory();
    createThirdMemoryOutsideSeedFilter();
    exchange("update", "2023-06-15T08:32:00.456Z");

    ObjectNode response = exchange("batch_read", "2023-06-15T08:34:00.456Z");

    // The request sorts by created_at, newest first; the seed lists the two memories the other way.
    assertEquals(
        List.of(ids.get(SEED_SECOND_MEMORY), ids.get(SEED_MEMORY)),
        memoryIds(response.at("/data/memories")));
    ObjectNode seed = seedResponse("batch_read");
    ArrayNode seedMemories = (ArrayNode) seed.at("/data/memories");
    seedMemories.insert(0, seedMemories.remove(1));
    assertMatchesSeed(seed, response);
  }

  @Test
  void search_seedExample_roundTrips() {
    createSeedSession();
    createSeedMemory();
    createSecondSeedMemory();
    exchange("update", "2023-06-15T08:32:00.456Z");
    clock.set(Instant.parse("2023-06-15T08:35:00.456Z"));
    ObjectNode request = seedRequest("search");
    // The seed lists the three search types as alternatives; its response shows a semantic search.
    // The store's model
    // is not the seed's, so its similarities differ: the seed's 0.7 floor is for
    // text-embedding-ada-002.
    ((ObjectNode) request.get("payload")).put("search_type", "semantic");
    ((ObjectNode) request.at("/payload/filters")).put("min_similarity", 0.3);

    ObjectNode response = client.send(request);

    ObjectNode seed = seedResponse("search");
    assertEquals(seed.get("status"), response.get("status"), response.toString());
    JsonShape.assertSameShape(seed.get("data"), response.get("data"));
    JsonNode results = response.at("/data/results");
    assertEquals(
        List.of(ids.get(SEED_MEMORY), ids.get(SEED_SECOND_MEMORY)),
        memoryIds(results),
        "both weather memories, the question-like one first");
    assertTrue(
        results.get(0).get("similarity_score").doubleValue()
            >= results.get(1).get("similarity_score").doubleValue());
    JsonShape.assertSameShapeAndValues(
        seed.at("/data/results/0"), results.get(0), Set.of("similarity_score"));
    assertEquals("semantic", response.at("/data/search_metadata/search_type").textValue());
    assertEquals(
        "bge-small-en-v1.5-q", response.at("/data/search_metadata/embedding_model").textValue());
    assertEquals(384, response.at("/data/search_metadata/query_embedding_dimension").intValue());
    assertEquals(2, response.at("/data/total_count").intValue());
  }

  @Test
  void batchRead_seedExampleIdsOnly_returnsEveryListedMemory() {
    createSeedSession();
    createSeedMemory();
    createSecondSeedMemory();
    createThirdMemoryOutsideSeedFilter();
    ObjectNode request = seedRequest("batch_read");
    ((ObjectNode) request.get("payload")).remove("filter");

    JsonNode data = client.ok(request);

    assertEquals(3, data.get("total_count").intValue());
    assertEquals(
        Set.of(ids.get(SEED_MEMORY), ids.get(SEED_SECOND_MEMORY), ids.get(SEED_THIRD_MEMORY)),
        Set.copyOf(memoryIds(data.get("memories"))));
    assertEquals(false, data.at("/page_info/has_more").booleanValue());
  }

  @Test
  void batchRead_seedExampleFilterOnly_appliesEveryCriterion() {
    createSeedSession();
    createSeedMemory();
    createSecondSeedMemory();
    createThirdMemoryOutsideSeedFilter();
    clock.set(Instant.parse("2023-06-15T09:30:00.000Z"));
    client.create(
        object(
            "memory_type", "conversation",
            "content", "Created after the seed's time range",
            "tags", List.of("weather")));
    client.create(
        object("memory_type", "conversation", "content", "No weather tag", "tags", List.of("x")));
    ObjectNode request = seedRequest("batch_read");
    ((ObjectNode) request.get("payload")).remove("memory_ids");
    clock.set(Instant.parse("2023-06-15T08:34:00.456Z"));

    JsonNode data = client.ok(request);

    assertEquals(
        List.of(ids.get(SEED_SECOND_MEMORY), ids.get(SEED_MEMORY)),
        memoryIds(data.get("memories")));
    assertEquals(2, data.get("total_count").intValue());
  }

  @Test
  void delete_seedExample_roundTrips() {
    createSeedSession();
    createSeedMemory();

    ObjectNode response = exchange("delete", "2023-06-15T08:33:00.456Z");

    assertMatchesSeed("delete", response);
    client.rejects("read", object("memory_id", ids.get(SEED_MEMORY)), "memory_not_found");
    assertEquals(0, client.ok("stats", null).get("total_memories").intValue());
  }

  @Test
  void createSession_seedExample_answersTheNewSession() {
    clock.set(Instant.parse("2023-06-15T08:36:00.456Z"));

    ObjectNode response = client.send(resource("seed001/create_session_request.json"));

    assertEquals("success", response.get("status").textValue());
    assertEquals("2023-06-15T08:36:00.456Z", response.get("timestamp").textValue());
    JsonNode data = response.get("data");
    assertTrue(data.get("session_id").textValue().matches("session-[0-9a-z]{26}"));
    JsonShape.assertSameShapeAndValues(
        object(
            "user_id", "user-12345",
            "session_type", "conversation",
            "session_metadata",
                resource("seed001/create_session_request.json").at("/payload/session_metadata"),
            "created_at", "2023-06-15T08:36:00.456Z",
            "status", "active",
            "archived", false),
        data,
        Set.of());
  }

  @Test
  void endSession_seedExample_endsAndArchivesTheSession() {
    createSeedSession();

    ObjectNode response = exchange("end_session", "2023-06-15T09:00:00.456Z");

    assertEquals("success", response.get("status").textValue());
    JsonNode ended =
        object(
            "session_id", ids.get(SEED_SESSION),
            "status", "ended",
            "ended_at", "2023-06-15T09:00:00.456Z",
            "summary", "User asked about weather in New York and got forecast information",
            "archived", true);
    JsonShape.assertSameShapeAndValues(ended, response.get("data"), Set.of());
    ObjectNode getSession = client.request("get_session", null);
    getSession.put("session_id", ids.get(SEED_SESSION));
    JsonShape.assertSameShapeAndValues(ended, client.ok(getSession), Set.of());
    ObjectNode create = seedRequest("create");
    ((ObjectNode) create.get("payload")).put("memory_type", "conversation");
    JsonNode error = client.rejects(create, "validation_error");
    assertEquals("session_id", error.at("/details/field").textValue());
  }

  @Test
  void bulkDelete_seedExample_deletesOnlyOlderMatchingMemories() {
    createSeedSession();
    createSeedMemory();
    clock.set(Instant.parse("2023-06-13T12:00:00.000Z"));
    String old =
        client.create(
            object(
                "memory_type", "conversation",
                "content", "Yesterday's weather question",
                "tags", List.of("weather")));
    client.create(
        object("memory_type", "conversation", "content", "Old, untagged", "tags", List.of()));
    client.create(
        object(
            "memory_type", "context",
            "content", "Old context about weather",
            "tags", List.of("weather")));

    clock.set(Instant.parse("2023-06-15T09:01:00.456Z"));
    ObjectNode response = client.send(seedRequest("bulk_delete"));

    assertEquals("success", response.get("status").textValue());
    assertEquals(1, response.at("/data/deleted_count").intValue());
    assertEquals(List.of(old), texts(response.at("/data/memory_ids")));
    assertEquals(3, client.listAll().get("total_count").intValue());
    client.rejects("read", object("memory_id", old), "memory_not_found");
  }

  // The seed's story, step by step

  private void createSeedSession() {
    clock.set(Instant.parse("2023-06-15T08:30:00.456Z"));
    JsonNode data = client.ok(resource("seed001/create_session_request.json"));
    ids.put(SEED_SESSION, data.get("session_id").textValue());
  }

  private ObjectNode createSeedMemory() {
    ObjectNode response = exchange("create", "2023-06-15T08:30:45.456Z");
    ids.put(SEED_MEMORY, response.at("/data/memory_id").textValue());
    return response;
  }

  /** Creates the second memory of the seed's batch_read response, at the time it shows. */
  private void createSecondSeedMemory() {
    JsonNode seen = resource("seed001/batch_read_response.json").at("/data/memories/1");
    long ttl =
        Instant.parse(seen.get("expires_at").textValue()).getEpochSecond()
            - Instant.parse(seen.get("created_at").textValue()).getEpochSecond();
    clock.set(Instant.parse(seen.get("created_at").textValue()));
    ObjectNode payload =
        object(
            "memory_type", seen.get("memory_type"),
            "content", seen.get("content"),
            "tags", seen.get("tags"),
            "ttl", ttl,
            "priority", seen.get("priority"));
    ObjectNode request = client.request("create", payload);
    request.put("session_id", ids.get(SEED_SESSION));
    ids.put(SEED_SECOND_MEMORY, client.ok(request).get("memory_id").textValue());
  }

  /**
   * Creates a memory for the third id the seed's batch_read asks for, which its response leaves
   * out: it is not a conversation.
   */
  private void createThirdMemoryOutsideSeedFilter() {
    clock.set(Instant.parse("2023-06-15T08:31:30.000Z"));
    ids.put(
        SEED_THIRD_MEMORY,
        client.create(
            object(
                "memory_type", "context",
                "content", "The user is planning a trip to New York",
                "tags", List.of("weather"))));
  }

  /** Sends a seed request with the clock at the seed response's time. */
  private ObjectNode exchange(String action, String at) {
    clock.set(Instant.parse(at));
    ObjectNode response = client.send(seedRequest(action));
    assertEquals(at, response.get("timestamp").textValue(), "the response's time");
    return response;
  }

  /** Returns a seed request with the seed's ids replaced by the store's. */
  private ObjectNode seedRequest(String action) {
    ObjectNode request = (ObjectNode) substitute(resource("seed001/" + action + "_request.json"));
    if (action.equals("create")) {
      // The seed lists the four types as alternatives; its read response shows a conversation.
      ((ObjectNode) request.get("payload")).put("memory_type", "conversation");
    }
    return request;
  }

  /** Returns a seed response with the seed's ids replaced by the store's. */
  private ObjectNode seedResponse(String action) {
    return (ObjectNode) substitute(resource("seed001/" + action + "_response.json"));
  }

  private void assertMatchesSeed(String action, ObjectNode response) {
    assertMatchesSeed(seedResponse(action), response);
  }

  /**
   * Asserts the response has exactly the seed response's envelope, and every field of its data with
   * the same kind and value.
   */
  private static void assertMatchesSeed(ObjectNode seed, ObjectNode response) {
    List<String> seedFields = new ArrayList<>();
    seed.fieldNames().forEachRemaining(seedFields::add);
    List<String> responseFields = new ArrayList<>();
    response.fieldNames().forEachRemaining(responseFields::add);
    assertEquals(Set.copyOf(seedFields), Set.copyOf(responseFields), "envelope fields");
    for (String field : List.of("status", "action", "request_id", "timestamp")) {
      assertEquals(seed.get(field), response.get(field), field);
    }
    JsonShape.assertSameShape(seed.get("data"), response.get("data"));
    JsonShape.assertSameShapeAndValues(seed.get("data"), response.get("data"), Set.of());
  }

  private JsonNode substitute(JsonNode node) {
    if (node.isTextual()) {
      String id = ids.get(node.textValue());
      return id == null ? node : TextNode.valueOf(id);
    }
    if (node.isObject()) {
      ObjectNode copy = JSON.createObjectNode();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        copy.set(field.getKey(), substitute(field.getValue()));
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JSON.createArrayNode();
      node.forEach(element -> copy.add(substitute(element)));
      return copy;
    }
    return node;
  }
}
