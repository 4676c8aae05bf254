package dev.memstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 13: one rule for exit codes (ExitCodes), checked per command. Every failure here changes
 * nothing, so all rows share one store.
 */
class ExitCodeRuleTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NO_MEMORY = "mem-00000000000000000000000000";

  @TempDir static Path folder;
  private static Path home;
  private static Path db;
  private static Path existing;
  private static String memory;
  private static String session;
  private static long group;
  private static byte[] storeBytes;

  @BeforeAll
  static void createStore() throws Exception {
    home = Files.createDirectories(folder.resolve("home"));
    db = folder.resolve("memory.db");
    existing = Files.writeString(folder.resolve("existing.txt"), "keep me");
    try (MemoryStore store = MemoryStore.open(db)) {
      memory = store.create(NewMemory.of("The user likes tea")).id();
      session = store.sessions().create("ada", null, Map.of()).id();
      group = store.groups().create("home", null).id();
    }
    storeBytes = Files.readAllBytes(db);
    // Other names of the store: a link to it, a hard link, and its folder through a link.
    Files.createSymbolicLink(folder.resolve("alias.db"), db);
    Files.createLink(folder.resolve("hard.db"), db);
    Files.createSymbolicLink(folder.resolve("linked-folder"), folder);
  }

  private static CliRun run(String argsJoined) {
    List<String> args = new ArrayList<>(List.of("--db", db.toString()));
    if (!argsJoined.isEmpty()) {
      for (String arg : argsJoined.split(" ")) {
        args.add(
            arg.replace("{db}", db.toString())
                .replace("{folder}", folder.toString())
                .replace("{existing}", existing.toString())
                .replace("{memory}", memory)
                .replace("{session}", session)
                .replace("{group}", String.valueOf(group))
                .replace("{none}", NO_MEMORY));
      }
    }
    return CliRun.memctl(
        new StoreLocation(Map.<String, String>of()::get, "Linux", home),
        "",
        args.toArray(String[]::new));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = ';',
      value = {
        // 3: an id that names nothing
        "get {none}; 3",
        "update {none} --importance 0.5; 3",
        "rm {none}; 3",
        "children {none}; 3",
        "related {none}; 3",
        "link {memory} {none}; 3",
        "link {none} {memory}; 3",
        "unlink 999999; 3",
        "reinforce {none}; 3",
        "history {none}; 3",
        "session end session-00000000000000000000000000; 3",
        "session show session-00000000000000000000000000; 3",
        "group add 999999 {memory}; 3",
        "group add {group} {none}; 3",
        "group rm 999999 {memory}; 3",
        "group rm {group} {none}; 3",
        "group show 999999; 3",
        "add text --session session-00000000000000000000000000; 3",
        "add text --parent {none}; 3",
        // 2: the command line is wrong
        "nosuchcommand; 2",
        "'' ; 2",
        "help nosuchcommand; 2",
        "add text --type nope; 2",
        "add text --importance 2; 2",
        "get; 2",
        "update; 2",
        "rm; 2",
        "ls --limit 0; 2",
        "search; 2",
        "search x --mode fuzzy; 2",
        "children; 2",
        "related; 2",
        "link {memory}; 2",
        "unlink abc; 2",
        "reinforce {memory} --factor lots; 2",
        "history; 2",
        "watch --count 0; 2",
        "session; 2",
        "session end; 2",
        "session show; 2",
        "group; 2",
        "group create; 2",
        "group create home; 2",
        "group add {group}; 2",
        "group show abc; 2",
        "stats --bogus; 2",
        "doctor --bogus; 2",
        "prune; 2",
        "consolidate --bogus; 2",
        "decay --bogus; 2",
        "summarize --min-importance 2; 2",
        "optimize --bogus; 2",
        "checkpoint --bogus; 2",
        "backup; 2",
        "reembed; 2",
        "reembed --model nosuchmodel; 2",
        "export; 2",
        "import; 2",
        "exec --bogus; 2",
        "completion tcsh; 2",
        // 4: a file refused: exists, or is the store or one of its files
        "backup {existing}; 4",
        "backup {db}; 4",
        "backup {db}-wal; 4",
        "backup {db}.snapshot; 4",
        "export {existing}; 4",
        "export {db} --force; 4",
        "export {db}-wal --force; 4",
        "export {db}-shm --force; 4",
        "export {db}.snapshot --force; 4",
        "export {folder}/alias.db --force; 4",
        "export {folder}/hard.db --force; 4",
        "export {folder}/linked-folder/memory.db --force; 4",
        "export {folder}/linked-folder/memory.db-wal --force; 4",
        "backup {folder}/linked-folder/memory.db.snapshot; 4",
        "demo; 4",
        // 1: a file or folder missing
        "backup {folder}/nope/copy.db; 1",
        "export {folder}/nope/out.jsonl; 1",
        "import {folder}/missing.jsonl; 1",
      })
  void exitCode_followsTheRule(String argsJoined, int expected) throws Exception {
    CliRun run = run(argsJoined.equals("''") ? "" : argsJoined.strip());
    assertEquals(expected, run.exitCode(), run::toString);
    assertTrue(run.err().startsWith("memctl: "), run::toString);
    assertFalse(run.err().contains("Exception"), run::toString);
    assertEquals("keep me", Files.readString(existing));
    assertTrue(Files.notExists(folder.resolve("nope")), "no folder created");
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1} {2}")
  @CsvSource(
      delimiter = ';',
      value = {
        "get {none}; 3; memory_not_found",
        "session show session-00000000000000000000000000; 3; session_not_found",
        "unlink 999999; 3; validation_error",
        "group show 999999; 3; validation_error",
        "add text --importance 2; 2; validation_error",
        "get; 2; invalid_request",
        "ls --bogus; 2; invalid_request",
        "export {existing}; 4; permission_denied",
      })
  void json_errorsAreOneProtocolErrorLineOnStandardError(
      String argsJoined, int exitCode, String errorCode) throws Exception {
    CliRun run = run("--json " + argsJoined.strip());
    assertEquals(exitCode, run.exitCode(), run::toString);
    assertEquals("", run.out(), run::toString);
    assertEquals(1, run.err().lines().count(), run::toString);
    JsonNode error = JSON.readTree(run.err());
    assertEquals("error", error.get("status").textValue(), run::toString);
    assertEquals(errorCode, error.at("/error/code").textValue(), run::toString);
    assertFalse(error.at("/error/message").textValue().isBlank(), run::toString);
  }

  @Test
  void failures_changeNoByteOfTheStore() throws Exception {
    for (String args :
        List.of(
            "export {db} --force",
            "backup {db}",
            "export {db}-wal --force",
            "export {folder}/alias.db --force",
            "export {folder}/hard.db --force",
            "rm {none}")) {
      run(args);
    }
    assertTrue(Arrays.equals(storeBytes, Files.readAllBytes(db)), "the store is untouched");
  }

  @Test
  void help_asACommand_printsTheCommandsUsage() {
    CliRun run = run("help add");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("Usage: memctl add"), run::toString);
    assertTrue(run.out().contains("Exit codes:"), run::toString);
  }
}
