package dev.memstore.protocol;

import static dev.memstore.protocol.ProtocolClient.memoryIds;
import static dev.memstore.protocol.ProtocolClient.object;
import static dev.memstore.protocol.ProtocolClient.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memstore.testing.MemoryStoreExtension;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every action beyond seed 001's examples answers correctly at least once. */
class ProtocolActionsTest {
  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withBundledModel().onSystemClock();

  private final ProtocolClient client = new ProtocolClient(stores.store());

  @Test
  void batchAddMemories_threeMemories_createsAllInOrder() {
    JsonNode data =
        client.ok(
            "batch_add_memories",
            object(
                "memories",
                List.of(
                    Map.of("content", "first", "memory_type", "semantic"),
                    Map.of("content", "second", "tags", List.of("b")),
                    Map.of("content", Map.of("text", "third", "source_agent", "agent-x")))));

    assertEquals(3, data.get("created_count").intValue());
    List<String> ids = memoryIds(data.get("memories"));
    assertEquals(3, ids.size());
    data.get("memories")
        .forEach(
            memory ->
                assertTrue(
                    ProtocolClient.TIMESTAMP
                        .matcher(memory.get("created_at").textValue())
                        .matches()));
    assertEquals("first", client.read(ids.get(0)).at("/content/text").textValue());
    assertEquals("semantic", client.read(ids.get(0)).get("memory_type").textValue());
    assertEquals(List.of("b"), texts(client.read(ids.get(1)).get("tags")));
    assertEquals("agent-x", client.read(ids.get(2)).at("/content/source_agent").textValue());
  }

  @Test
  void batchGetMemories_withMissingId_listsItInMissingIds() {
    String first = client.create("first");
    String second = client.create("second");

    JsonNode data =
        client.ok(
            "batch_get_memories", object("memory_ids", List.of(second, "mem-doesnotexist", first)));

    assertEquals(List.of(second, first), memoryIds(data.get("memories")));
    assertEquals(List.of("mem-doesnotexist"), texts(data.get("missing_ids")));
    assertEquals("second", data.at("/memories/0/content/text").textValue());
  }

  @Test
  void getChildren_twoChildren_returnsThemSorted() {
    String parent = client.create("parent");
    String older = client.create(object("content", "older child", "parent_id", parent));
    String newer = client.create(object("content", "newer child", "parent_id", parent));
    client.create("unrelated");

    JsonNode newestFirst = client.ok("get_children", object("parent_id", parent));
    JsonNode oldestFirst =
        client.ok(
            "get_children",
            object("parent_id", parent, "sort_field", "created_at", "sort_order", "asc"));

    assertEquals(List.of(newer, older), memoryIds(newestFirst.get("memories")));
    assertEquals(List.of(older, newer), memoryIds(oldestFirst.get("memories")));
    assertEquals(2, oldestFirst.get("total_count").intValue());
    assertEquals(parent, oldestFirst.at("/memories/0/parent_id").textValue());
  }

  @Test
  void reinforceMemory_defaultFactor_multipliesImportanceBy1point2() {
    String memoryId = client.create("remember this");

    JsonNode data = client.ok("reinforce_memory", object("memory_id", memoryId));

    assertEquals(memoryId, data.get("memory_id").textValue());
    assertEquals(0.6, data.get("importance").doubleValue(), 1e-12);
    assertEquals(0.6, client.read(memoryId).get("importance").doubleValue(), 1e-12);
  }

  @Test
  void reinforceMemory_givenFactor_staysWithinOne() {
    String memoryId = client.create(object("content", "x", "importance", 0.9));

    JsonNode data =
        client.ok("reinforce_memory", object("memory_id", memoryId, "reinforcement_factor", 2));

    assertEquals(1.0, data.get("importance").doubleValue(), 1e-12);
  }

  @Test
  void getHistory_createdThenUpdated_listsBothWithChanges() {
    String memoryId = client.create(object("content", "before", "tags", List.of("a")));
    client.ok("update", object("memory_id", memoryId, "content", "after", "priority", 7));

    JsonNode data = client.ok("get_history", object("memory_id", memoryId));

    assertEquals(memoryId, data.get("memory_id").textValue());
    JsonNode history = data.get("history");
    assertEquals(2, history.size());
    assertEquals("created", history.at("/0/action").textValue());
    assertEquals("updated", history.at("/1/action").textValue());
    assertTrue(history.at("/0/sequence").longValue() < history.at("/1/sequence").longValue());
    JsonNode changes = history.at("/1/changes");
    assertEquals("before", changes.at("/content/from").textValue());
    assertEquals("after", changes.at("/content/to").textValue());
    assertEquals(5, changes.at("/priority/from").intValue());
    assertEquals(7, changes.at("/priority/to").intValue());
    assertFalse(changes.has("tags"), "only changed fields are recorded");
  }

