package dev.memstore.internal.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.memstore.AccessPolicy;
import dev.memstore.AgentPolicy;
import dev.memstore.AgentRight;
import dev.memstore.Durability;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.Ranking;
import dev.memstore.RetentionPolicy;
import dev.memstore.SensitiveText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Reads {@code memory_config.yaml} into typed option values: each top-level key is a {@code
 * MemoryStoreBuilder} option in snake case; {@code ranking} and {@code retention} are objects of
 * their records' fields. An unknown key or a value of the wrong kind fails with an {@link
 * IllegalArgumentException} naming the file and the key; the builder applies the values through its
 * own setters, so that its checks hold. Durations are written {@code 500ms}, {@code 10s}, {@code
 * 5m}, {@code 2h}, {@code 7d} or ISO-8601 ({@code PT10S}).
 */
public final class ConfigFile {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final String source;
  private final JsonNode root;

  private ConfigFile(String source, JsonNode root) {
    this.source = source;
    this.root = root;
  }

  /** Reads a file; fails naming it when it is missing or not YAML. */
  public static ConfigFile read(Path file) {
    try {
      return parse(file.toString(), Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  static ConfigFile parse(String source, String text) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          source + " is not valid YAML: " + e.getOriginalMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = YAML.createObjectNode();
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException(source + " must be a mapping of option names to values");
    }
    return new ConfigFile(source, root);
  }

  /** Returns the {@code path} key resolved against the file's folder, or null without one. */
  public Path databasePath(Path configFile) {
    JsonNode path = root.get("path");
    if (path == null) {
      return null;
    }
    if (!path.isTextual() || path.textValue().isBlank()) {
      throw bad("path", "must be a file name");
    }
    Path parent = configFile.toAbsolutePath().getParent();
    return parent.resolve(path.textValue());
  }

  /**
   * Returns every option but {@code path}, in the file's order, keyed by its snake-case name: a
   * {@link Boolean}, {@link Integer}, {@link Double}, {@link String}, {@link Duration} (zero for
   * {@code none}), {@link Durability}, {@link SensitiveText}, {@link Ranking} or {@link
   * RetentionPolicy}, as the builder method of that name takes.
   */
  public Map<String, Object> options() {
    Map<String, BiFunction<String, JsonNode, Object>> parsers = new LinkedHashMap<>();
    parsers.put("path", (key, value) -> null);
    parsers.put("read_only", this::bool);
    parsers.put("create_if_missing", this::bool);
    parsers.put("embedding_model", this::text);
    parsers.put("max_content_bytes", this::integer);
    parsers.put("busy_timeout", this::duration);
    parsers.put("durability", (key, value) -> choice(key, value, Durability.class));
    parsers.put("checkpoint_delay", this::duration);
    parsers.put("snapshot_interval", this::durationOrNone);
    parsers.put("reader_connections", this::integer);
    parsers.put("maintenance_interval", this::durationOrNone);
    parsers.put("cache_size", this::integer);
    parsers.put("cache_expiry", this::duration);
    parsers.put("preload_important", this::integer);
    parsers.put("consolidation_threshold", this::number);
    parsers.put("consolidation_window", this::duration);
    parsers.put("encryption_key_file", this::text);
    parsers.put("compression_threshold", this::integer);
    parsers.put("profile_share", this::number);
    parsers.put("ranking", this::ranking);
    parsers.put("retention", this::retention);
    parsers.put("audit_retention", this::durationOrNone);
    parsers.put("sensitive_text", (key, value) -> choice(key, value, SensitiveText.class));
    parsers.put("agents", this::accessPolicy);
    parsers.put("default_agent", this::defaultAgentAlone);
    Map<String, Object> options = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      BiFunction<String, JsonNode, Object> parser = parsers.get(field.getKey());
      if (parser == null) {
        throw bad(
            field.getKey(), "is not an option; known: " + String.join(", ", parsers.keySet()));
      }
      Object value;
      try {
        value = parser.apply(field.getKey(), field.getValue());
      } catch (IllegalArgumentException | IllegalStateException e) {
        // Ranking and RetentionPolicy check their own fields; name the key in their message too.
        if (e.getMessage() != null && e.getMessage().startsWith(source)) {
          throw e;
        }
        throw bad(field.getKey(), e.getMessage());
      }
      if (value != null) {
        options.put(field.getKey(), value);
      }
    }
    return Collections.unmodifiableMap(options);
  }

  private Duration durationOrNone(String key, JsonNode value) {
    return value.isTextual() && value.textValue().equals("none")
        ? Duration.ZERO
        : duration(key, value);
  }

