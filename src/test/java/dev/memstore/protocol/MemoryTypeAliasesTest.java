package dev.memstore.protocol;

import static dev.memstore.protocol.ProtocolClient.memoryIds;
import static dev.memstore.protocol.ProtocolClient.object;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memstore.testing.MemoryStoreExtension;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The seeds' other spellings of memory types and tiers read and filter as the canonical ones. */
class MemoryTypeAliasesTest {
  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withBundledModel().onSystemClock();

  private final ProtocolClient client = new ProtocolClient(stores.store());

  @ParameterizedTest
  @CsvSource({
    "user_preference, preference",
    "preference, preference",
    "agent_state, agent_state",
    "contextual, context",
    "context, context",
    "conversation, conversation"
  })
  void create_seedTypeName_readsCanonicalType(String given, String canonical) {
    String memoryId = client.create(object("content", "x", "memory_type", given));

    JsonNode memory = client.read(memoryId);

    assertEquals(canonical, memory.get("memory_type").textValue());
    assertEquals(
        canonical.equals("conversation") ? "short_term" : "long_term",
        memory.get("memory_tier").textValue(),
        "the default tier: short-term for conversation turns only");
  }

  @ParameterizedTest
  @CsvSource({"short_term, short_term", "long_term, long_term", "working, working"})
  void create_seed004TierAsType_setsTierWithGeneralType(String given, String tier) {
    String memoryId = client.create(object("content", "x", "memory_type", given));

    JsonNode memory = client.read(memoryId);

    assertEquals("general", memory.get("memory_type").textValue());
    assertEquals(tier, memory.get("memory_tier").textValue());
  }

  @ParameterizedTest
  @CsvSource({"short, short_term", "long, long_term", "working, working", "long_term, long_term"})
  void create_seed002TierName_readsCanonicalTier(String given, String canonical) {
    String memoryId =
        client.create(object("content", "x", "memory_type", "semantic", "memory_tier", given));

    JsonNode memory = client.read(memoryId);

    assertEquals("semantic", memory.get("memory_type").textValue());
    assertEquals(canonical, memory.get("memory_tier").textValue());
  }

  @Test
  void update_aliasType_storesCanonicalType() {
    String memoryId = client.create("x");

    client.ok("update", object("memory_id", memoryId, "memory_type", "user_preference"));

    assertEquals("preference", client.read(memoryId).get("memory_type").textValue());
  }

  @Test
  void batchRead_filterByAliasType_findsPreferences() {
    String alias = client.create(object("content", "likes jazz", "memory_type", "user_preference"));
    String canonical = client.create(object("content", "likes tea", "memory_type", "preference"));
    client.create(object("content", "chat", "memory_type", "conversation"));

    JsonNode data =
        client.ok("batch_read", object("filter", Map.of("memory_type", "user_preference")));

    assertEquals(Set.of(alias, canonical), Set.copyOf(memoryIds(data.get("memories"))));
    assertEquals(2, data.get("total_count").intValue());
  }

  @Test
  void batchRead_filterMemoryTypesNamingTier_findsByTier() {
    String longTerm = client.create(object("content", "a", "memory_type", "long_term"));
    String longSemantic =
        client.create(object("content", "b", "memory_type", "semantic", "memory_tier", "long"));
    client.create(object("content", "c", "memory_type", "short_term"));
    client.create(object("content", "d", "memory_type", "semantic", "memory_tier", "short"));

    JsonNode data =
        client.ok("batch_read", object("filter", Map.of("memory_types", List.of("long_term"))));

    assertEquals(Set.of(longTerm, longSemantic), Set.copyOf(memoryIds(data.get("memories"))));
  }

  @Test
  void batchRead_filterMemoryTierAlias_findsByTier() {
    client.create(object("content", "a", "memory_type", "long_term"));
    String shortTerm = client.create(object("content", "b", "memory_tier", "short"));

    JsonNode data = client.ok("batch_read", object("filter", Map.of("memory_tier", "short")));

    assertEquals(List.of(shortTerm), memoryIds(data.get("memories")));
  }

  @Test
  void create_tierAsTypeConflictingWithTier_validationError() {
    JsonNode error =
        client.rejects(
            "create",
            object("content", "x", "memory_type", "long_term", "memory_tier", "short"),
            "validation_error");

    assertEquals("payload.memory_type", error.at("/details/field").textValue());
  }
}
