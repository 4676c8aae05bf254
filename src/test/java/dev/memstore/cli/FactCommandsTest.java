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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** memctl add --fact-key/--valid-from, ls and search --as-of/--include-superseded, restore. */
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
}
