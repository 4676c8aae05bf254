package dev.memstore.internal.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memstore.ErrorCode;
import dev.memstore.InvalidRequestException;
import dev.memstore.MemoryProtocol;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryStoreException;
import dev.memstore.internal.access.AgentAccess;
import dev.memstore.internal.access.Agents;
import dev.memstore.internal.json.Json;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Seed 001's protocol over a {@link MemoryStore}: reads the envelope, hands the payload to the
 * action (the groups {@link MemoryActions}, {@link SearchActions}, {@link SessionActions}, {@link
 * LinkActions}, {@link LifecycleActions} and {@link ForgetActions}), and writes the answer or the
 * error in the seed's envelope. Each action reads its payload strictly (unknown fields are refused,
 * so a misspelt name never silently does nothing) and calls the store once.
 */
public final class ProtocolHandler implements MemoryProtocol {
  private static final System.Logger LOG = System.getLogger(ProtocolHandler.class.getName());
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> ENVELOPE =
      Set.of(
          "action",
          "session_id",
          "payload",
          "request_id",
          "timestamp",
          "source_agent",
          "agent_secret");
  private static final String INTERNAL_MESSAGE =
      "internal error while handling this request; nothing was changed; memstore's log has the"
          + " details, please report it";

  /**
   * The longest message an error answer carries; longer ones are cut, never echoing whole input.
   */
  private static final int MAX_MESSAGE = 1000;

  /** Text that only Java internals write; an answer must never carry it. */
  private static final Pattern JAVA_TEXT =
      Pattern.compile(
          "java\\.|javax\\.|com\\.fasterxml|Exception|\\bat dev\\.memstore|"
              + "fromIndex|toIndex|long overflow|integer overflow|StreamReadConstraints|"
              + "StreamWriteConstraints");

  private final MemoryStore store;

  /** Every action by its wire name; each group holds the store and answers its actions. */
  private final Map<String, Function<Request, JsonNode>> actions;

  /** The agents of the store, for requests that name a source_agent; null for a foreign store. */
  private final Agents agents;

  /** How many agents' actions are kept for reuse; a store without a policy accepts any name. */
  private static final int MAX_AGENTS = 256;

  /** The actions over each agent's store, built on the agent's first request. */
  private final Map<MemoryStore, Map<String, Function<Request, JsonNode>>> actionsByStore =
      new ConcurrentHashMap<>();

  public ProtocolHandler(MemoryStore store) {
    this.store = store;
    this.actions = actionsOver(store);
    this.agents = AgentAccess.of(store);
  }

  private static Map<String, Function<Request, JsonNode>> actionsOver(MemoryStore store) {
    Map<String, Function<Request, JsonNode>> actions = new LinkedHashMap<>();
    MemoryActions memories = new MemoryActions(store);
    actions.put("create", memories::create);
    actions.put("read", memories::read);
    actions.put("update", memories::update);
    actions.put("delete", memories::delete);
    actions.put("batch_read", memories::batchRead);
    actions.put("bulk_delete", memories::bulkDelete);
    actions.put("batch_add_memories", memories::batchAdd);
    actions.put("batch_get_memories", memories::batchGet);
    actions.put("get_children", memories::children);
    actions.put("reinforce_memory", memories::reinforce);
    actions.put("get_history", memories::history);
    actions.put("restore_fact", memories::restoreFact);
    LinkActions links = new LinkActions(store);
    actions.put("add_relationship", links::addRelationship);
    actions.put("get_related_memories", links::related);
    actions.put("remove_relationship", links::removeRelationship);
    actions.put("create_context_group", links::createGroup);
    actions.put("list_context_groups", links::listGroups);
    actions.put("add_to_group", links::addToGroup);
    actions.put("remove_from_group", links::removeFromGroup);
    actions.put("get_memories_by_group", links::groupMembers);
    SessionActions sessions = new SessionActions(store);
    actions.put("create_session", sessions::createSession);
    actions.put("get_session", sessions::getSession);
    actions.put("list_sessions", sessions::listSessions);
    actions.put("end_session", sessions::endSession);
    actions.put("get_conversation_context", sessions::conversationContext);
    SearchActions searches = new SearchActions(store);
    actions.put("search", searches::search);
    actions.put("search_multi_query", searches::searchMultiQuery);
    actions.put("get_contextual_memories", searches::contextualMemories);
    actions.put("get_recent_memories", searches::recentMemories);
    actions.put("get_context_pack", searches::contextPack);
    LifecycleActions lifecycle = new LifecycleActions(store);
    actions.put("stats", lifecycle::stats);
    actions.put("get_circuit_breaker_status", lifecycle::circuitBreakerStatus);
    actions.put("reset_circuit_breaker", lifecycle::resetCircuitBreaker);
    actions.put("embed_pending", lifecycle::embedPending);
    actions.put("summarize", lifecycle::summarize);
    actions.put("consolidate", lifecycle::consolidate);
    actions.put("prune", lifecycle::prune);
    actions.put("cleanup_old_memories", lifecycle::prune);
    actions.put("run_maintenance", lifecycle::runMaintenance);
    actions.put("health", lifecycle::health);
    actions.put("optimize", lifecycle::optimize);
    actions.put("learn_from_interaction", lifecycle::learn);
    ForgetActions forgetting = new ForgetActions(store);
    actions.put("forget", forgetting::forget);
    return actions;
  }

