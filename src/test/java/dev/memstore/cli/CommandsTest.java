package dev.memstore.cli;

import static dev.memstore.cli.CliRun.memctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memstore.MemoryStore;
import dev.memstore.StoreHealth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Black-box runs of the memory, session, group and maintenance commands. */
class CommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path folder;
  private Path home;
  private String db;

  @BeforeEach
  void setUp() throws Exception {
    home = Files.createDirectories(folder.resolve("home"));
    db = folder.resolve("memory.db").toString();
  }

  private CliRun run(String... args) {
    List<String> all = new ArrayList<>(List.of("--db", db));
    all.addAll(List.of(args));
    return memctl(home, all.toArray(String[]::new));
  }

  private CliRun ok(String... args) {
    CliRun run = run(args);
    assertEquals(0, run.exitCode(), run::toString);
    return run;
  }

  private JsonNode json(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--json"));
    all.addAll(List.of(args));
    return JSON.readTree(ok(all.toArray(String[]::new)).out());
  }

  private String add(String text, String... options) {
    List<String> all = new ArrayList<>(List.of("add", text));
    all.addAll(List.of(options));
    return ok(all.toArray(String[]::new)).out().strip();
  }

  @Test
  void update_changesOnlyWhatItSays() throws Exception {
    String id = add("the car is blue", "--tag", "car", "--importance", "0.4");
    JsonNode updated = json("update", id, "--text", "the car is red", "--pin");
    assertEquals("the car is red", updated.at("/content/text").textValue());
    assertEquals(0.4, updated.get("importance").doubleValue());
    assertTrue(updated.get("pinned").booleanValue());
    assertEquals("car", updated.at("/tags/0").textValue());
    assertTrue(ok("update", id, "--no-pin", "--tag", "").out().contains("the car is red"));
    assertEquals(
        3, run("update", "mem-01kaaaaaaaaaaaaaaaaaaaaaaa", "--text", "x").exitCode(), "not found");
    assertEquals(2, run("update", id, "--importance", "lots").exitCode(), "usage");
  }

  @Test
  void childrenLinkRelatedUnlinkReinforceHistory() throws Exception {
    String parent = add("trip to Rome");
    String child = add("flight on Friday", "--parent", parent);
    assertTrue(ok("children", parent).out().contains(child));
    assertEquals(1, json("children", parent).get("total_count").intValue());

    String link = ok("link", parent, child, "--type", "part_of", "--strength", "0.5").out().strip();
    CliRun related = ok("related", parent);
    assertTrue(related.out().contains("part_of"), related::toString);
    assertTrue(related.out().contains("1 related memory"), related::toString);
    assertEquals(
        "part_of",
        json("related", child)
            .at("/related_memories/0/relationship/relationship_type")
            .textValue());
    assertTrue(ok("unlink", link).out().contains("removed link " + link));
    assertEquals(3, run("unlink", link).exitCode(), "already gone");

    assertTrue(ok("reinforce", child, "--factor", "1.5").out().contains("importance 0.50 -> 0.75"));
    CliRun history = ok("history", child);
    assertTrue(history.out().contains("reinforced"), history::toString);
    assertTrue(history.out().contains("created"), history::toString);
    assertEquals("created", json("history", child).at("/history/0/action").textValue());
  }

  @Test
  void sessions_startEndListShow() throws Exception {
    String session = ok("session", "start", "--user", "ada").out().strip();
    add("we talked about jazz", "--type", "conversation", "--session", session);
    assertTrue(ok("session", "ls").out().contains(session));
    assertTrue(ok("session", "show", session).out().contains("ada"));
    CliRun ended = ok("session", "end", session, "--archive");
    assertTrue(ended.out().contains("summary"), ended::toString);
    assertTrue(ended.out().contains("1 memory from"), ended::toString);
    assertTrue(ok("session", "ls").out().contains("0 of 0 sessions"));
    assertEquals(1, json("session", "ls", "--all").get("total_count").intValue());
    assertEquals(2, run("session", "end", session).exitCode(), "already ended: a refused value");
    assertEquals(2, run("session").exitCode(), "a subcommand is needed");
  }

  @Test
  void groups_createAddRemoveListShow() throws Exception {
    String memory = add("the garden");
    String group = ok("group", "create", "home", "--description", "house things").out().strip();
    assertTrue(ok("group", "add", group, memory).out().contains("added " + memory));
    assertTrue(ok("group", "add", group, memory).out().contains("no change"));
    assertTrue(ok("group", "ls").out().contains("house things"));
    assertTrue(ok("group", "show", group).out().contains(memory));
    assertTrue(ok("group", "rm", group, memory).out().contains("removed " + memory));
    assertEquals(0, json("group", "show", group).get("total_count").intValue());
    assertEquals(2, run("group", "create", "home").exitCode(), "the name is taken");
  }

  @Test
  void maintenanceCommands() throws Exception {
    add("The user's dog is called Rex.", "--type", "semantic");
    add("The user's dog is named Rex.", "--type", "semantic");
    add("brief", "--ttl", "1");
    Thread.sleep(1_100);

    CliRun plan = ok("consolidate", "--dry-run", "--threshold", "0.9");
    assertTrue(plan.out().contains("would merge 1 memory into 1"), plan::toString);
    assertEquals(1, json("consolidate", "--threshold", "0.9").get("consolidated_count").intValue());

    JsonNode decay = json("decay");
    assertEquals(1, decay.get("expired").intValue());
    assertTrue(ok("summarize", "--type", "semantic").out().startsWith("1 memory from"));

    CliRun doctor = ok("doctor");
    assertTrue(doctor.out().endsWith("healthy\n"), doctor::toString);
    assertTrue(ok("optimize", "--vacuum").out().startsWith("vacuumed, freed"));
    assertTrue(ok("checkpoint").out().startsWith("checkpointed "));

    Path copy = folder.resolve("copy.db");
    assertTrue(ok("backup", copy.toString()).out().startsWith("backed up to " + copy));
    assertEquals(4, run("backup", copy.toString()).exitCode(), "never overwrites: a refused file");
    try (MemoryStore store = MemoryStore.builder(copy).readOnly(true).build()) {
      StoreHealth health = store.file().health();
      assertTrue(health.isHealthy(), health::toString);
      assertEquals(2, store.file().stats().totalMemories(), "the kept memory and the archived one");
      assertEquals(1, store.file().stats().archivedMemories());
    }
  }

  /** Issue 13: optimize printed "freed 0 B (688 KiB -> 720 KiB)" when the file grew. */
  @Test
  void optimize_saysHonestlyWhatHappenedToTheSize() {
    java.time.Duration took = java.time.Duration.ofMillis(5);
    assertEquals(
        "freed 32.0 KiB (720.0 KiB -> 688.0 KiB)",
        OptimizeCommand.sizeChange(
            new dev.memstore.OptimizeReport(true, true, 720 * 1024, 688 * 1024, took)));
    assertEquals(
        "freed nothing; the file grew by 32.0 KiB (688.0 KiB -> 720.0 KiB)",
        OptimizeCommand.sizeChange(
            new dev.memstore.OptimizeReport(true, false, 688 * 1024, 720 * 1024, took)));
    assertEquals(
        "freed nothing (688.0 KiB)",
        OptimizeCommand.sizeChange(
            new dev.memstore.OptimizeReport(true, false, 688 * 1024, 688 * 1024, took)));
  }

  @Test
  void counts_singularForOne() throws Exception {
    ok("session", "start", "--user", "ada");
    assertEquals("1 of 1 session", ok("session", "ls").outLines().get(2));
  }

  @Test
  void doctor_findsAndRepairsADamagedFullTextIndex() throws Exception {
    add("something to find");
    try (var raw = dev.memstore.testing.RawDatabase.open(Path.of(db))) {
      raw.execute("insert into memory_fts (memory_fts) values ('delete-all')");
    }
    CliRun sick = run("doctor");
    assertEquals(1, sick.exitCode(), sick::toString);
    assertTrue(sick.out().contains("missing from the full-text index"), sick::toString);
    assertEquals(
        0,
        run("search", "something", "--mode", "keyword")
            .out()
            .lines()
            .filter(l -> l.contains("something to find"))
            .count());
    CliRun repaired = ok("doctor", "--repair");
    assertTrue(repaired.out().endsWith("healthy\n"), repaired::toString);
    assertTrue(ok("search", "something", "--mode", "keyword").out().contains("something to find"));
  }

  @Test
  void completion_bashAndZsh() {
    String bash = ok("completion", "bash").out();
    assertTrue(bash.contains("complete -F _complete_memctl"), bash.substring(0, 200));
    assertTrue(bash.contains("consolidate"));
    assertTrue(ok("completion", "zsh").out().startsWith("autoload -U +X compinit"));
    assertEquals(2, run("completion", "tcsh").exitCode());
  }

  @Test
  void missingFile_isAnErrorForCommandsThatRead() {
    for (String[] command :
        List.of(
            new String[] {"doctor"},
            new String[] {"history", "mem-00000000000000000000000000"},
            new String[] {"session", "ls"},
            new String[] {"group", "ls"},
            new String[] {"consolidate", "--dry-run"},
            new String[] {"summarize"},
            new String[] {"checkpoint"},
            new String[] {"backup", folder.resolve("b.db").toString()})) {
      CliRun run = run(command);
      assertEquals(1, run.exitCode(), run::toString);
      assertTrue(run.err().contains("no memory store at"), run::toString);
    }
    assertTrue(Files.notExists(Path.of(db)), "no command that reads created the file");
  }

  @Test
  void exportImportExport_identicalFiles() throws Exception {
    String session = ok("session", "start", "--user", "ada").out().strip();
    String parent = add("trip to Rome", "--tag", "travel");
    String child = add("flight on Friday", "--parent", parent, "--session", session);
    ok("link", child, parent, "--type", "part_of");
    String group = ok("group", "create", "travel").out().strip();
    ok("group", "add", group, parent);
    Path first = folder.resolve("first.jsonl");
    Path second = folder.resolve("second.jsonl");
    assertTrue(
        ok("export", first.toString())
            .out()
            .startsWith("exported 2 memories, 1 session, 1 relationship"));
    assertEquals(4, run("export", first.toString()).exitCode(), "never overwrites without --force");

    String copy = folder.resolve("copy.db").toString();
    CliRun imported = memctl(home, "--db", copy, "import", first.toString());
    assertEquals(0, imported.exitCode(), imported::toString);
    assertTrue(
        imported.out().startsWith("imported 2 memories, 1 session, 1 relationship"),
        imported::toString);
    assertEquals(0, memctl(home, "--db", copy, "export", second.toString()).exitCode());
    assertEquals(Files.readString(first), Files.readString(second));
    assertEquals(Files.readString(first), memctl(home, "--db", copy, "export", "-").out());

    CliRun fromStandardInput =
        CliRun.memctl(
            new StoreLocation(java.util.Map.<String, String>of()::get, "Linux", home),
            Files.readString(first),
            "--db",
            folder.resolve("piped.db").toString(),
            "import",
            "-");
    assertEquals(0, fromStandardInput.exitCode(), fromStandardInput::toString);
    assertEquals(
        Files.readString(first),
        memctl(home, "--db", folder.resolve("piped.db").toString(), "export", "-").out());

    CliRun again = memctl(home, "--db", copy, "import", first.toString());
    assertEquals(2, again.exitCode(), again::toString);
    assertTrue(
        again.err().contains("line 2: session " + session + " already exists"), again::toString);
    CliRun skipped = memctl(home, "--db", copy, "--json", "import", "--skip-bad", first.toString());
    assertEquals(0, skipped.exitCode(), skipped::toString);
    assertEquals(0, JSON.readTree(skipped.out()).get("memories").intValue());
    assertEquals(5, JSON.readTree(skipped.out()).get("skipped").size());
  }

  /** Issue 13.5: a new file takes the export's model and vectors; semantic search finds them. */
  @Test
  void import_intoANewFile_takesTheExportsModelAndVectors() throws Exception {
    Path minilm = folder.resolve("minilm.db");
    Path export = folder.resolve("minilm.jsonl");
    try (MemoryStore store =
        MemoryStore.builder(minilm).embeddingModel("all-minilm-l6-v2-q").build()) {
      store.create(dev.memstore.NewMemory.of("The user drinks an espresso every morning"));
      store.create(dev.memstore.NewMemory.of("Sam's birthday is on March 15th"));
    }
    assertEquals(
        0, memctl(home, "--db", minilm.toString(), "export", export.toString()).exitCode());

    String copy = folder.resolve("copy.db").toString();
    CliRun imported = memctl(home, "--db", copy, "import", export.toString());
    assertEquals(0, imported.exitCode(), imported::toString);
    assertEquals(
        "imported 2 memories, 0 sessions, 0 relationships and 0 context groups",
        imported.out().strip());
    CliRun search =
        memctl(home, "--db", copy, "search", "what coffee does he like", "--mode", "semantic");
    assertTrue(search.out().contains("(semantic search, all-minilm-l6-v2-q)"), search::toString);
    assertTrue(search.out().contains("espresso"), search::toString);
    assertEquals(0, memctl(home, "--db", copy, "doctor").exitCode());
    try (MemoryStore store = MemoryStore.builder(Path.of(copy)).build()) {
      assertEquals(2, store.file().stats().embeddedMemories());
      assertEquals("all-minilm-l6-v2-q", store.file().stats().embeddingModel());
    }

    // A store that holds no memory yet takes the export's model too.
    Path empty = folder.resolve("empty.db");
    MemoryStore.builder(empty).build().close();
    assertEquals(0, memctl(home, "--db", empty.toString(), "import", export.toString()).exitCode());
    try (MemoryStore store = MemoryStore.builder(empty).build()) {
      assertEquals("all-minilm-l6-v2-q", store.file().stats().embeddingModel());
      assertEquals(2, store.file().stats().embeddedMemories());
    }
  }

  /** Issue 19.10: a failed import into a new path leaves no file behind. */
  @Test
  void import_failedIntoANewPath_leavesNoFile() throws Exception {
    Path bad = folder.resolve("bad.jsonl");
    Files.writeString(
        bad,
        "{\"kind\":\"header\",\"format\":\"memstore-jsonl\",\"format_version\":1}\n"
            + "{\"kind\":\"memory\",\"memory_id\":\"mem-x\"}\n");
    Path target = folder.resolve("new.db");
    CliRun run = memctl(home, "--db", target.toString(), "import", bad.toString());
    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.err().contains("line 2: missing text"), run::toString);
    try (var files = Files.list(folder)) {
      assertEquals(
          List.of(),
          files
              .map(file -> file.getFileName().toString())
              .filter(name -> name.startsWith("new.db"))
              .toList());
    }
  }
}