  private Ranking ranking(String key, JsonNode value) {
    Map<String, JsonNode> fields =
        object(
            key,
            value,
            List.of("semantic_weight", "importance_weight", "recency_weight", "recency_half_life"));
    Ranking defaults = Ranking.DEFAULT;
    return new Ranking(
        fields.containsKey("semantic_weight")
            ? number(key + ".semantic_weight", fields.get("semantic_weight"))
            : defaults.semanticWeight(),
        fields.containsKey("importance_weight")
            ? number(key + ".importance_weight", fields.get("importance_weight"))
            : defaults.importanceWeight(),
        fields.containsKey("recency_weight")
            ? number(key + ".recency_weight", fields.get("recency_weight"))
            : defaults.recencyWeight(),
        fields.containsKey("recency_half_life")
            ? duration(key + ".recency_half_life", fields.get("recency_half_life"))
            : defaults.recencyHalfLife());
  }

  private RetentionPolicy retention(String key, JsonNode value) {
    Map<String, JsonNode> fields =
        object(
            key,
            value,
            List.of(
                "half_life",
                "type_half_life",
                "prune_floor",
                "max_memories",
                "short_term_lifetime",
                "promote_after_accesses",
                "promote_at_importance",
                "short_term_window",
                "max_deletion_share"));
    RetentionPolicy policy = RetentionPolicy.DEFAULT;
    if (fields.containsKey("half_life")) {
      List<String> tiers = new ArrayList<>();
      for (MemoryTier tier : MemoryTier.values()) {
        tiers.add(tier.wireName());
      }
      for (Map.Entry<String, JsonNode> tier :
          object(key + ".half_life", fields.get("half_life"), tiers).entrySet()) {
        policy =
            policy.withHalfLife(
                MemoryTier.fromName(tier.getKey()).orElseThrow(),
                duration(key + ".half_life." + tier.getKey(), tier.getValue()));
      }
    }
    if (fields.containsKey("type_half_life")) {
      List<String> types = new ArrayList<>();
      for (MemoryType type : MemoryType.values()) {
        types.add(type.wireName());
      }
      for (Map.Entry<String, JsonNode> type :
          object(key + ".type_half_life", fields.get("type_half_life"), types).entrySet()) {
        policy =
            policy.withHalfLife(
                MemoryType.fromName(type.getKey()).orElseThrow(),
                duration(key + ".type_half_life." + type.getKey(), type.getValue()));
      }
    }
    if (fields.containsKey("prune_floor")) {
      policy = policy.withPruneFloor(number(key + ".prune_floor", fields.get("prune_floor")));
    }
    if (fields.containsKey("max_deletion_share")) {
      policy =
          policy.withMaxDeletionShare(
              number(key + ".max_deletion_share", fields.get("max_deletion_share")));
    }
    if (fields.containsKey("max_memories")) {
      policy = policy.withMaxMemories(integer(key + ".max_memories", fields.get("max_memories")));
    }
    if (fields.containsKey("short_term_lifetime")) {
      JsonNode lifetime = fields.get("short_term_lifetime");
      policy =
          policy.withShortTermLifetime(
              lifetime.isTextual() && lifetime.textValue().equals("none")
                  ? null
                  : duration(key + ".short_term_lifetime", lifetime));
    }
    if (fields.containsKey("promote_after_accesses")
        || fields.containsKey("promote_at_importance")) {
      policy =
          policy.withPromotion(
              fields.containsKey("promote_after_accesses")
                  ? integer(key + ".promote_after_accesses", fields.get("promote_after_accesses"))
                  : policy.promoteAfterAccesses(),
              fields.containsKey("promote_at_importance")
                  ? number(key + ".promote_at_importance", fields.get("promote_at_importance"))
                  : policy.promoteAtImportance());
    }
    if (fields.containsKey("short_term_window")) {
      policy =
          policy.withShortTermWindow(
              integer(key + ".short_term_window", fields.get("short_term_window")));
    }
    return policy;
  }

