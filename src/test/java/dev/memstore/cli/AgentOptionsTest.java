package dev.memstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memstore.AccessPolicy;
import dev.memstore.AgentPolicy;
import dev.memstore.AgentRight;
import dev.memstore.AuditEntry;
import dev.memstore.AuditQuery;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.testing.RawDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** memctl as an agent: --as-agent, --agent-secret-file, the environment, agents, exec. */
class AgentOptionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "reader's secret";
  private static final String SECRET_HASH = AgentPolicy.hashSecret(SECRET.toCharArray());

  @TempDir Path folder;
  private Path db;
  private String memoryId;

  @BeforeEach
  void storeWithPolicy() throws Exception {
    db = folder.resolve("memory.db");
    AccessPolicy policy =
        AccessPolicy.builder()
            .agent(AgentPolicy.trusted("owner"))
            .agent(
                AgentPolicy.builder("reader")
                    .rights(AgentRight.READ)
                    .secretHash(SECRET_HASH)
                    .users(java.util.List.of("alice"))
                    .build())
            .agent(
                AgentPolicy.builder("chatty")
                    .rights(AgentRight.READ, AgentRight.WRITE)
                    // One request, then one per 100 s: a second request in the same run is over.
                    .requestsPerSecond(0.01)
                    .build())
            .defaultAgent("owner")
            .build();
    try (MemoryStore store =
        MemoryStore.builder(db)
            .embeddingModel("none")
            .maintenanceInterval(Duration.ZERO)
            .accessPolicy(policy)
            .build()) {
      memoryId = store.create(NewMemory.builder("alice's note").userId("alice").build()).id();
    }
    Files.writeString(folder.resolve("right.secret"), SECRET + "\n");
    Files.writeString(folder.resolve("wrong.secret"), "not it\n");
  }

  private CliRun memctl(Map<String, String> environment, String input, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--db";
    all[1] = db.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.memctl(new StoreLocation(environment::get, "Linux", folder), input, all);
  }

  private CliRun memctl(String... args) {
    return memctl(Map.of(), "", args);
  }

  private String secretFile(String name) {
    return folder.resolve(name).toString();
  }

  @Test
  void asAgent_wrongSecret_exitsRefusedWithTheRule() throws Exception {
    CliRun wrong =
        memctl(
            "--as-agent",
            "reader",
            "--agent-secret-file",
            secretFile("wrong.secret"),
            "get",
            memoryId);
    assertEquals(ExitCodes.REFUSED, wrong.exitCode(), wrong::toString);
    assertTrue(wrong.err().contains("is wrong"), wrong::toString);
    CliRun json =
        memctl(
            "--json",
            "--as-agent",
            "reader",
            "--agent-secret-file",
            secretFile("wrong.secret"),
            "get",
            memoryId);
    JsonNode error = JSON.readTree(json.err()).get("error");
    assertEquals("permission_denied", error.get("code").asText());
    assertEquals("reader", error.get("details").get("agent").asText());
    assertEquals("open", error.get("details").get("action").asText());
  }

  @Test
  void asAgent_rightSecret_readsButMayNotDelete() {
    CliRun get =
        memctl(
            "--as-agent",
            "reader",
            "--agent-secret-file",
            secretFile("right.secret"),
            "get",
            memoryId);
    assertEquals(0, get.exitCode(), get::toString);
    assertTrue(get.out().contains("alice's note"), get::toString);
    CliRun rm =
        memctl(
            "--as-agent",
            "reader",
            "--agent-secret-file",
            secretFile("right.secret"),
            "rm",
            memoryId);
    assertEquals(ExitCodes.REFUSED, rm.exitCode(), rm::toString);
    assertTrue(rm.err().contains("lacks the delete right"), rm::toString);
    assertEquals(0, memctl("get", memoryId).exitCode(), "still there, read as the default owner");
  }

  @Test
  void environment_namesTheAgentAndItsSecret() {
    Map<String, String> environment = new HashMap<>();
    environment.put(Memctl.AGENT_VARIABLE, "reader");
    environment.put(Memctl.AGENT_SECRET_VARIABLE, SECRET);
    CliRun get = memctl(environment, "", "get", memoryId);
    assertEquals(0, get.exitCode(), get::toString);
    environment.put(Memctl.AGENT_SECRET_VARIABLE, "nope");
    assertEquals(ExitCodes.REFUSED, memctl(environment, "", "get", memoryId).exitCode());
    CliRun secretAlone = memctl(Map.of(Memctl.AGENT_SECRET_VARIABLE, SECRET), "", "get", memoryId);
    assertEquals(ExitCodes.USAGE, secretAlone.exitCode(), secretAlone::toString);
  }

  @Test
  void agents_listsNamesRightsAndScopes_neverHashes() throws Exception {
    CliRun text = memctl("agents");
    assertEquals(0, text.exitCode(), text::toString);
    assertTrue(text.out().contains("owner (default)"), text::toString);
    assertTrue(text.out().contains("users alice"), text::toString);
    assertFalse(text.out().contains("pbkdf2"), text::toString);
    CliRun json = memctl("--json", "agents");
    JsonNode agents = JSON.readTree(json.out()).get("agents");
    assertEquals("reader", agents.get(1).get("name").asText());
    assertEquals("read", agents.get(1).get("rights").get(0).asText());
    assertTrue(agents.get(1).get("has_secret").asBoolean());
    assertFalse(json.out().contains("pbkdf2"), json::toString);
  }

  @Test
  void agentsHash_printsAHashOfTheSecretOnStandardInput() {
    CliRun hash = memctl(Map.of(), "my secret\n", "agents", "hash");
    assertEquals(0, hash.exitCode(), hash::toString);
    String printed = hash.out().strip();
    assertTrue(printed.startsWith("pbkdf2-sha256$210000$"), printed);
    AgentPolicy agent = AgentPolicy.builder("x").secretHash(printed).build();
    assertTrue(agent.matchesSecret("my secret".toCharArray()));
  }

  @Test
  void exec_answersPermissionDeniedWithDetails() throws Exception {
    String requests =
        "{\"action\":\"delete\",\"source_agent\":\"reader\",\"agent_secret\":\""
            + SECRET
            + "\",\"payload\":{\"memory_id\":\""
            + memoryId
            + "\"}}\n"
            + "{\"action\":\"read\",\"source_agent\":\"reader\",\"agent_secret\":\"bad\","
            + "\"payload\":{\"memory_id\":\""
            + memoryId
            + "\"}}\n";
    CliRun run = memctl(Map.of(), requests, "exec");
    assertEquals(0, run.exitCode(), run::toString);
    JsonNode delete = JSON.readTree(run.outLines().get(0));
    assertEquals("permission_denied", delete.get("error").get("code").asText(), run::toString);
    assertEquals("reader", delete.get("error").get("details").get("agent").asText());
    assertEquals("delete", delete.get("error").get("details").get("action").asText());
    JsonNode badSecret = JSON.readTree(run.outLines().get(1));
    assertEquals("permission_denied", badSecret.get("error").get("code").asText());
    assertTrue(badSecret.get("error").get("details").get("rule").asText().contains("wrong"));

    CliRun asReader =
        memctl(
            Map.of(),
            "{\"action\":\"delete\",\"payload\":{\"memory_id\":\"" + memoryId + "\"}}\n",
            "--as-agent",
            "reader",
            "--agent-secret-file",
            secretFile("right.secret"),
            "exec");
    JsonNode refused = JSON.readTree(asReader.outLines().get(0));
    assertEquals(
        "permission_denied", refused.get("error").get("code").asText(), asReader::toString);
    assertEquals(0, memctl("get", memoryId).exitCode(), "nothing was deleted");
  }

  @Test
  void exec_overTheAgentsRateLimit_answersRateLimitExceededAndTheTrailRecordsIt() throws Exception {
    String read =
        "{\"action\":\"read\",\"source_agent\":\"chatty\",\"payload\":{\"memory_id\":\""
            + memoryId
            + "\"}}\n";
    String create =
        "{\"action\":\"create\",\"source_agent\":\"chatty\","
            + "\"payload\":{\"content\":\"a note that must not be stored\"}}\n";

    CliRun run = memctl(Map.of(), read + create, "exec");

    assertEquals(0, run.exitCode(), run::toString);
    JsonNode first = JSON.readTree(run.outLines().get(0));
    assertEquals("success", first.get("status").asText(), run::toString);
    JsonNode second = JSON.readTree(run.outLines().get(1));
    assertEquals("rate_limit_exceeded", second.get("error").get("code").asText(), run::toString);
    assertEquals("chatty", second.get("error").get("details").get("agent").asText());
    long retryAfter = second.get("error").get("details").get("retry_after_ms").asLong();
    assertTrue(retryAfter > 90_000 && retryAfter <= 100_000, "retry after " + retryAfter);
    try (MemoryStore store = MemoryStore.builder(db).readOnly(true).build()) {
      assertEquals(1, store.file().stats().totalMemories(), "the refused create stored nothing");
      List<AuditEntry> trail = store.privacy().audit(AuditQuery.builder().agent("chatty").build());
      assertEquals(List.of("read", "create"), trail.stream().map(AuditEntry::action).toList());
      assertEquals(List.of(memoryId), trail.get(0).memoryIds(), "the read names what it read");
      assertEquals("ok", trail.get(0).outcome());
      assertEquals("rate_limit_exceeded", trail.get(1).outcome());
    }
    try (RawDatabase raw = RawDatabase.open(db)) {
      assertEquals(
          0,
          raw.number(
              "select count(*) from audit_log where agent || action || coalesce(memory_ids, '')"
                  + " || outcome like '%note%'"),
          "the trail holds no content");
    }
  }
}
