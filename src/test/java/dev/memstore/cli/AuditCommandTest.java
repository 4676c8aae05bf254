package dev.memstore.cli;

import static dev.memstore.cli.CliRun.memctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memstore.MemoryStore;
import dev.memstore.internal.audit.AuditLog;
import dev.memstore.internal.store.StoreOpener;
import dev.memstore.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** memctl audit: its filters, its table and its JSON lines, on a file with a known trail. */
class AuditCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FIRST = "mem-01kaaaaaaaaaaaaaaaaaaaaaaa";
  private static final String SECOND = "mem-01kbbbbbbbbbbbbbbbbbbbbbbb";

  @TempDir Path folder;
  private Path home;
  private String db;

  @BeforeEach
  void setUp() throws Exception {
    home = Files.createDirectories(folder.resolve("home"));
    db = folder.resolve("memory.db").toString();
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    StoreOpener.Opened parts =
        StoreOpener.openParts(
            MemoryStore.builder(Path.of(db)).embeddingModel("none").clock(clock).config());
    AuditLog audit = parts.auditLog();
    try {
      audit.record("assistant", "get", List.of(FIRST), "ok");
      clock.advance(Duration.ofHours(1));
      audit.record("calendar", "search", List.of(FIRST, SECOND), "ok");
      clock.advance(Duration.ofHours(1));
      audit.record("calendar", "delete", List.of(SECOND), "permission_denied");
      clock.advance(Duration.ofDays(1));
      audit.record("assistant", "stats", List.of(), "ok");
    } finally {
      parts.store().close();
    }
  }

  private CliRun ok(String... args) {
    List<String> all = new ArrayList<>(List.of("--db", db));
    all.addAll(List.of(args));
    CliRun run = memctl(home, all.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run::toString);
    return run;
  }

  private List<JsonNode> jsonLines(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--json", "audit"));
    all.addAll(List.of(args));
    List<JsonNode> lines = new ArrayList<>();
    for (String line : ok(all.toArray(String[]::new)).outLines()) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }

  private List<String> actions(String... args) throws Exception {
    return jsonLines(args).stream().map(line -> line.get("action").textValue()).toList();
  }

  @Test
  void audit_text_tableOfEveryEntryOldestFirst() {
    CliRun run = ok("audit");
    List<String> lines = run.outLines();
    assertTrue(lines.get(0).matches("SEQ +AT +AGENT +ACTION +OUTCOME +MEMORIES"), run::toString);
    assertTrue(lines.get(1).contains("2026-01-01T10:00:00"), run::toString);
    assertTrue(lines.get(1).contains("assistant") && lines.get(1).contains(FIRST), run::toString);
    assertTrue(lines.get(2).contains(FIRST + " " + SECOND), run::toString);
    assertTrue(lines.get(3).contains("permission_denied"), run::toString);
    assertTrue(lines.get(4).contains("stats"), run::toString);
    assertEquals("4 audit entries", lines.get(5));
  }

  @Test
  void audit_json_oneObjectPerLineWithTheProtocolsNames() throws Exception {
    List<JsonNode> lines = jsonLines();
    assertEquals(4, lines.size());
    JsonNode search = lines.get(1);
    assertEquals("calendar", search.get("agent").textValue());
    assertEquals("search", search.get("action").textValue());
    assertEquals(FIRST, search.at("/memory_ids/0").textValue());
    assertEquals(SECOND, search.at("/memory_ids/1").textValue());
    assertEquals("ok", search.get("outcome").textValue());
    assertTrue(search.get("at").textValue().startsWith("2026-01-01T11:00:00"), search::toString);
    assertTrue(search.get("seq").longValue() > lines.get(0).get("seq").longValue());
    assertEquals(0, lines.get(3).get("memory_ids").size());
  }

  @Test
  void audit_filters_eachSelects() throws Exception {
    assertEquals(List.of("get", "stats"), actions("--agent", "assistant"));
    assertEquals(List.of("delete"), actions("--action", "delete"));
    assertEquals(List.of("delete"), actions("--outcome", "permission_denied"));
    assertEquals(List.of("get", "search"), actions("--memory", FIRST));
    assertEquals(
        List.of("search", "delete"),
        actions("--since", "2026-01-01T11:00:00Z", "--until", "2026-01-01T12:00:00Z"));
    assertEquals(List.of("stats"), actions("--since", "2026-01-02"));
    assertEquals(List.of("delete", "stats"), actions("--limit", "2"));
  }

  @Test
  void audit_limitReached_saysTheseAreTheNewest() {
    CliRun run = ok("audit", "--limit", "1");
    assertTrue(run.out().contains("1 audit entry, the newest"), run::toString);
  }

  @Test
  void audit_nothingMatches_saysSo() {
    assertEquals("no audit entries", ok("audit", "--agent", "nobody").out().strip());
  }

  @Test
  void audit_badLimitOrTime_usageError() {
    assertEquals(2, memctl(home, "--db", db, "audit", "--limit", "0").exitCode());
    assertEquals(2, memctl(home, "--db", db, "audit", "--since", "yesterday").exitCode());
  }
}