  @Test
  void addRelationship_twoMemories_linksThem() {
    String source = client.create("source");
    String target = client.create("target");

    JsonNode data =
        client.ok(
            "add_relationship",
            object(
                "source_id",
                source,
                "target_id",
                target,
                "relationship_type",
                "supports",
                "strength",
                0.8));

    assertTrue(data.get("relationship_id").isIntegralNumber());
    assertEquals(source, data.get("source_id").textValue());
    assertEquals(target, data.get("target_id").textValue());
    assertEquals("supports", data.get("relationship_type").textValue());
    assertEquals(0.8, data.get("strength").doubleValue(), 1e-12);
  }

  @Test
  void getRelatedMemories_eachEnd_reportsDirection() {
    String source = client.create("source");
    String target = client.create("target");
    String other = client.create("other");
    client.ok(
        "add_relationship",
        object("source_id", source, "target_id", target, "relationship_type", "supports"));
    client.ok(
        "add_relationship",
        object("source_id", other, "target_id", source, "relationship_type", "mentions"));

    JsonNode fromSource = client.ok("get_related_memories", object("memory_id", source));
    JsonNode fromTarget = client.ok("get_related_memories", object("memory_id", target));
    JsonNode onlySupports =
        client.ok(
            "get_related_memories", object("memory_id", source, "relationship_type", "supports"));

    assertEquals(2, fromSource.get("total_count").intValue());
    assertEquals(1, fromTarget.get("total_count").intValue());
    JsonNode link = fromTarget.at("/related/0");
    assertEquals("incoming", link.get("direction").textValue());
    assertEquals(source, link.at("/memory/memory_id").textValue());
    assertEquals("supports", link.at("/relationship/relationship_type").textValue());
    assertEquals(1, onlySupports.get("total_count").intValue());
    assertEquals("outgoing", onlySupports.at("/related/0/direction").textValue());
    assertEquals(target, onlySupports.at("/related/0/memory/memory_id").textValue());
    for (JsonNode related : fromSource.get("related")) {
      String expected =
          related.at("/memory/memory_id").textValue().equals(target) ? "outgoing" : "incoming";
      assertEquals(expected, related.get("direction").textValue());
    }
  }

  @Test
  void removeRelationship_existingLink_removesItOnce() {
    String source = client.create("source");
    String target = client.create("target");
    long relationshipId =
        client
            .ok(
                "add_relationship",
                object("source_id", source, "target_id", target, "relationship_type", "supports"))
            .get("relationship_id")
            .longValue();

    JsonNode removed = client.ok("remove_relationship", object("relationship_id", relationshipId));
    JsonNode again = client.ok("remove_relationship", object("relationship_id", relationshipId));

    assertTrue(removed.get("removed").booleanValue());
    assertFalse(again.get("removed").booleanValue());
    assertEquals(
        0,
        client
            .ok("get_related_memories", object("memory_id", source))
            .get("total_count")
            .intValue());
  }

  @Test
  void contextGroups_createAddListRemove_trackMembers() {
    String member = client.create("in the group");
    client.create("not in the group");

    JsonNode group =
        client.ok(
            "create_context_group", object("name", "trip", "description", "Planning the trip"));
    long groupId = group.get("group_id").longValue();
    assertEquals("trip", group.get("name").textValue());
    assertEquals("Planning the trip", group.get("description").textValue());
    assertEquals(0, group.get("member_count").intValue());

    JsonNode added = client.ok("add_to_group", object("group_id", groupId, "memory_id", member));
    assertTrue(added.get("added").booleanValue());
    assertFalse(
        client
            .ok("add_to_group", object("group_id", groupId, "memory_id", member))
            .get("added")
            .booleanValue(),
        "already a member");

    JsonNode members = client.ok("get_memories_by_group", object("group_id", groupId));
    assertEquals(groupId, members.get("group_id").longValue());
    assertEquals(List.of(member), memoryIds(members.get("memories")));
    assertEquals(1, members.get("total_count").intValue());

    JsonNode groups = client.ok("list_context_groups", null).get("groups");
    assertEquals(1, groups.size());
    assertEquals(groupId, groups.at("/0/group_id").longValue());
    assertEquals(1, groups.at("/0/member_count").intValue());

    JsonNode removed =
        client.ok("remove_from_group", object("group_id", groupId, "memory_id", member));
    assertTrue(removed.get("removed").booleanValue());
    assertEquals(
        0,
        client
            .ok("get_memories_by_group", object("group_id", groupId))
            .get("total_count")
            .intValue());
  }

