package dev.memstore.protocol;

import static dev.memstore.protocol.ProtocolClient.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The lifecycle actions: summarize, consolidate, prune, maintenance, health, context, learning. */
class LifecycleActionsTest {
  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withBundledModel()
          .startingAt(Instant.parse("2026-02-01T10:00:00Z"))
          .configure(builder -> builder.maintenanceInterval(Duration.ZERO));

  private final MutableClock clock = stores.clock();
  private final ProtocolClient client = new ProtocolClient(stores.store());

  private String startSession() {
    return client.ok("create_session", object("user_id", "user-1")).get("session_id").textValue();
  }

  private JsonNode inSession(String action, String sessionId, JsonNode payload) {
    ObjectNode request = client.request(action, payload);
    request.put("session_id", sessionId);
    return client.ok(request);
  }

  @Test
  void create_sameTextTwice_saysDuplicate() {
    JsonNode first =
        client.ok("create", object("content", "The user likes tea", "memory_type", "preference"));
    JsonNode second =
        client.ok("create", object("content", "the user likes tea.", "memory_type", "preference"));
    assertFalse(first.get("duplicate").booleanValue());
    assertTrue(second.get("duplicate").booleanValue());
    assertEquals(first.get("memory_id"), second.get("memory_id"));
    assertEquals(
        0.6, client.read(first.get("memory_id").textValue()).get("importance").doubleValue(), 1e-9);
  }

  @Test
  void summarize_sessionFromTheEnvelope() {
    String session = startSession();
    inSession(
        "create",
        session,
        object("content", "We planned a trip to Rome", "memory_type", "conversation"));
    clock.advance(Duration.ofMinutes(5));
    inSession(
        "create",
        session,
        object("content", "The flight leaves on Friday", "memory_type", "conversation"));
    inSession(
        "create", session, object("content", "Noted the hotel address", "memory_type", "semantic"));
    // Seed 001's shape: the criteria in the payload, the session in the envelope.
    JsonNode summary =
        inSession(
            "summarize",
            session,
            object(
                "memory_type",
                "conversation",
                "time_range",
                Map.of("start", "2026-02-01T09:00:00.000Z", "end", "2026-02-01T11:00:00.000Z")));
    assertEquals(2, summary.get("memory_count").intValue());
    assertTrue(
        summary.get("summary").textValue().startsWith("2 memories from 2026-02-01 10:00 UTC"));
    assertEquals("2026-02-01T10:05:00.000Z", summary.get("until").textValue());
  }

  @Test
  void endSession_withoutSummary_generatesAndStoresOne() {
    String session = startSession();
    inSession(
        "create",
        session,
        object("content", "We talked about jazz", "memory_type", "conversation"));
    JsonNode ended = inSession("end_session", session, object("archive", true));
    assertTrue(ended.get("summary").textValue().startsWith("1 memory from"));
    JsonNode listed = client.ok("batch_read", object("filter", Map.of("session_id", session)));
    assertEquals(1, listed.get("total_count").intValue(), "only the summary; the turn is archived");
    assertEquals(List.of("session_summary"), ProtocolClient.texts(listed.at("/memories/0/tags")));
  }

  @Test
  void consolidate_dryRunThenRun() {
    client.ok(
        "create", object("content", "The user's dog is called Rex.", "memory_type", "semantic"));
    client.ok(
        "create", object("content", "The user's dog is named Rex.", "memory_type", "semantic"));
    JsonNode plan = client.ok("consolidate", object("dry_run", true, "similarity_threshold", 0.9));
    assertEquals(1, plan.get("consolidated_count").intValue());
    assertEquals(2, client.ok("stats", null).get("total_memories").intValue());
    JsonNode done = client.ok("consolidate", object("similarity_threshold", 0.9));
    assertEquals(plan.get("groups"), done.get("groups"));
    assertEquals(1, client.ok("stats", null).get("archived_memories").intValue());
    client.rejects("consolidate", object("similarity_threshold", 2), "validation_error");
  }

