package dev.memstore.cli;

import static dev.memstore.cli.CliRun.memctl;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.testing.MemoryStoreExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** memctl's --meta and --meta-json on ls, search, prune and forget. */
class MetaOptionsTest {
  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withoutModel()
          .onSystemClock()
          .configure(builder -> builder.maintenanceInterval(Duration.ZERO));

  private Path home;
  private String db;
  private Memory weather;
  private Memory german;
  private Memory unsure;
  private Memory bare;

  @BeforeEach
  void setUp() throws Exception {
    home = Files.createDirectories(stores.folder().resolve("home"));
    db = stores.file().toString();
    Instant longAgo = Instant.now().minus(Duration.ofDays(60));
    try (MemoryStore store = stores.open(builder -> builder.clock(InstantSource.fixed(longAgo)))) {
      weather =
          add(
              store,
              "sunny forecast note",
              Map.of("intent", "weather_query", "confidence", 0.9, "lang", "en", "source", "chat"));
      german =
          add(
              store,
              "regen forecast note",
              Map.of("intent", "weather_query", "confidence", 0.85, "lang", "de", "code", "42"));
      unsure = add(store, "maybe forecast note", Map.of("intent", "smalltalk", "confidence", 0.3));
      bare = add(store, "plain forecast note", Map.of());
    }
  }

  private static Memory add(MemoryStore store, String text, Map<String, ?> metadata) {
    return store.create(NewMemory.builder(text).importance(0.01).metadata(metadata).build());
  }

  private CliRun run(String... args) {
    List<String> all = new ArrayList<>(List.of("--db", db, "--json"));
    all.addAll(List.of(args));
    return memctl(
        new StoreLocation(Map.<String, String>of()::get, "Linux", home),
        "",
        all.toArray(String[]::new));
  }

  /** The memories of the fixture whose ids the output names. */
  private Set<String> named(CliRun run) {
    assertEquals(0, run.exitCode(), run::toString);
    Set<String> found = new TreeSet<>();
    for (Memory memory : List.of(weather, german, unsure, bare)) {
      if (run.out().contains(memory.id())) {
        found.add(memory.content().split(" ")[0]);
      }
    }
    return found;
  }

  private static Set<String> set(String... words) {
    return new TreeSet<>(List.of(words));
  }

  @Test
  void ls_metaExpressions_allMustHold() {
    assertEquals(
        set("regen", "sunny"),
        named(run("ls", "--meta", "confidence>=0.8", "--meta", "intent=weather_query")));
    assertEquals(set("regen", "sunny"), named(run("ls", "--meta", "lang in en,de")));
    assertEquals(set("sunny"), named(run("ls", "--meta", "source exists")));
    assertEquals(set("maybe", "plain", "regen"), named(run("ls", "--meta", "source !exists")));
    assertEquals(set("maybe", "plain", "regen"), named(run("ls", "--meta", "lang!=en")));
    assertEquals(set("maybe", "plain"), named(run("ls", "--meta", "lang !in en,de")));
    assertEquals(set("maybe"), named(run("ls", "--meta", "confidence<0.5")));
    assertEquals(set(), named(run("ls", "--meta", "code=42")), "42 reads as a number");
    assertEquals(set("regen"), named(run("ls", "--meta", "code=\"42\"")));
  }

  @Test
  void ls_metaJson_takesTheProtocolForm() {
    assertEquals(
        set("maybe", "sunny"),
        named(
            run(
                "ls",
                "--meta-json",
                "{\"$or\": [{\"lang\": \"en\"}, {\"confidence\": {\"$lt\": 0.5}}]}")));
    assertEquals(
        set("sunny"),
        named(run("ls", "--meta-json", "{\"lang\": \"en\"}", "--meta", "source=chat")));
  }

  @Test
  void search_meta_restrictsHits() {
    assertEquals(
        set("regen", "sunny"),
        named(
            run("search", "forecast note", "--mode", "keyword", "--meta", "intent=weather_query")));
  }

  @Test
  void prune_meta_deletesOnlyTheMatches() throws Exception {
    CliRun done =
        run("prune", "--older-than", "30d", "--below", "0.5", "--meta", "lang=de", "--yes");
    assertEquals(set("regen"), named(done));
    assertEquals(List.of("sunny", "maybe", "plain"), left());
  }

  @Test
  void forget_meta_forgetsOnlyTheMatches() throws Exception {
    CliRun done = run("forget", "--meta", "confidence<0.5", "--yes");
    assertEquals(0, done.exitCode(), done::toString);
    assertEquals(List.of("sunny", "regen", "plain"), left());
  }

  private List<String> left() {
    try (MemoryStore store = MemoryStore.builder(stores.file()).embeddingModel("none").build()) {
      return store
          .list(MemoryFilter.builder().build(), MemorySort.OLDEST_FIRST, 0, 10)
          .items()
          .stream()
          .map(memory -> memory.content().split(" ")[0])
          .toList();
    }
  }

  @Test
  void badMeta_usageErrorAndNothingChanged() throws Exception {
    byte[] before = Files.readAllBytes(stores.file());
    for (List<String> args :
        List.of(
            List.of("ls", "--meta", "confidence"),
            List.of("ls", "--meta", "a..b=1"),
            List.of("ls", "--meta", "flag>true"),
            List.of("ls", "--meta-json", "{\"lang\": {\"$regex\": \"e\"}}"),
            List.of("ls", "--meta-json", "not json"),
            List.of("forget", "--meta", "=x", "--yes"),
            List.of("prune", "--older-than", "30d", "--meta", "lang", "--yes"))) {
      CliRun run = run(args.toArray(String[]::new));
      assertEquals(2, run.exitCode(), run::toString);
      assertFalse(run.err().isBlank(), run::toString);
    }
    CliRun regex = run("ls", "--meta-json", "{\"lang\": {\"$regex\": \"e\"}}");
    assertTrue(regex.err().contains("--meta-json.lang.$regex"), regex::toString);
    assertArrayEquals(before, Files.readAllBytes(stores.file()));
  }
}
