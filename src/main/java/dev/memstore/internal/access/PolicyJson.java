package dev.memstore.internal.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memstore.AccessPolicy;
import dev.memstore.AgentPolicy;
import dev.memstore.AgentRight;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.StorageException;
import dev.memstore.internal.json.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * An {@link AccessPolicy} as the JSON saved in the file's {@code store_meta}: secret hashes, never
 * secrets. Names are the config file's: {@code default_agent}, {@code agents} with {@code name},
 * {@code secret_hash}, {@code rights}, {@code types}, {@code tiers}, {@code users}, {@code
 * requests_per_second}, {@code writes_per_second}.
 */
final class PolicyJson {
  private PolicyJson() {}

  static String write(AccessPolicy policy) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("default_agent", policy.defaultAgent());
    ArrayNode agents = root.putArray("agents");
    for (AgentPolicy agent : policy.agents()) {
      ObjectNode node = agents.addObject();
      node.put("name", agent.name());
      node.put("secret_hash", agent.secretHash());
      names(node.putArray("rights"), agent.rights(), AgentRight::wireName);
      names(node.putArray("types"), agent.types(), MemoryType::wireName);
      names(node.putArray("tiers"), agent.tiers(), MemoryTier::wireName);
      names(node.putArray("users"), agent.users(), user -> user);
      node.put("requests_per_second", agent.requestsPerSecond());
      node.put("writes_per_second", agent.writesPerSecond());
    }
    return Json.write(root);
  }

  private static <T> void names(ArrayNode array, Collection<T> values, Function<T, String> name) {
    values.stream().map(name).sorted().forEach(array::add);
  }

  /**
   * Reads a saved policy.
   *
   * @throws StorageException when the saved text is not a policy (the file was damaged or written
   *     by hand): the store refuses to guess what it allowed
   */
  static AccessPolicy read(String json) {
    try {
      JsonNode root = Json.MAPPER.readTree(json);
      AccessPolicy.Builder policy = AccessPolicy.builder();
      for (JsonNode node : root.get("agents")) {
        AgentPolicy.Builder agent =
            AgentPolicy.builder(node.get("name").textValue())
                .secretHash(text(node.get("secret_hash")))
                .rights(values(node.get("rights"), name -> AgentRight.fromName(name).orElseThrow()))
                .types(values(node.get("types"), name -> MemoryType.fromName(name).orElseThrow()))
                .tiers(values(node.get("tiers"), name -> MemoryTier.fromName(name).orElseThrow()))
                .users(values(node.get("users"), name -> name))
                .requestsPerSecond(node.get("requests_per_second").doubleValue())
                .writesPerSecond(node.get("writes_per_second").doubleValue());
        policy.agent(agent.build());
      }
      return policy.defaultAgent(text(root.get("default_agent"))).build();
    } catch (java.io.IOException | RuntimeException e) {
      throw new StorageException(
          "the access policy saved in the file cannot be read ("
              + e.getMessage()
              + "); open the store with a policy to replace it",
          e);
    }
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.textValue();
  }

  private static <T> List<T> values(JsonNode array, Function<String, T> parse) {
    List<T> values = new ArrayList<>();
    for (JsonNode item : array) {
      values.add(parse.apply(item.textValue()));
    }
    return values;
  }
}
