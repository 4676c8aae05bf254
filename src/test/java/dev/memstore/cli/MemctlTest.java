package dev.memstore.cli;

import static dev.memstore.cli.CliRun.memctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MemctlTest {
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
    return memctl(home, args);
  }

  private CliRun ok(String... args) {
    CliRun run = run(args);
    assertEquals(0, run.exitCode(), run::toString);
    assertEquals("", run.err(), run::toString);
    return run;
  }

  private String add(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "--db";
    all[1] = db;
    all[2] = "add";
    System.arraycopy(args, 0, all, 3, args.length);
    return ok(all).out().strip();
  }

  private static JsonNode parse(CliRun run) throws Exception {
    assertEquals(1, run.outLines().size(), "one JSON document per line: " + run.out());
    return JSON.readTree(run.out());
  }

  @Test
  void addGetListRemove_roundTrip() {
    String id =
        add(
            "The user's birthday is March 15th",
            "--type",
            "semantic",
            "--tier",
            "long_term",
            "--tag",
            "birthday",
            "--tag",
            "family",
            "--importance",
            "0.8");
    assertTrue(id.matches("mem-\\w+"), id);

    String got = ok("--db", db, "get", id).out();
    assertTrue(got.contains("id:            " + id), got);
    assertTrue(got.contains("type:          semantic"), got);
    assertTrue(got.contains("tier:          long_term"), got);
    assertTrue(got.contains("importance:    0.80"), got);
    assertTrue(got.contains("tags:          birthday, family"), got);
    assertTrue(got.contains("text:          The user's birthday is March 15th"), got);

    List<String> listed = ok("--db", db, "ls").outLines();
    assertEquals(3, listed.size(), listed::toString);
    assertTrue(listed.get(0).matches("ID +TYPE +TIER +IMP +CREATED +TEXT"), listed.get(0));
    assertTrue(
        listed
            .get(1)
            .matches(
                id
                    + " +semantic +long_term +0\\.80 +(just now|\\d+ s ago) +The user's birthday is March 15th"),
        listed.get(1));
    assertEquals("1 of 1 memory", listed.get(2));

    assertEquals(id + "\n", ok("--db", db, "rm", id).out().replace("\r\n", "\n"));
    assertEquals("no memories", ok("--db", db, "ls").out().strip());
    assertEquals(3, run("--db", db, "get", id).exitCode());
  }

  @Test
  void globalOptions_workBeforeAndAfterTheCommand() throws Exception {
    String before = ok("--db", db, "--json", "add", "one").out();
    String after = ok("add", "two", "--db", db, "--json").out();
    assertTrue(JSON.readTree(before).has("memory_id"));
    assertTrue(JSON.readTree(after).has("memory_id"));
    assertEquals("2 of 2 memories", ok("ls", "--db", db).outLines().get(3));
  }

  @Test
  void add_json_hasProtocolFields() throws Exception {
    JsonNode created = parse(ok("--db", db, "--json", "add", "hello"));
    assertTrue(created.get("memory_id").asText().startsWith("mem-"));
    assertTrue(
        created
            .get("created_at")
            .asText()
            .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
  }

  @Test
  void get_json_isTheProtocolsMemory() throws Exception {
    String id = add("hello", "--tag", "greeting", "--ttl", "3600");
    JsonNode memory = parse(ok("--db", db, "--json", "get", id));
    assertEquals(id, memory.get("memory_id").asText());
    assertEquals("general", memory.get("memory_type").asText());
    assertEquals("long_term", memory.get("memory_tier").asText(), "the default of general");
    assertEquals("hello", memory.get("content").get("text").asText());
    assertEquals("greeting", memory.get("tags").get(0).asText());
    assertEquals(0.5, memory.get("importance").asDouble());
    assertEquals(3600, memory.get("ttl").asLong());
    assertTrue(memory.get("expires_at").isTextual());
    assertTrue(memory.has("parent_id"));
    assertTrue(memory.has("session_id"));
  }

  @Test
  void ls_json_isTheProtocolsPage() throws Exception {
    add("one");
    add("two");
    JsonNode page = parse(ok("--db", db, "--json", "ls", "--limit", "1"));
    assertEquals(1, page.get("memories").size());
    assertEquals("two", page.get("memories").get(0).get("content").get("text").asText());
    assertEquals(2, page.get("total_count").asLong());
    assertEquals(1, page.get("page_info").get("limit").asInt());
    assertEquals(0, page.get("page_info").get("offset").asInt());
    assertTrue(page.get("page_info").get("has_more").asBoolean());
  }

  @Test
  void rm_json_listsTheDeletedIds() throws Exception {
    String parent = add("parent");
    String child = add("child", "--parent", parent);
    JsonNode deleted = parse(ok("--db", db, "--json", "rm", parent));
    assertEquals(2, deleted.get("deleted_count").asInt());
    assertEquals(parent, deleted.get("memory_ids").get(0).asText());
    assertEquals(child, deleted.get("memory_ids").get(1).asText());
  }

  @Test
  void stats_json_isTheProtocolsStats() throws Exception {
    add("one", "--type", "preference");
    JsonNode stats = parse(ok("--db", db, "--json", "stats"));
    assertEquals(1, stats.get("total_memories").asLong());
    assertEquals(1, stats.get("memory_type_distribution").get("preference").asLong());
    assertTrue(stats.get("file_size_bytes").asLong() > 0);
    assertTrue(stats.has("schema_version"));
  }

  @Test
  void stats_human_showsCountsAndSizes() {
    add("one");
    String stats = ok("--db", db, "stats").out();
    assertTrue(stats.contains("memories:           1 live, 0 expired"), stats);
    assertTrue(stats.contains("by type:            general 1"), stats);
    assertTrue(stats.contains("file size:"), stats);
  }

  @Test
  void ls_morePagesThanOne_saysHowToGetTheNext() throws Exception {
    try (MemoryStore store = MemoryStore.open(Path.of(db))) {
      for (int i = 1; i <= 25; i++) {
        store.create(NewMemory.of("memory number " + i));
      }
    }
    List<String> first = ok("--db", db, "ls").outLines();
    assertEquals(22, first.size());
    assertTrue(first.get(1).endsWith("memory number 25"), first.get(1));
    assertEquals("20 of 25 memories (use --offset 20 for more)", first.get(21));

    List<String> second = ok("--db", db, "ls", "--offset", "20").outLines();
    assertEquals(7, second.size());
    assertTrue(second.get(5).endsWith("memory number 1"), second.get(5));
    assertEquals("5 of 25 memories from offset 20", second.get(6));

    JsonNode last = parse(ok("--db", db, "--json", "ls", "--offset", "20"));
    assertFalse(last.get("page_info").get("has_more").asBoolean());
    assertEquals(25, last.get("total_count").asLong());
  }

  @Test
  void ls_filtersAndSort() {
    String cat =
        add(
            "cats",
            "--type",
            "preference",
            "--tag",
            "pets",
            "--tag",
            "cats",
            "--importance",
            "0.9");
    String dog = add("dogs", "--type", "preference", "--tag", "pets", "--importance", "0.2");
    String tea = add("tea", "--type", "semantic", "--tier", "short_term");

    assertEquals(List.of(dog, cat), ids(ok("--db", db, "ls", "--type", "preference")));
    assertEquals(List.of(tea), ids(ok("--db", db, "ls", "--tier", "short")));
    assertEquals(List.of(dog, cat), ids(ok("--db", db, "ls", "--tag", "pets", "--tag", "cats")));
    assertEquals(
        List.of(cat), ids(ok("--db", db, "ls", "--tag", "pets", "--tag", "cats", "--all-tags")));
    assertEquals(List.of(cat), ids(ok("--db", db, "ls", "--min-importance", "0.8")));
    assertEquals(
        List.of(dog, tea, cat), ids(ok("--db", db, "ls", "--sort", "importance", "--asc")));
    assertEquals(
        List.of(tea, dog, cat), ids(ok("--db", db, "ls", "--since", "2000-01-01T00:00:00Z")));
    assertEquals(List.of(), ids(ok("--db", db, "ls", "--until", "2000-01-01")));
  }

  private static List<String> ids(CliRun run) {
    return run.outLines().stream()
        .filter(line -> line.startsWith("mem-"))
        .map(line -> line.substring(0, line.indexOf(' ')))
        .toList();
  }

  @Test
  void ls_full_showsTheWholeText() {
    String text = "word ".repeat(30).strip();
    add(text);
    assertTrue(ok("--db", db, "ls").outLines().get(1).endsWith("word ".repeat(11) + "wo..."));
    assertTrue(ok("--db", db, "ls", "--full").out().contains(text));
  }

  @Test
  void rm_noCascade_keepsTheChildren() {
    String parent = add("parent");
    String child = add("child", "--parent", parent);
    assertEquals(List.of(parent), ok("--db", db, "rm", parent, "--no-cascade").outLines());
    assertTrue(ok("--db", db, "get", child).out().contains("text:"));
    assertFalse(ok("--db", db, "get", child).out().contains("parent:"));
  }

  @Test
  void rm_oneIdMissing_deletesNothingAndExitsNotFound() {
    String kept = add("kept");
    CliRun run = run("--db", db, "rm", kept, "mem-doesnotexist");
    assertEquals(3, run.exitCode(), run::toString);
    assertEquals("", run.out());
    assertEquals(List.of(kept), ids(ok("--db", db, "ls")));
  }

  @Test
  void get_missingId_exitsNotFound() {
    add("something");
    CliRun run = run("--db", db, "get", "mem-doesnotexist");
    assertEquals(3, run.exitCode(), run::toString);
    assertEquals("", run.out());
    assertEquals("memctl: memory mem-doesnotexist does not exist", run.err().strip());
  }

  @Test
  void add_unknownSession_exitsNotFound() {
    CliRun run = run("--db", db, "add", "text", "--session", "session-nope");
    assertEquals(3, run.exitCode(), run::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {"get", "ls", "stats"})
  void readingCommand_missingFile_exitsErrorAndCreatesNothing(String command) {
    Path missing = folder.resolve("sub").resolve("missing.db");
    String[] args =
        command.equals("get")
            ? new String[] {"--db", missing.toString(), command, "mem-x"}
            : new String[] {"--db", missing.toString(), command};
    CliRun run = run(args);
    assertEquals(1, run.exitCode(), run::toString);
    assertEquals("memctl: no memory store at " + missing.toAbsolutePath(), run.err().strip());
    assertFalse(Files.exists(missing));
    assertFalse(Files.exists(missing.getParent()));
  }

  @Test
  void badFlag_exitsUsage() {
    CliRun run = run("--db", db, "add", "text", "--bogus");
    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.err().startsWith("memctl: Unknown option: '--bogus'"), run.err());
    assertFalse(Files.exists(Path.of(db)));
  }

  @Test
  void importanceOutOfRange_exitsUsageAndStoresNothing() {
    add("first");
    CliRun run = run("--db", db, "add", "text", "--importance", "2");
    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.err().startsWith("memctl: "), run.err());
    assertTrue(run.err().contains("importance"), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
    assertEquals("1 of 1 memory", ok("--db", db, "ls").outLines().get(2));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "add|text|--type|nope",
        "add|text|--importance|high",
        "add|text|--ttl|0",
        "ls|--limit|0",
        "ls|--since|yesterday",
        "ls|--sort|colour",
        "ls|--all-tags",
        "ls|--min-importance|1.5",
        "rm",
        "nosuchcommand",
        ""
      })
  void badUsage_exitsUsage(String argsJoined) {
    add("so the store exists");
    String[] args = ("--db|" + db + (argsJoined.isEmpty() ? "" : "|" + argsJoined)).split("\\|");
    CliRun run = run(args);
    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.err().startsWith("memctl: "), run.err());
    assertEquals("", run.out());
  }

  @Test
  void notAMemstoreFile_exitsRefused() throws Exception {
    Files.writeString(Path.of(db), "this is not a database, just some text");
    CliRun run = run("--db", db, "ls");
    assertEquals(4, run.exitCode(), run::toString);
    assertTrue(run.err().startsWith("memctl: "), run.err());
    assertEquals("this is not a database, just some text", Files.readString(Path.of(db)));
  }

  @Test
  void version_exitsZero() {
    CliRun run = ok("--version");
    assertTrue(run.out().matches("memctl \\S+\\R"), run.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "add", "get", "ls", "rm", "stats", "exec", "demo"})
  void help_exitsZeroAndDocumentsExitCodes(String command) {
    CliRun run = command.isEmpty() ? ok("--help") : ok(command, "--help");
    assertTrue(run.out().contains("Usage: memctl"), run.out());
    assertTrue(run.out().contains("Exit codes:"), run.out());
    assertTrue(run.out().contains("3   not found"), run.out());
    assertTrue(run.out().contains("--db=FILE"), run.out());
  }

  @Test
  void storeLocation_environmentUsedWithoutFlag_flagWinsOverIt() throws Exception {
    Path fromEnvironment = folder.resolve("env").resolve("memory.db");
    Path fromFlag = folder.resolve("flag").resolve("memory.db");
    StoreLocation location =
        new StoreLocation(Map.of("MEMSTORE_DB", fromEnvironment.toString())::get, "Linux", home);
    Files.createDirectories(fromEnvironment.getParent());
    Files.createDirectories(fromFlag.getParent());

    assertEquals(0, CliRun.memctl(location, "", "add", "via env").exitCode());
    assertTrue(Files.exists(fromEnvironment));

    assertEquals(
        0, CliRun.memctl(location, "", "add", "via flag", "--db", fromFlag.toString()).exitCode());
    assertTrue(Files.exists(fromFlag));
    CliRun listed = CliRun.memctl(location, "", "ls");
    assertEquals("1 of 1 memory", listed.outLines().get(2), listed::toString);
    assertTrue(listed.out().contains("via env"));
  }

  /** Issue 13: a typo in the folder of --db used to start a second, empty store silently. */
  @ParameterizedTest
  @ValueSource(strings = {"add|hi", "session|start", "group|create|g", "exec"})
  void writingCommand_storeFolderMissing_isAnErrorAndCreatesNothing(String argsJoined) {
    Path typo = folder.resolve("nonexistent").resolve("dir").resolve("x.db");
    List<String> args = new java.util.ArrayList<>(List.of("--db", typo.toString()));
    args.addAll(List.of(argsJoined.split("\\|")));
    CliRun run = run(args.toArray(String[]::new));
    assertEquals(1, run.exitCode(), run::toString);
    assertTrue(run.err().startsWith("memctl: no folder " + typo.getParent()), run::toString);
    assertFalse(Files.exists(folder.resolve("nonexistent")), "no folder was created");

    StoreLocation fromEnvironment =
        new StoreLocation(Map.of("MEMSTORE_DB", typo.toString())::get, "Linux", home);
    CliRun viaEnvironment =
        CliRun.memctl(fromEnvironment, "", List.of(argsJoined.split("\\|")).toArray(String[]::new));
    assertEquals(1, viaEnvironment.exitCode(), viaEnvironment::toString);
    assertFalse(Files.exists(folder.resolve("nonexistent")), "no folder was created");
  }

  /** Issue 13: add could not read its text from standard input. */
  @ParameterizedTest
  @ValueSource(strings = {"add", "add|-"})
  void add_withoutTextOrWithDash_readsStandardInput(String argsJoined) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("--db", db, "--json"));
    args.addAll(List.of(argsJoined.split("\\|")));
    CliRun run =
        CliRun.memctl(
            new StoreLocation(Map.<String, String>of()::get, "Linux", home),
            "first line\nsecond line\n",
            args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run::toString);
    String id = parse(run).get("memory_id").textValue();
    JsonNode memory = parse(ok("--db", db, "--json", "get", id));
    assertEquals("first line\nsecond line", memory.at("/content/text").textValue());
  }

  @Test
  void add_emptyStandardInput_isAUsageErrorAndStoresNothing() {
    add("so the store exists");
    CliRun run = run("--db", db, "add");
    assertEquals(2, run.exitCode(), run::toString);
    assertEquals(1, ids(ok("--db", db, "ls")).size());
  }

  @Test
  void storeLocation_nothingSet_usesThePlatformFolder() {
    assertEquals(0, run("add", "in the default place").exitCode());
    assertTrue(Files.exists(home.resolve(".local/share/memstore/memory.db")));
  }

  @Test
  void commands_writeNothingToSystemOut() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      add("quiet");
      ok("--db", db, "ls");
      run("--db", db, "get", "mem-missing");
      run("--db", db, "ls", "--bogus");
    } finally {
      System.setOut(original);
    }
    assertEquals("", captured.toString(StandardCharsets.UTF_8));
  }

  @Test
  void demo_walksThroughEveryStep() {
    Path demo = folder.resolve("demo").resolve("demo.db");
    CliRun run = ok("demo", "--db", demo.toString());
    String out = run.out();
    for (String step :
        List.of(
            "1. Open a fresh store",
            "2. Start a session",
            "3. Store the conversation",
            "5. Read a memory back",
            "6. Search by meaning",
            "7. Search by keywords",
            "8. Update a memory",
            "10. Hierarchy",
            "11. Relationship",
            "12. Context group",
            "13. Decay on a simulated clock",
            "14. Reinforce a memory",
            "15. A repeated fact",
            "16. The change history",
            "17. Delete a memory",
            "18. End the session",
            "19. Statistics")) {
      assertTrue(out.contains(step), () -> step + " missing from\n" + out);
    }
    assertTrue(out.contains("importance 0.60 -> 0.90, effectively 0.90 again"), out);
    assertTrue(out.contains("importance 0.60, now effectively 0.47 (half-life 14 days)"), out);
    assertTrue(out.contains("the same text again: not copied"), out);
    assertTrue(out.contains("merged into"), out);
    assertTrue(out.contains("summary: 11 memories from"), out);
    assertTrue(out.contains("12 of 12 memories"), out);
    assertTrue(Files.exists(demo));
    List<String> listed = ok("--db", demo.toString(), "ls").outLines();
    assertEquals(
        "5 of 5 memories",
        listed.get(listed.size() - 1),
        "the facts and the session's summary; the turns are archived, the paraphrase merged");
  }

  @Test
  void demo_existingFile_isRefusedAndLeftAlone() throws Exception {
    add("precious");
    long size = Files.size(Path.of(db));
    CliRun run = run("demo", "--db", db);
    assertEquals(4, run.exitCode(), run::toString);
    assertTrue(run.err().contains("already exists"), run.err());
    assertEquals(size, Files.size(Path.of(db)));
    assertEquals(1, ids(ok("--db", db, "ls")).size());
  }
}