  /**
   * The action over the store of the request's agent: the handler's own store without a {@code
   * source_agent}, else that agent's (authenticated with {@code agent_secret}).
   */
  private Function<Request, JsonNode> actionFor(
      String action, String sourceAgent, String agentSecret) {
    if (sourceAgent == null || agents == null) {
      return actions.get(action);
    }
    char[] secret = agentSecret == null ? null : agentSecret.toCharArray();
    try {
      MemoryStore agentStore = agents.store(sourceAgent, secret, action);
      Map<String, Function<Request, JsonNode>> agentActions = actionsByStore.get(agentStore);
      if (agentActions == null) {
        agentActions = actionsOver(agentStore);
        if (actionsByStore.size() < MAX_AGENTS) {
          actionsByStore.put(agentStore, agentActions);
        }
      }
      return agentActions.get(action);
    } finally {
      if (secret != null) {
        Arrays.fill(secret, '\0');
      }
    }
  }

  /** Returns the names of the actions this handler answers. */
  public Set<String> actionNames() {
    return new TreeSet<>(actions.keySet());
  }

  @Override
  public String handle(String requestJson) {
    String action = null;
    JsonNode requestId = null;
    try {
      JsonNode request = Json.readInput(requestJson, "the request", "request");
      if (!request.isObject()) {
        throw new InvalidRequestException("the request must be a JSON object");
      }
      ObjectNode envelope = (ObjectNode) request;
      requestId = envelope.get("request_id");
      Fields fields = new Fields(envelope, "request");
      action = fields.requiredText("action");
      if (requestId != null && !requestId.isTextual() && !requestId.isNull()) {
        requestId = null;
        throw new InvalidRequestException(
            "request.request_id must be a string", Map.of("field", "request.request_id"));
      }
      if (requestId != null && requestId.isTextual() && requestId.textValue().length() > 256) {
        requestId = null;
        throw new InvalidRequestException(
            "request.request_id must be at most 256 characters",
            Map.of("field", "request.request_id"));
      }
      // After the action and request id, so that the error response can echo them.
      fields.allow(ENVELOPE);
      fields.instant("timestamp");
      String sessionId = fields.text("session_id");
      Fields payload = fields.object("payload");
      String sourceAgent = fields.text("source_agent");
      String agentSecret = fields.text("agent_secret");
      if (!actions.containsKey(action)) {
        throw new InvalidRequestException(
            "unknown action '"
                + Json.excerpt(action, 64)
                + "'; known actions: "
                + String.join(", ", actionNames()),
            Map.of("action", action));
      }
      // Named payload.x (not request.payload.x), as the hand-written messages name them.
      payload =
          payload == null ? new Fields(NODES.objectNode(), "payload") : payload.named("payload");
      Function<Request, JsonNode> handler = actionFor(action, sourceAgent, agentSecret);
      JsonNode data = handler.apply(new Request(sessionId, payload));
      ObjectNode response = NODES.objectNode();
      response.put("status", "success");
      response.put("action", action);
      response.set("request_id", requestId);
      response.set("data", data);
      response.put("timestamp", now());
      return Json.write(response);
    } catch (MemoryStoreException e) {
      if (e.code() == ErrorCode.INTERNAL_ERROR) {
        // Its message is written for the log (it may quote a library), not for the client.
        LOG.log(Level.ERROR, "internal error handling action " + action, e);
        return error(action, requestId, e.code(), INTERNAL_MESSAGE, Map.of());
      }
      return error(action, requestId, e.code(), e.getMessage(), e.details());
    } catch (IllegalArgumentException e) {
      // The public builders' own checks; their messages are written for users.
      return error(action, requestId, ErrorCode.VALIDATION_ERROR, e.getMessage(), Map.of());
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "unexpected failure handling action " + action, e);
      return error(action, requestId, ErrorCode.INTERNAL_ERROR, INTERNAL_MESSAGE, Map.of());
    }
  }

  /**
   * Answers a request that never reached {@link #handle}, such as a line {@code memctl exec}
   * refused while reading it, with the protocol's error envelope.
   */
  public String refuse(ErrorCode code, String message) {
    return error(null, null, code, message, Map.of());
  }

  private String error(
      String action,
      JsonNode requestId,
      ErrorCode code,
      String message,
      Map<String, Object> details) {
    ObjectNode response = NODES.objectNode();
    response.put("status", "error");
    // An unknown action is echoed only in part: an error never repeats a whole huge input.
    response.put(
        "action",
        action == null || actions.containsKey(action) ? action : Json.excerpt(action, 64));
    response.set("request_id", requestId);
    ObjectNode error = response.putObject("error");
    error.put("code", code.wireName());
    error.put("message", userMessage(code, message));
    ObjectNode detailNode = error.putObject("details");
    details.forEach(
        (name, value) ->
            detailNode.set(
                name,
                value instanceof String text
                    ? NODES.textNode(Json.excerpt(text, 200))
                    : Json.MAPPER.valueToTree(value)));
    response.put("timestamp", now());
    return Json.write(response);
  }

  /**
   * Returns a message fit for a client: cut to a bounded length, and never Java's own text (a check
   * that slipped would otherwise leak it; the log keeps it).
   */
  private static String userMessage(ErrorCode code, String message) {
    if (message == null || message.isBlank()) {
      return "the request failed (" + code.wireName() + ")";
    }
    if (JAVA_TEXT.matcher(message).find()) {
      LOG.log(Level.WARNING, "an error message with internal text was replaced: " + message);
      return code == ErrorCode.INTERNAL_ERROR
          ? INTERNAL_MESSAGE
          : "the request was refused (" + code.wireName() + ") with no further explanation";
    }
    return Json.excerpt(message, MAX_MESSAGE);
  }

  private String now() {
    return Json.formatInstant(store.config().clock().instant());
  }
}