  /**
   * The {@code agents} mapping (agent name to its {@code secret_hash}, {@code rights}, {@code
   * types}, {@code tiers}, {@code users}, {@code requests_per_second} and {@code
   * writes_per_second}) with the {@code default_agent} key, as one {@link AccessPolicy}.
   */
  private AccessPolicy accessPolicy(String key, JsonNode value) {
    if (!value.isObject() || value.isEmpty()) {
      throw bad(key, "must be a mapping of agent names to their rights");
    }
    AccessPolicy.Builder policy = AccessPolicy.builder();
    for (Map.Entry<String, JsonNode> entry : value.properties()) {
      String prefix = key + "." + entry.getKey();
      Map<String, JsonNode> fields =
          object(
              prefix,
              entry.getValue(),
              List.of(
                  "secret_hash",
                  "rights",
                  "types",
                  "tiers",
                  "users",
                  "requests_per_second",
                  "writes_per_second"));
      AgentPolicy.Builder agent = AgentPolicy.builder(entry.getKey());
      if (fields.containsKey("secret_hash")) {
        agent.secretHash(text(prefix + ".secret_hash", fields.get("secret_hash")));
      }
      agent.rights(
          names(
              prefix + ".rights", fields.get("rights"), AgentRight::fromName, AgentRight.values()));
      agent.types(
          names(prefix + ".types", fields.get("types"), MemoryType::fromName, MemoryType.values()));
      agent.tiers(
          names(prefix + ".tiers", fields.get("tiers"), MemoryTier::fromName, MemoryTier.values()));
      agent.users(names(prefix + ".users", fields.get("users"), Optional::of, new String[0]));
      if (fields.containsKey("requests_per_second")) {
        agent.requestsPerSecond(
            number(prefix + ".requests_per_second", fields.get("requests_per_second")));
      }
      if (fields.containsKey("writes_per_second")) {
        agent.writesPerSecond(
            number(prefix + ".writes_per_second", fields.get("writes_per_second")));
      }
      policy.agent(agent.build());
    }
    JsonNode defaultAgent = root.get("default_agent");
    if (defaultAgent != null) {
      policy.defaultAgent(text("default_agent", defaultAgent));
    }
    return policy.build();
  }

  /** {@code default_agent} is read with {@code agents}; alone it means nothing. */
  private Object defaultAgentAlone(String key, JsonNode value) {
    if (root.get("agents") == null) {
      throw bad(key, "needs an agents mapping that defines the agent");
    }
    return null;
  }

  /** A list of names (or one name), each parsed; empty when missing. */
  private <T> List<T> names(
      String key, JsonNode value, Function<String, Optional<T>> parse, Object[] known) {
    List<T> values = new ArrayList<>();
    if (value == null) {
      return values;
    }
    List<JsonNode> items = new ArrayList<>();
    if (value.isArray()) {
      value.forEach(items::add);
    } else {
      items.add(value);
    }
    for (JsonNode item : items) {
      String name = text(key, item);
      values.add(
          parse
              .apply(name)
              .orElseThrow(
                  () ->
                      bad(
                          key,
                          "names '"
                              + name
                              + "'; known: "
                              + String.join(
                                  ", ",
                                  Arrays.stream(known)
                                      .map(each -> each.toString().toLowerCase(Locale.ROOT))
                                      .toList()))));
    }
    return values;
  }

  private Map<String, JsonNode> object(String key, JsonNode value, List<String> known) {
    if (!value.isObject()) {
      throw bad(key, "must be a mapping");
    }
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : value.properties()) {
      if (!known.contains(field.getKey())) {
        throw bad(
            key + "." + field.getKey(), "is not an option; known: " + String.join(", ", known));
      }
      fields.put(field.getKey(), field.getValue());
    }
    return fields;
  }

  private boolean bool(String key, JsonNode value) {
    if (!value.isBoolean()) {
      throw bad(key, "must be true or false, was " + value);
    }
    return value.booleanValue();
  }

  private int integer(String key, JsonNode value) {
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw bad(key, "must be a whole number, was " + value);
    }
    return value.intValue();
  }

  private double number(String key, JsonNode value) {
    if (!value.isNumber()) {
      throw bad(key, "must be a number, was " + value);
    }
    return value.doubleValue();
  }

  private String text(String key, JsonNode value) {
    if (!value.isTextual()) {
      throw bad(key, "must be text, was " + value);
    }
    return value.textValue();
  }

  private <E extends Enum<E>> E choice(String key, JsonNode value, Class<E> type) {
    String name = text(key, value);
    try {
      return Enum.valueOf(type, name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> names = new ArrayList<>();
      for (E constant : type.getEnumConstants()) {
        names.add(constant.name().toLowerCase(Locale.ROOT));
      }
      throw bad(key, "must be one of " + String.join(", ", names) + ", was '" + name + "'");
    }
  }

  private Duration duration(String key, JsonNode value) {
    try {
      return Durations.parse(text(key, value));
    } catch (IllegalArgumentException e) {
      throw bad(key, e.getMessage());
    }
  }

  private IllegalArgumentException bad(String key, String problem) {
    return new IllegalArgumentException(source + ": " + key + " " + problem);
  }
}
