package dev.memstore.cli;

import static dev.memstore.cli.CliRun.memctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchCommandTest {
  @TempDir Path folder;
  private Path home;
  private String db;
  private String coffee;

  @BeforeEach
  void setUp() throws Exception {
    home = Files.createDirectories(folder.resolve("home"));
    db = folder.resolve("memory.db").toString();
    try (MemoryStore store = MemoryStore.open(Path.of(db))) {
      coffee =
          store
              .create(
                  NewMemory.builder("The user drinks an espresso every morning")
                      .tags("food")
                      .build())
              .id();
      store.create(NewMemory.of("Sam's birthday is on March 15th"));
    }
  }

  @Test
  void search_human_tableWithScores() {
    CliRun run =
        memctl(
            home,
            "--db",
            db,
            "search",
            "coffee habits",
            "-k",
            "1",
            "--mode",
            "semantic",
            "--explain");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains(coffee), run.out());
    assertTrue(run.outLines().get(0).startsWith("SCORE"), run.out());
    assertTrue(run.out().contains("1 hit (semantic search, bge-small-en-v1.5-q)"), run.out());
  }

  @Test
  void search_json_isTheProtocolsSearchResponse() throws Exception {
    CliRun run = memctl(home, "--db", db, "--json", "search", "espresso", "--tag", "food");
    assertEquals(0, run.exitCode(), run::toString);
    JsonNode data = new ObjectMapper().readTree(run.out());
    assertEquals(coffee, data.at("/results/0/memory_id").textValue());
    assertTrue(data.at("/results/0/similarity_score").isNumber());
    assertTrue(data.at("/results/0/score").isNumber());
    assertEquals("hybrid", data.at("/search_metadata/search_type").textValue());
    assertEquals(1, data.get("total_count").intValue());
    assertTrue(data.get("total_count_exact").booleanValue());
  }

  @Test
  void search_minScore_appliesInTheDefaultHybridMode() {
    CliRun run = memctl(home, "--db", db, "search", "quantum physics", "--min-score", "0.99");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().startsWith("no hits"), run.out());
    CliRun all = memctl(home, "--db", db, "search", "espresso", "-k", "1");
    assertTrue(all.outLines().get(0).startsWith("SCORE  SIMILARITY"), all.out());
    assertTrue(all.out().contains("1 hit of 2 matches (hybrid search"), all.out());
  }

  /** Issue 13: the help said hits count as accesses, but memctl opened the store read-only. */
  @Test
  void search_hitsCountAsAccesses_notWithReadOnly() {
    CliRun run = memctl(home, "--db", db, "search", "espresso", "--mode", "keyword");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains(coffee), run::toString);
    assertEquals(1, accessCount(coffee), "the hit is a read, as in the store's search");

    CliRun readOnly =
        memctl(home, "--db", db, "--read-only", "search", "espresso", "--mode", "keyword");
    assertEquals(0, readOnly.exitCode(), readOnly::toString);
    assertEquals(1, accessCount(coffee), "--read-only changes no byte, so counts nothing");
  }

  private long accessCount(String memoryId) {
    try (MemoryStore store = MemoryStore.builder(Path.of(db)).readOnly(true).build()) {
      return store
          .list(
              dev.memstore.MemoryFilter.builder().ids(java.util.List.of(memoryId)).build(),
              dev.memstore.MemorySort.OLDEST_FIRST,
              0,
              1)
          .items()
          .get(0)
          .accessCount();
    }
  }

  @Test
  void search_badMode_usageError() {
    assertEquals(2, memctl(home, "--db", db, "search", "x", "--mode", "fuzzy").exitCode());
  }

  @Test
  void search_missingFile_errorAndNothingCreated() {
    Path missing = folder.resolve("missing.db");
    CliRun run = memctl(home, "--db", missing.toString(), "search", "x");
    assertEquals(1, run.exitCode());
    assertTrue(!Files.exists(missing));
  }

  @Test
  void reembed_toTheOtherModel_movesEveryMemoryAndIsIdempotent() {
    CliRun moved = memctl(home, "--db", db, "reembed", "--model", "all-minilm-l6-v2-q");
    assertEquals(0, moved.exitCode(), moved::toString);
    assertEquals("moved 2 memories to all-minilm-l6-v2-q", moved.out().strip());
    CliRun again = memctl(home, "--db", db, "reembed", "--model", "all-minilm-l6-v2-q");
    assertEquals("the store already uses all-minilm-l6-v2-q", again.out().strip());
    CliRun search =
        memctl(home, "--db", db, "search", "coffee habits", "-k", "1", "--mode", "semantic");
    assertTrue(
        search.out().contains(coffee) && search.out().contains("all-minilm-l6-v2-q"),
        search::toString);
  }
}