  @Test
  void sessions_createGetListEnd_answerTheSession() {
    JsonNode created =
        client.ok(
            "create_session",
            object(
                "user_id", "user-1", "session_type", "task", "session_metadata", Map.of("a", 1)));
    String sessionId = created.get("session_id").textValue();
    String otherId = client.ok("create_session", object()).get("session_id").textValue();

    ObjectNode get = client.request("get_session", null);
    get.put("session_id", sessionId);
    JsonNode fetched = client.ok(get);
    JsonNode fetchedByPayload = client.ok("get_session", object("session_id", sessionId));

    assertEquals(created, fetched);
    assertEquals(created, fetchedByPayload);
    assertEquals("user-1", fetched.get("user_id").textValue());
    assertEquals("task", fetched.get("session_type").textValue());
    assertEquals(1, fetched.at("/session_metadata/a").intValue());
    assertEquals("active", fetched.get("status").textValue());

    JsonNode listed = client.ok("list_sessions", null);
    assertEquals(2, listed.get("total_count").intValue());
    assertEquals(
        List.of(otherId, sessionId),
        listed.get("sessions").findValuesAsText("session_id"),
        "newest first");

    client.ok("end_session", object("session_id", otherId, "summary", "done"));
    JsonNode active = client.ok("list_sessions", null);
    JsonNode all = client.ok("list_sessions", object("include_ended", true));
    assertEquals(List.of(sessionId), active.get("sessions").findValuesAsText("session_id"));
    assertEquals(2, all.get("total_count").intValue());
  }

  @Test
  void create_inSession_takesTheSessionsUser() {
    String sessionId =
        client.ok("create_session", object("user_id", "user-7")).get("session_id").textValue();
    ObjectNode request = client.request("create", object("content", "said in the session"));
    request.put("session_id", sessionId);

    String memoryId = client.ok(request).get("memory_id").textValue();

    JsonNode memory = client.read(memoryId);
    assertEquals(sessionId, memory.get("session_id").textValue());
    assertEquals("user-7", memory.get("user_id").textValue());
  }

  @Test
  void bulkDelete_matchingParent_deletesOnlyMatchesAndDetachesTheirChildren() {
    String parent = client.create(object("content", "parent", "tags", List.of("trip")));
    String child = client.create(object("content", "child", "parent_id", parent));
    String kept = client.create(object("content", "kept", "tags", List.of("other")));

    JsonNode data = client.ok("bulk_delete", object("filter", Map.of("tags", List.of("trip"))));

    assertEquals(1, data.get("deleted_count").intValue());
    assertEquals(List.of(parent), texts(data.get("memory_ids")));
    assertEquals(Set.of(child, kept), Set.copyOf(memoryIds(client.listAll().get("memories"))));
    assertTrue(client.ok("read", object("memory_id", child)).get("parent_id").isNull());
  }

  @Test
  void stats_afterWrites_countsEverything() {
    client.create(object("content", "a", "memory_type", "semantic", "memory_tier", "short"));
    client.create(object("content", "b", "memory_type", "semantic"));
    client.create(object("content", "c", "memory_type", "conversation"));
    client.ok("create_session", null);
    client.ok("create_context_group", object("name", "g"));

    JsonNode stats = client.ok("stats", null);

    assertEquals(3, stats.get("total_memories").intValue());
    assertEquals(0, stats.get("expired_memories").intValue());
    assertEquals(2, stats.at("/memory_type_distribution/semantic").intValue());
    assertEquals(1, stats.at("/memory_type_distribution/conversation").intValue());
    assertEquals(2, stats.at("/memory_tier_distribution/short_term").intValue());
    assertEquals(1, stats.at("/memory_tier_distribution/long_term").intValue());
    assertEquals(0.5, stats.get("avg_importance_score").doubleValue(), 1e-12);
    assertEquals(1, stats.get("sessions").intValue());
    assertEquals(1, stats.get("active_sessions").intValue());
    assertEquals(1, stats.get("context_groups").intValue());
    assertEquals(0, stats.get("relationships").intValue());
    assertTrue(stats.get("file_size_bytes").longValue() > 0);
  }

