package dev.memstore.cli.mcp;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memstore.ErrorCode;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.protocol.ProtocolHandler;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The MCP tools of a store, each a JSON protocol action in other clothes: {@code remember}
 * (create), {@code recall} (search), {@code get_context} (get_context_pack), {@code list_memories}
 * (batch_read), {@code get_memory} (read) and {@code forget}. The protocol checks and answers them
 * as {@code memctl exec} does, so the tools and the protocol cannot drift apart.
 *
 * <p>Failures: arguments that break the tool's schema, or that the protocol refuses as {@code
 * invalid_request} or {@code validation_error}, are JSON-RPC errors (invalid params) whose message
 * starts with memstore's error code, and nothing changes; any other failure of the store (a missing
 * memory, a denied right, a rate limit) is a tool result marked as an error, with the code first in
 * its text, as MCP reports failures of a tool's execution to the model.
 */
final class MemoryTools {
  static final String INSTRUCTIONS =
      "The user's long-term memory. Use remember for what is worth keeping across conversations"
          + " (preferences, facts, plans), recall to find memories by meaning before answering,"
          + " get_context for a prompt-ready pack of the user's profile and relevant memories, and"
          + " forget when the user asks to.";

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final ProtocolHandler protocol;
  private final JsonSchemaValidator validator = new DefaultJsonSchemaValidator(Json.MAPPER);

  /** Returns the validator the tools check their arguments with. */
  JsonSchemaValidator validator() {
    return validator;
  }

  MemoryTools(MemoryStore store) {
    this.protocol = new ProtocolHandler(store);
  }

  /** Returns every tool with its schema and handler. */
  List<SyncToolSpecification> specifications() {
    return List.of(
        tool(
            "remember",
            Effect.WRITES,
            "Stores a memory and returns it with its id. Exact duplicates are not stored twice.",
            object(
                List.of("content"),
                "content",
                text("What to remember, in words.", 1),
                "memory_type",
                choice("What kind of memory. Default: general.", MemoryType.values()),
                "memory_tier",
                choice("How long it is meant to last. Default: short_term.", MemoryTier.values()),
                "importance",
                number("How important, 0 to 1. Default: 0.5."),
                "tags",
                texts("Tags to find it by."),
                "user_id",
                text("Whose memory it is.", 1),
                "session_id",
                text("The conversation it belongs to.", 1),
                "fact_key",
                text(
                    "The fact it states, subject:attribute such as user-12345:home_city: a new"
                        + " memory with the key of a current fact supersedes it.",
                    1),
                "metadata",
                objectOf("Fields of your own, kept with the memory."),
                "sensitive",
                bool("Seal it: stored encrypted, shown only to readers with the key.")),
            arguments -> {
              ObjectNode payload = copy(arguments, "memory_type", "memory_tier", "importance");
              copyInto(payload, arguments, "tags", "user_id", "fact_key", "sensitive");
              if (arguments.has("metadata")) {
                ObjectNode content = payload.putObject("content");
                content.set("text", arguments.get("content"));
                content.set("metadata", arguments.get("metadata"));
              } else {
                payload.set("content", arguments.get("content"));
              }
              return request("create", arguments.get("session_id"), payload);
            },
            data -> Json.write(data)),
        tool(
            "recall",
            Effect.READS,
            "Finds the memories that match a text best, by meaning and by words; returns them with"
                + " their scores, best first.",
            object(
                List.of("query"),
                "query",
                text("What to look for, in words.", 1),
                "limit",
                integer("At most this many, 1 to 100. Default: 10.", 1, 100),
                "search_type",
                choice("semantic, keyword or hybrid (both). Default: hybrid.", SEARCH_TYPES),
                "memory_types",
                choices("Only these kinds of memory.", MemoryType.values()),
                "tags",
                texts("Only memories with any of these tags."),
                "user_id",
                text("Only this user's memories.", 1),
                "session_id",
                text("Only this conversation's memories.", 1),
                "min_similarity",
                number("Only hits at least this similar, 0 to 1.")),
            arguments -> {
              ObjectNode payload = copy(arguments, "query", "search_type");
              ObjectNode filters =
                  copy(
                      arguments,
                      "limit",
                      "memory_types",
                      "tags",
                      "user_id",
                      "session_id",
                      "min_similarity");
              if (!filters.isEmpty()) {
                payload.set("filters", filters);
              }
              return request("search", null, payload);
            },
            data -> Json.write(data)),
        tool(
            "get_context",
            Effect.READS,
            "Returns what to put into a prompt for one turn: the user's profile (their current"
                + " facts), the memories most relevant to the query and the conversation's recent"
                + " turns, cut to a token budget.",
            object(
                List.of(),
                "query",
                text("The user's message of this turn.", 1),
                "session_id",
                text("The conversation: its user and recent turns.", 1),
                "token_budget",
                integer(
                    "The most tokens the pack may hold, 16 to 1000000. Default: "
                        + DEFAULT_TOKEN_BUDGET
                        + ".",
                    16,
                    1_000_000)),
            arguments -> {
              ObjectNode payload = copy(arguments, "query");
              payload.put(
                  "token_budget", arguments.path("token_budget").asInt(DEFAULT_TOKEN_BUDGET));
              return request("get_context_pack", arguments.get("session_id"), payload);
            },
            data -> data.path("text").asText()),
        tool(
            "list_memories",
            Effect.READS,
            "Lists the memories that match every filter given, newest first, one page at a time.",
            object(
                List.of(),
                "memory_types",
                choices("Only these kinds of memory.", MemoryType.values()),
                "memory_tiers",
                choices("Only these tiers.", MemoryTier.values()),
                "tags",
                texts("Only memories with any of these tags."),
                "user_id",
                text("Only this user's memories.", 1),
                "session_id",
                text("Only this conversation's memories.", 1),
                "min_importance",
                number("Only memories at least this important, 0 to 1."),
                "limit",
                integer("At most this many, 1 to 1000. Default: 50.", 1, 1000),
                "offset",
                integer("Skip this many first.", 0, Integer.MAX_VALUE)),
            arguments -> {
              ObjectNode payload = Json.MAPPER.createObjectNode();
              payload.set(
                  "filter",
                  copy(
                      arguments,
                      "memory_types",
                      "memory_tiers",
                      "tags",
                      "user_id",
                      "session_id",
                      "min_importance",
                      "limit",
                      "offset"));
              return request("batch_read", null, payload);
            },
            data -> Json.write(data)),
        tool(
            "get_memory",
            Effect.READS,
            "Returns one memory by its id.",
            object(List.of("memory_id"), "memory_id", text("The memory's id (mem-...).", 1)),
            arguments -> request("read", null, copy(arguments, "memory_id")),
            data -> Json.write(data)),
        tool(
            "forget",
            Effect.DELETES,
            "Forgets for good the memories selected by ids, by a text (the closest matches) or"
                + " both, with what was built from them, and returns a receipt. Every criterion"
                + " given must hold. With dry_run, only returns what would be forgotten.",
            object(
                List.of(),
                "memory_ids",
                texts("These memories."),
                "query",
                text("Memories about this text.", 1),
                "user_id",
                text("Only this user's memories.", 1),
                "tags",
                texts("Only memories with any of these tags."),
                "dry_run",
                bool("Only show what would be forgotten; change nothing.")),
            arguments -> {
              ObjectNode payload = copy(arguments, "memory_ids", "query", "dry_run");
              ObjectNode filters = copy(arguments, "user_id", "tags");
              if (!filters.isEmpty()) {
                payload.set("filters", filters);
              }
              return request("forget", null, payload);
            },
            data -> Json.write(data)));
  }

