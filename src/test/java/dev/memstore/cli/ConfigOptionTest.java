package dev.memstore.cli;

import static dev.memstore.cli.CliRun.memctl;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.internal.json.Json;
import dev.memstore.testing.MemoryStoreExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * memctl --config, $MEMSTORE_CONFIG and the config beside the store: prune, decay and search use
 * the assistant's retention and ranking, in the order --config, the variable, beside the store.
 */
class ConfigOptionTest {
  /** Half-lives so long that nothing fades within the test's 60 days. */
  private static final String SLOW_DECAY =
      "retention:\n  half_life: {short_term: 36500d, working: 36500d, long_term: 36500d}\n";

  /** Half-lives so short that a memory of 60 days ago has faded to nothing. */
  private static final String FAST_DECAY =
      "retention:\n  half_life: {short_term: 1d, working: 1d, long_term: 1d}\n";

  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withoutModel()
          .onSystemClock()
          .configure(builder -> builder.maintenanceInterval(Duration.ZERO));

  private Path home;
  private Path db;
  private Memory old;
  private final Map<String, String> environment = new HashMap<>();

  @BeforeEach
  void setUp() throws Exception {
    home = Files.createDirectories(stores.folder().resolve("home"));
    db = stores.file();
    Instant longAgo = Instant.now().minus(Duration.ofDays(60));
    try (MemoryStore store = stores.open(builder -> builder.clock(InstantSource.fixed(longAgo)))) {
      old = store.create(NewMemory.builder("an old note about coffee").importance(0.5).build());
    }
  }

  private CliRun run(String... args) {
    return memctl(new StoreLocation(Map.copyOf(environment)::get, "Linux", home), "", args);
  }

  private Path write(String name, String yaml) throws Exception {
    return Files.writeString(stores.folder().resolve(name), yaml);
  }

  private boolean prunePlanLists(String... configArgs) {
    String[] args = new String[configArgs.length + 6];
    System.arraycopy(configArgs, 0, args, 0, configArgs.length);
    System.arraycopy(
        new String[] {"--db", db.toString(), "prune", "--below", "0.45", "--dry-run"},
        0,
        args,
        configArgs.length,
        6);
    CliRun run = run(args);
    assertEquals(0, run.exitCode(), run::toString);
    return run.out().contains(old.id());
  }

  @Test
  void prune_withoutConfig_usesTheDefaultRetention() {
    assertTrue(
        prunePlanLists(),
        "60 days at the default long-term half-life (180 days) fade 0.5 below 0.45");
  }

  @Test
  void prune_configOption_usesTheFilesRetention() throws Exception {
    Path config = write("assistant.yaml", SLOW_DECAY);
    assertFalse(prunePlanLists("--config", config.toString()));
  }

  @Test
  void prune_configVariable_usesTheFilesRetention() throws Exception {
    environment.put("MEMSTORE_CONFIG", write("assistant.yaml", SLOW_DECAY).toString());
    assertFalse(prunePlanLists());
  }

  @Test
  void prune_configBesideTheStore_usesItsRetention() throws Exception {
    String stem = db.getFileName().toString().replaceFirst("\\.db$", "");
    write(stem + "_config.yaml", SLOW_DECAY);
    assertFalse(prunePlanLists());
  }

  @Test
  void prune_configOptionAndVariable_optionWins() throws Exception {
    environment.put("MEMSTORE_CONFIG", write("fast.yaml", FAST_DECAY).toString());
    assertFalse(prunePlanLists("--config", write("slow.yaml", SLOW_DECAY).toString()));
  }

  @Test
  void prune_variableAndConfigBesideTheStore_variableWins() throws Exception {
    String stem = db.getFileName().toString().replaceFirst("\\.db$", "");
    write(stem + "_config.yaml", FAST_DECAY);
    environment.put("MEMSTORE_CONFIG", write("slow.yaml", SLOW_DECAY).toString());
    assertFalse(prunePlanLists());
  }