  /** Issue 13 part 5: each score named for what it is, and a capped count said to be one. */
  @Test
  void search_namesEachScoreAndSaysWhetherTheCountIsExact() {
    String coffee = client.create(object("content", "The user drinks espresso every morning"));
    client.create(object("content", "The kitchen light bulb needs replacing"));

    JsonNode data = client.ok("search", object("query", "espresso", "explain", true));

    JsonNode hit = data.at("/results/0");
    assertEquals(coffee, hit.get("memory_id").textValue());
    assertEquals(hit.at("/score_parts/score").doubleValue(), hit.get("score").doubleValue(), 1e-9);
    assertEquals(
        hit.at("/score_parts/semantic").doubleValue(), hit.get("similarity").doubleValue(), 1e-9);
    assertEquals(
        hit.get("similarity").doubleValue(), hit.get("similarity_score").doubleValue(), 1e-9);
    assertEquals(
        hit.at("/score_parts/relevance").doubleValue(), hit.get("relevance").doubleValue(), 1e-9);
    assertEquals(2, data.get("total_count").intValue());
    assertTrue(data.get("total_count_exact").booleanValue());

    JsonNode floored =
        client.ok(
            "search",
            object("query", "quantum physics", "filters", Map.of("min_similarity", 0.99)));
    assertEquals(0, floored.get("results").size(), floored.toString());

    JsonNode keyword = client.ok("search", object("query", "espresso", "search_type", "keyword"));
    assertTrue(keyword.at("/results/0/similarity").isNull(), keyword.toString());
    assertTrue(keyword.at("/results/0/score").isNumber());
  }

  @Test
  void searchMultiQuery_rrf_findsWhatEitherQueryFinds() {
    String coffee = client.create(object("content", "The user drinks espresso every morning"));
    String birthday = client.create(object("content", "Sam's birthday is on March 15th"));
    client.create(object("content", "The kitchen light bulb needs replacing"));

    JsonNode data =
        client.ok(
            "search_multi_query",
            object(
                "queries", List.of("coffee", "birthday"),
                "aggregation_method", "rrf",
                "filters", Map.of("limit", 2)));

    assertEquals(Set.of(coffee, birthday), Set.copyOf(memoryIds(data.get("results"))));
    assertTrue(data.at("/results/0/similarity_score").isNumber());
    assertEquals("hybrid", data.at("/search_metadata/search_type").textValue());
  }

  @Test
  void getContextualMemories_expandsHitsThroughRelationships() {
    String coffee = client.create(object("content", "The user drinks espresso every morning"));
    String grinder = client.create(object("content", "A new burr grinder arrived"));
    client.ok(
        "add_relationship",
        object("source_id", coffee, "target_id", grinder, "relationship_type", "about"));

    JsonNode data =
        client.ok(
            "get_contextual_memories",
            object(
                "query",
                "espresso",
                "search_type",
                "keyword",
                "max_depth",
                1,
                "filters",
                Map.of("limit", 1)));

    assertEquals(List.of(coffee, grinder), memoryIds(data.get("results")));
    assertEquals(coffee, data.at("/results/1/expanded_from").textValue());
  }

  @Test
  void getRecentMemories_lastHoursByType() {
    String fact = client.create(object("content", "a fact", "memory_type", "semantic"));
    client.create(object("content", "a turn", "memory_type", "conversation"));

    JsonNode data =
        client.ok("get_recent_memories", object("hours", 24, "memory_types", List.of("semantic")));

    assertEquals(List.of(fact), memoryIds(data.get("memories")));
  }

  @Test
  void circuitBreaker_statusAndReset() {
    JsonNode status = client.ok("get_circuit_breaker_status", object());
    assertEquals("closed", status.get("state").textValue());
    assertEquals(0, status.get("consecutive_failures").intValue());
    assertEquals("closed", client.ok("reset_circuit_breaker", object()).get("state").textValue());
  }
}