  // The validator's words before its list of violations, which say nothing the code does not.
  private static final String SCHEMA_ERROR_PREFIX =
      "Validation failed: JSON schema validation errors: ";

  private static final Pattern PAYLOAD_PATH = Pattern.compile("payload\\.(filters?\\.)?");

  // As memctl context's default.
  private static final int DEFAULT_TOKEN_BUDGET = 1000;

  private static final String[] SEARCH_TYPES = {"semantic", "keyword", "hybrid"};

  /** What a tool does to the store, for the hints a client shows its user or decides by. */
  private enum Effect {
    READS(new ToolAnnotations(null, true, false, true, false, null)),
    WRITES(new ToolAnnotations(null, false, false, false, false, null)),
    DELETES(new ToolAnnotations(null, false, true, true, false, null));

    private final ToolAnnotations hints;

    Effect(ToolAnnotations hints) {
      this.hints = hints;
    }
  }

  private SyncToolSpecification tool(
      String name,
      Effect effect,
      String description,
      ObjectNode schema,
      Function<ObjectNode, ObjectNode> toRequest,
      Function<JsonNode, String> toText) {
    Map<String, Object> schemaMap = Json.MAPPER.convertValue(schema, MAP);
    return SyncToolSpecification.builder()
        .tool(
            Tool.builder(name, schemaMap)
                .description(description)
                .annotations(effect.hints)
                .build())
        .callHandler((exchange, call) -> call(name, schemaMap, call, toRequest, toText))
        .build();
  }