  @Test
  void prune_isSeedThreesCleanup() {
    String old = client.create(object("content", "old", "importance", 0.2));
    clock.advance(Duration.ofDays(40));
    client.create(object("content", "new", "importance", 0.2));
    JsonNode plan =
        client.ok(
            "cleanup_old_memories",
            object(
                "max_age_days", 30, "min_importance", 0.3, "max_access_count", 1, "dry_run", true));
    assertEquals(List.of(old), ProtocolClient.texts(plan.get("memory_ids")));
    ProtocolClient.Snapshot before = client.snapshot();
    client.rejects("prune", object("max_age_days", 30, "min_importance", 3), "validation_error");
    assertEquals(before, client.snapshot());
    JsonNode done = client.ok("prune", object("max_age_days", 30, "min_importance", 0.3));
    assertEquals(1, done.get("deleted_count").intValue());
    client.rejects("prune", object("min_importance", 0.3), "invalid_request");
  }

  @Test
  void runMaintenanceHealthOptimizeAndStats() {
    client.create(object("content", "short lived", "ttl", 60));
    clock.advance(Duration.ofMinutes(2));
    JsonNode report = client.ok("run_maintenance", null);
    assertEquals(1, report.get("expired").intValue());
    JsonNode health = client.ok("health", null);
    assertEquals(1.0, health.get("overall_score").doubleValue());
    assertTrue(health.get("issues").isEmpty());
    JsonNode optimized = client.ok("optimize", object("vacuum", true));
    assertTrue(optimized.get("vacuumed").booleanValue());
    JsonNode stats = client.ok("stats", null);
    assertEquals(1, stats.at("/last_maintenance/expired").intValue());
    assertTrue(stats.has("cache"));
    assertTrue(stats.at("/retrievals/total_retrievals").isNumber());
  }

  @Test
  void conversationContextAndContextPack() {
    String session = startSession();
    client.create(object("content", "The user is allergic to peanuts", "memory_type", "semantic"));
    for (int turn = 1; turn <= 4; turn++) {
      inSession(
          "create", session, object("content", "turn " + turn, "memory_type", "conversation"));
      clock.advance(Duration.ofSeconds(1));
    }
    JsonNode context = inSession("get_conversation_context", session, object("limit", 2));
    assertEquals(
        List.of("turn 3", "turn 4"),
        List.of(
            context.at("/memories/0/content/text").textValue(),
            context.at("/memories/1/content/text").textValue()));
    JsonNode pack =
        inSession(
            "get_context_pack", session, object("query", "peanut allergy", "token_budget", 100));
    assertTrue(pack.get("estimated_tokens").intValue() <= 100);
    assertTrue(pack.get("profile").isArray());
    assertEquals(
        "The user is allergic to peanuts", pack.at("/relevant/0/content/text").textValue());
    client.rejects("get_context_pack", object("query", "x"), "invalid_request");
  }

  @Test
  void getContextPack_userWithFacts_answersTheProfile() {
    String session = startSession();
    client.create(
        object(
            "content",
            "The user lives in Paris.",
            "user_id",
            "user-1",
            "fact_key",
            "user-1:home_city"));
    client.create(
        object(
            "content",
            "The user lives in Berlin.",
            "user_id",
            "user-1",
            "fact_key",
            "user-1:home_city"));
    client.create(
        object(
            "content", "Bob lives in Rome.", "user_id", "user-2", "fact_key", "user-2:home_city"));

    JsonNode pack = inSession("get_context_pack", session, object("token_budget", 200));

    assertEquals(1, pack.get("profile").size(), pack.toString());
    assertEquals("The user lives in Berlin.", pack.at("/profile/0/content/text").textValue());
    assertEquals("user-1:home_city", pack.at("/profile/0/fact_key").textValue());
    assertTrue(pack.get("text").textValue().startsWith("What I know about the user:\n"));
  }

  @Test
  void learnFromInteraction_returnsTheFacts() {
    JsonNode learned =
        client.ok(
            "learn_from_interaction",
            object(
                "user_input", "I work as a nurse and I live in Porto.",
                "assistant_response", "Noted!",
                "feedback", 0.5));
    assertEquals("conversation", learned.at("/exchange/memory_type").textValue());
    assertEquals(
        List.of("The user works as nurse.", "The user lives in Porto."),
        List.of(
            learned.at("/facts/0/content/text").textValue(),
            learned.at("/facts/1/content/text").textValue()));
    // Until the store takes fact keys, the key travels in the fact's metadata.
    assertEquals("user:job", learned.at("/facts/0/fact_key").textValue());
    assertEquals("user:home_city", learned.at("/facts/1/fact_key").textValue());
    client.rejects("learn_from_interaction", object("feedback", 0.5), "invalid_request");
    client.rejects(
        "learn_from_interaction", object("user_input", "hi", "feedback", 2), "validation_error");
  }
}