  @Test
  void decay_configPruneFloor_prunesWhatTheDefaultsKeep() throws Exception {
    try (MemoryStore store = stores.open()) {
      store.create(NewMemory.builder("a fresh note").importance(0.5).build());
    }
    CliRun defaults = run("--db", db.toString(), "--json", "decay");
    assertEquals(0, defaults.exitCode(), defaults::toString);
    assertEquals(0, Json.MAPPER.readTree(defaults.out()).get("pruned").asInt(), defaults::toString);
    Path config =
        write("assistant.yaml", SLOW_DECAY + "  prune_floor: 0.6\n  max_deletion_share: 1\n");
    CliRun configured =
        run("--config", config.toString(), "--db", db.toString(), "--json", "decay");
    assertEquals(0, configured.exitCode(), configured::toString);
    assertEquals(
        2, Json.MAPPER.readTree(configured.out()).get("pruned").asInt(), configured::toString);
  }

  @Test
  void search_configRanking_changesTheScores() throws Exception {
    CliRun defaults = run("--db", db.toString(), "--json", "search", "coffee");
    Path config =
        write(
            "assistant.yaml",
            "ranking: {semantic_weight: 0.5, importance_weight: 0.9, recency_weight: 0}\n");
    CliRun configured =
        run("--config", config.toString(), "--db", db.toString(), "--json", "search", "coffee");
    assertEquals(0, defaults.exitCode(), defaults::toString);
    assertEquals(0, configured.exitCode(), configured::toString);
    JsonNode before = Json.MAPPER.readTree(defaults.out()).get("results").get(0);
    JsonNode after = Json.MAPPER.readTree(configured.out()).get("results").get(0);
    assertEquals(old.id(), before.get("memory_id").asText(), defaults::toString);
    assertEquals(old.id(), after.get("memory_id").asText(), configured::toString);
    assertTrue(
        after.get("score").asDouble() > before.get("score").asDouble(),
        "importance weighs more: " + before + " then " + after);
  }

  @Test
  void anyCommand_configWithThePath_opensThatStore() throws Exception {
    Path config = write("assistant.yaml", "path: " + db.getFileName() + "\n");
    CliRun run = run("--config", config.toString(), "get", old.id());
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("an old note about coffee"), run::toString);
  }

  @Test
  void anyCommand_badConfig_failsNamingTheKeyAndChangesNothing() throws Exception {
    Path config = write("assistant.yaml", "retention:\n  prune_flor: 0.5\n");
    byte[] before = Files.readAllBytes(db);
    CliRun run = run("--config", config.toString(), "--db", db.toString(), "add", "more");
    assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
    assertTrue(run.err().contains("prune_flor"), run::toString);
    assertArrayEquals(before, Files.readAllBytes(db), "nothing written");
  }

  @Test
  void anyCommand_missingConfig_failsNamingIt() {
    Path missing = stores.folder().resolve("missing.yaml");
    CliRun run = run("--config", missing.toString(), "--db", db.toString(), "ls");
    assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
    assertTrue(run.err().contains("missing.yaml"), run::toString);
  }

  @Test
  void readOnlyCommand_configSaysNotReadOnly_memctlWins() throws Exception {
    Path config = write("assistant.yaml", "read_only: false\ncreate_if_missing: true\n");
    CliRun run = run("--config", config.toString(), "--db", db.toString(), "--read-only", "ls");
    assertEquals(0, run.exitCode(), run::toString);
    CliRun add =
        run("--config", config.toString(), "--db", db.toString(), "--read-only", "add", "x");
    assertTrue(add.exitCode() != 0, add::toString);
    assertTrue(add.err().contains("read-only"), add::toString);
  }

  @Test
  void help_statesThePrecedence() {
    CliRun run = run("--help");
    assertTrue(run.out().contains("--config FILE, else $MEMSTORE_CONFIG"), run::toString);
    assertTrue(run.out().contains("NAME_config.yaml beside the store"), run::toString);
  }
}