  private CallToolResult call(
      String name,
      Map<String, Object> schema,
      CallToolRequest call,
      Function<ObjectNode, ObjectNode> toRequest,
      Function<JsonNode, String> toText) {
    Map<String, Object> arguments = call.arguments() == null ? Map.of() : call.arguments();
    JsonSchemaValidator.ValidationResponse valid = validator.validate(schema, arguments);
    if (!valid.valid()) {
      throw invalid(
          ErrorCode.INVALID_REQUEST,
          name + ": " + valid.errorMessage().replace(SCHEMA_ERROR_PREFIX, ""),
          Json.MAPPER.createObjectNode().put("tool", name));
    }
    JsonNode response =
        Json.readInput(
            protocol.handle(Json.write(toRequest.apply(Json.MAPPER.valueToTree(arguments)))),
            "the protocol's response",
            "response");
    if ("success".equals(response.path("status").asText())) {
      JsonNode data = response.path("data");
      return CallToolResult.builder()
          .addTextContent(toText.apply(data))
          .structuredContent(Json.MAPPER.convertValue(data, MAP))
          .isError(false)
          .build();
    }
    ObjectNode error = (ObjectNode) response.path("error");
    String code = error.path("code").asText();
    // The protocol names fields as its payload holds them; a tool's caller knows its arguments.
    error.put("message", PAYLOAD_PATH.matcher(error.path("message").asText()).replaceAll(""));
    String message = code + ": " + error.path("message").asText();
    if (code.equals(ErrorCode.INVALID_REQUEST.wireName())
        || code.equals(ErrorCode.VALIDATION_ERROR.wireName())) {
      throw invalid(message, error);
    }
    return CallToolResult.builder()
        .addTextContent(message)
        .structuredContent(Map.of("error", Json.MAPPER.convertValue(error, MAP)))
        .isError(true)
        .build();
  }

  private static McpError invalid(ErrorCode code, String message, ObjectNode details) {
    ObjectNode error = Json.MAPPER.createObjectNode();
    error.put("code", code.wireName());
    error.put("message", message);
    error.set("details", details);
    return invalid(code.wireName() + ": " + message, error);
  }

  private static McpError invalid(String message, JsonNode error) {
    return McpError.builder(ErrorCodes.INVALID_PARAMS)
        .message(message)
        .data(Json.MAPPER.convertValue(error, MAP))
        .build();
  }

  private static ObjectNode request(String action, JsonNode sessionId, ObjectNode payload) {
    ObjectNode request = Json.MAPPER.createObjectNode();
    request.put("action", action);
    if (sessionId != null) {
      request.set("session_id", sessionId);
    }
    request.set("payload", payload);
    return request;
  }

  private static ObjectNode copy(ObjectNode from, String... names) {
    return copyInto(Json.MAPPER.createObjectNode(), from, names);
  }

  private static ObjectNode copyInto(ObjectNode into, ObjectNode from, String... names) {
    for (String name : names) {
      if (from.has(name)) {
        into.set(name, from.get(name));
      }
    }
    return into;
  }

  // The schemas: JSON Schema objects that refuse unknown arguments.

  private static ObjectNode object(List<String> required, Object... properties) {
    ObjectNode schema = Json.MAPPER.createObjectNode();
    schema.put("type", "object");
    ObjectNode fields = schema.putObject("properties");
    for (int index = 0; index < properties.length; index += 2) {
      fields.set((String) properties[index], (ObjectNode) properties[index + 1]);
    }
    ArrayNode names = schema.putArray("required");
    required.forEach(names::add);
    schema.put("additionalProperties", false);
    return schema;
  }

  private static ObjectNode described(String type, String description) {
    ObjectNode schema = Json.MAPPER.createObjectNode();
    schema.put("type", type);
    schema.put("description", description);
    return schema;
  }

  private static ObjectNode text(String description, int minLength) {
    return described("string", description).put("minLength", minLength);
  }

  private static ObjectNode texts(String description) {
    ObjectNode schema = described("array", description);
    schema.putObject("items").put("type", "string").put("minLength", 1);
    return schema;
  }

  private static ObjectNode number(String description) {
    return described("number", description).put("minimum", 0).put("maximum", 1);
  }

  private static ObjectNode integer(String description, int minimum, int maximum) {
    return described("integer", description).put("minimum", minimum).put("maximum", maximum);
  }

  private static ObjectNode bool(String description) {
    return described("boolean", description);
  }

  private static ObjectNode objectOf(String description) {
    return described("object", description);
  }

  private static ObjectNode choice(String description, Object[] values) {
    ObjectNode schema = described("string", description);
    ArrayNode names = schema.putArray("enum");
    Arrays.stream(values).map(MemoryTools::wireName).forEach(names::add);
    return schema;
  }

  private static ObjectNode choices(String description, Object[] values) {
    ObjectNode schema = described("array", description);
    schema.set("items", choice(description, values).without("description"));
    return schema;
  }

  private static String wireName(Object value) {
    if (value instanceof MemoryType type) {
      return type.wireName();
    }
    if (value instanceof MemoryTier tier) {
      return tier.wireName();
    }
    return value.toString();
  }
}
