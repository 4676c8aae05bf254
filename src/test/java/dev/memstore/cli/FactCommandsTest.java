package dev.memstore.cli;

import static dev.memstore.cli.CliRun.memctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * memctl add --fact-key/--valid-from, ls and search --as-of/--include-superseded, restore, and the
 * profile of current facts in memctl context.
 */
class FactCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path folder;
  private Path home;
  private String db;

  @BeforeEach
  void setUp() throws Exception {
    home = Files.createDirectories(folder.resolve("home"));
    db = folder.resolve("memory.db").toString();
  }

  private CliRun ok(String... args) {
    List<String> all = new ArrayList<>(List.of("--db", db));
    all.addAll(List.of(args));
    CliRun run = memctl(home, all.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run::toString);
    return run;
  }

  private List<String> ids(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--json"));
    all.addAll(List.of(args));
    JsonNode page = JSON.readTree(ok(all.toArray(String[]::new)).out());
    JsonNode items = page.has("memories") ? page.get("memories") : page.get("results");
    List<String> ids = new ArrayList<>();
    items.forEach(item -> ids.add(item.get("memory_id").textValue()));
    return ids;
  }

  @Test
  void factCommands_supersedeListAsOfAndRestore() throws Exception {
    String paris =
        ok(
                "add",
                "The user lives in Paris.",
                "--fact-key",
                "user-1:home_city",
                "--valid-from",
                "2025-01-01")
            .out()
            .strip();
    String berlin =
        ok("add", "The user lives in Berlin.", "--fact-key", "user-1:home_city").out().strip();

    assertEquals(List.of(berlin), ids("ls"));
    assertEquals(List.of(paris), ids("ls", "--as-of", "2025-06-01"));
    List<String> all = ids("ls", "--include-superseded");
    assertTrue(all.contains(paris) && all.contains(berlin), all::toString);
    assertEquals(
        List.of(paris), ids("search", "lives", "--mode", "keyword", "--as-of", "2025-06-01"));
    assertFalse(ids("search", "lives", "--mode", "keyword").contains(paris));

    String shown = ok("get", paris).out();
    assertTrue(shown.contains("fact key") && shown.contains("user-1:home_city"), shown);
    assertTrue(shown.contains("superseded by") && shown.contains(berlin), shown);

    ok("restore", paris);
    assertEquals(List.of(paris), ids("ls"));
  }

  @Test
  void add_badFactKey_failsAndStoresNothing() throws Exception {
    CliRun run = memctl(home, "--db", db, "add", "text", "--fact-key", "nocolon");
    assertTrue(run.exitCode() != 0, run::toString);
    assertTrue(run.err().contains("fact_key"), run::toString);
    assertEquals(List.of(), ids("ls"));
  }

  @Test
  void context_showsTheUsersCurrentFactsThenRelevantAndRecent_asGetContextPackDoes()
      throws Exception {
    String session = ok("session", "start", "--user", "user-1").out().strip();
    ok("add", "The user lives in Paris.", "--session", session, "--fact-key", "user-1:home_city");
    ok("add", "The user lives in Berlin.", "--session", session, "--fact-key", "user-1:home_city");
    ok("add", "Another user lives in Rome.", "--fact-key", "user-2:home_city");
    ok("add", "We talked about the weather in the mountains.", "--session", session);

    String text =
        ok("context", "--session", session, "--query", "weather", "--budget", "400").out();
    int profile = text.indexOf("What I know about the user:");
    int berlin = text.indexOf("The user lives in Berlin.");
    assertTrue(profile == 0 && berlin > profile, text);
    assertFalse(text.contains("Paris"), text);
    int relevant = text.indexOf("Relevant memories:");
    assertTrue(relevant > berlin, text);
    assertFalse(text.substring(0, relevant).contains("Rome"), text);
    assertTrue(text.contains("We talked about the weather"), text);
    assertTrue(text.contains("tokens: 1 profile fact, "), text);

    JsonNode pack =
        JSON.readTree(
            ok("--json", "context", "--session", session, "-q", "weather", "--budget", "400")
                .out());
    assertEquals(1, pack.get("profile").size(), pack::toString);
    assertTrue(pack.get("profile").get(0).at("/content/text").textValue().contains("Berlin"));
    String request =
        JSON.writeValueAsString(
            JSON.createObjectNode()
                .put("action", "get_context_pack")
                .put("request_id", "r1")
                .set(
                    "payload",
                    JSON.createObjectNode()
                        .put("session_id", session)
                        .put("query", "weather")
                        .put("token_budget", 400)));
    JsonNode answer =
        JSON.readTree(
            memctl(
                    new StoreLocation(Map.<String, String>of()::get, "Linux", home),
                    request,
                    "--db",
                    db,
                    "exec")
                .out());
    assertEquals(answer.get("data").get("text"), pack.get("text"), answer::toString);
    assertEquals(answer.get("data").get("estimated_tokens"), pack.get("estimated_tokens"));
  }

  @Test
  void context_budgetOutOfRange_isAUsageErrorNamingTheField() {
    ok("add", "Something to have a store.");
    CliRun run = memctl(home, "--db", db, "context", "--budget", "5");
    assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
    assertTrue(run.err().contains("token_budget"), run::toString);
  }
}
