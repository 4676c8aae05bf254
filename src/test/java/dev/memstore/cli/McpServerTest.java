package dev.memstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memstore.AccessPolicy;
import dev.memstore.AgentPolicy;
import dev.memstore.AgentRight;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * memctl mcp end to end: the MCP SDK's own client starts {@code memctl mcp} in a child JVM and
 * speaks the protocol to it over the child's standard input and output. The tests of one plain
 * store share one server, since a JVM start is most of each test's time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path folder;
  private final List<McpSyncClient> clients = new ArrayList<>();
  private McpSyncClient shared;

  @BeforeAll
  void startSharedServer() throws IOException {
    shared = connect("mcp", "--db", store(folder.resolve("shared.db")).toString());
  }

  @AfterAll
  void closeClients() {
    clients.forEach(McpSyncClient::closeGracefully);
  }

  /** Returns a store file without a model (keyword search), for a fast child process. */
  private static Path store(Path db) {
    try (MemoryStore store =
        MemoryStore.builder(db).embeddingModel("none").maintenanceInterval(Duration.ZERO).build()) {
      store.create(NewMemory.of("The user's sister is called Ada"));
    }
    return db;
  }

  /** The command line that runs memctl with these arguments in a new JVM on the test class path. */
  private List<String> memctlCommand(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    String cache = System.getProperty("memstore.cache.dir");
    if (cache != null) {
      command.add("-Dmemstore.cache.dir=" + cache);
    }
    command.add("-cp");
    command.add(
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.add(Memctl.class.getName());
    command.addAll(List.of(args));
    return command;
  }

  private McpSyncClient connect(String... args) throws IOException {
    List<String> command = memctlCommand(args);
    ServerParameters server =
        ServerParameters.builder(command.get(0)).args(command.subList(1, command.size())).build();
    McpSyncClient client =
        McpClient.sync(new StdioClientTransport(server, new JacksonMcpJsonMapper(JSON)))
            .requestTimeout(Duration.ofSeconds(60))
            .initializationTimeout(Duration.ofSeconds(60))
            .build();
    clients.add(client);
    client.initialize();
    return client;
  }

  private static String text(CallToolResult result) {
    return result.content().stream()
        .map(content -> ((TextContent) content).text())
        .collect(Collectors.joining("\n"));
  }

  private static JsonNode structured(CallToolResult result) {
    return JSON.valueToTree(result.structuredContent());
  }

  private static CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
    return client.callTool(CallToolRequest.builder(tool).arguments(args).build());
  }

  @Test
  void listTools_everyToolWithAJsonSchema() throws Exception {
    List<Tool> tools = shared.listTools().tools();
    Map<String, Tool> byName = tools.stream().collect(Collectors.toMap(Tool::name, tool -> tool));
    assertEquals(
        List.of("forget", "get_context", "get_memory", "list_memories", "recall", "remember"),
        byName.keySet().stream().sorted().toList());
    Tool remember = byName.get("remember");
    assertEquals("object", remember.inputSchema().get("type"));
    assertEquals(List.of("content"), remember.inputSchema().get("required"));
    assertEquals(false, remember.inputSchema().get("additionalProperties"));
    assertTrue(
        JSON.valueToTree(remember.inputSchema())
            .at("/properties/memory_type/enum")
            .toString()
            .contains("preference"),
        remember.inputSchema().toString());
    for (Tool tool : tools) {
      assertFalse(tool.description().isBlank(), tool.name());
    }
    assertEquals(true, byName.get("recall").annotations().readOnlyHint());
    assertEquals(false, byName.get("remember").annotations().readOnlyHint());
    assertEquals(true, byName.get("forget").annotations().destructiveHint());
  }

  @Test
  void remember_thenRecall_findsTheMemory() throws Exception {
    McpSyncClient client = shared;
    CallToolResult remembered =
        call(
            client,
            "remember",
            Map.of(
                "content",
                "The user drinks green tea every morning",
                "memory_type",
                "preference",
                "tags",
                List.of("drinks")));
    assertFalse(remembered.isError(), text(remembered));
    String id = structured(remembered).get("memory_id").asText();
    assertTrue(id.startsWith("mem-"), text(remembered));

    CallToolResult recalled = call(client, "recall", Map.of("query", "green tea", "limit", 3));
    assertFalse(recalled.isError(), text(recalled));
    JsonNode hit = structured(recalled).get("results").get(0);
    assertEquals(id, hit.get("memory_id").asText(), text(recalled));
    assertEquals("The user drinks green tea every morning", hit.at("/content/text").asText());
    assertTrue(text(recalled).contains(id), "the text content carries the same JSON");

    CallToolResult context =
        call(client, "get_context", Map.of("query", "what does the user drink"));
    assertFalse(context.isError(), text(context));
    assertTrue(text(context).contains("green tea"), text(context));

    CallToolResult listed = call(client, "list_memories", Map.of("tags", List.of("drinks")));
    assertEquals(1, structured(listed).get("memories").size(), text(listed));

    CallToolResult forgotten = call(client, "forget", Map.of("memory_ids", List.of(id)));
    assertFalse(forgotten.isError(), text(forgotten));
    assertEquals(1, structured(forgotten).get("deleted_count").asInt(), text(forgotten));
    CallToolResult gone = call(client, "get_memory", Map.of("memory_id", id));
    assertTrue(gone.isError(), text(gone));
    assertTrue(text(gone).startsWith("memory_not_found: "), text(gone));
  }

  @Test
  void badArguments_anInvalidParamsErrorWithTheCode_nothingChanged() throws Exception {
    McpSyncClient client = shared;
    int before = structured(call(client, "list_memories", Map.of())).get("memories").size();
    McpError outOfRange =
        assertThrows(
            McpError.class,
            () -> call(client, "remember", Map.of("content", "x", "importance", 7)));
    assertEquals(ErrorCodes.INVALID_PARAMS, (int) outOfRange.getJsonRpcError().code());
    assertTrue(
        outOfRange.getMessage().contains("invalid_request: remember: "), outOfRange.getMessage());
    assertTrue(outOfRange.getMessage().contains("importance"), outOfRange.getMessage());

    McpError unknown =
        assertThrows(
            McpError.class, () -> call(client, "remember", Map.of("content", "x", "colour", 1)));
    assertTrue(unknown.getMessage().contains("colour"), unknown.getMessage());

    McpError missing = assertThrows(McpError.class, () -> call(client, "recall", Map.of()));
    assertTrue(missing.getMessage().contains("query"), missing.getMessage());

    // Past the schema, the store's own checks: blank content is a validation_error.
    McpError blank =
        assertThrows(McpError.class, () -> call(client, "remember", Map.of("content", "   ")));
    assertEquals(ErrorCodes.INVALID_PARAMS, (int) blank.getJsonRpcError().code());
    assertTrue(blank.getMessage().contains("validation_error: "), blank.getMessage());

    CallToolResult listed = call(client, "list_memories", Map.of());
    assertEquals(before, structured(listed).get("memories").size(), "no memory was made");
  }

  @Test
  void asAgent_theAgentsRightsHold() throws Exception {
    Path db = folder.resolve("agents.db");
    AccessPolicy policy =
        AccessPolicy.builder()
            .agent(AgentPolicy.trusted("owner"))
            .agent(AgentPolicy.builder("reader").rights(AgentRight.READ).build())
            .defaultAgent("owner")
            .build();
    try (MemoryStore store =
        MemoryStore.builder(db)
            .embeddingModel("none")
            .maintenanceInterval(Duration.ZERO)
            .accessPolicy(policy)
            .build()) {
      store.create(NewMemory.of("a note"));
    }
    McpSyncClient client = connect("mcp", "--db", db.toString(), "--as-agent", "reader");
    assertEquals(1, structured(call(client, "list_memories", Map.of())).get("memories").size());
    CallToolResult refused = call(client, "remember", Map.of("content", "a new note"));
    assertTrue(refused.isError(), text(refused));
    assertTrue(text(refused).startsWith("permission_denied: "), text(refused));
  }

  @Test
  void standardOutput_onlyProtocolMessages_andEveryAnswerBeforeTheInputEnds() throws Exception {
    Path db = store(folder.resolve("piped.db"));
    Process process =
        new ProcessBuilder(memctlCommand("mcp", "--db", db.toString()))
            .redirectError(folder.resolve("mcp.stderr").toFile())
            .start();
    try (OutputStream input = process.getOutputStream()) {
      input.write(
          String.join(
                  "\n",
                  "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                      + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                      + "\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}}",
                  "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                  "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":"
                      + "{\"name\":\"remember\",\"arguments\":{\"content\":\"tea\"}}}",
                  "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":"
                      + "{\"name\":\"recall\",\"arguments\":{\"query\":\"tea\"}}}",
                  "")
              .getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "memctl mcp ends with its input");
    assertEquals(0, process.exitValue(), output);
    List<String> lines = output.lines().toList();
    List<Integer> ids = new ArrayList<>();
    for (String line : lines) {
      JsonNode message = JSON.readTree(line);
      assertEquals("2.0", message.path("jsonrpc").asText(), line);
      ids.add(message.path("id").asInt());
    }
    assertEquals(List.of(1, 2, 3), ids, output);
    assertTrue(lines.get(2).contains("tea"), lines.get(2));
  }
}
