package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.testing.MutableClock;
import dev.memstore.testing.WordHashEmbedder;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export and import as JSON Lines: a round trip reproduces the store. */
class TransferTest {
  @TempDir Path folder;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-04-01T08:00:00Z"));

  private MemoryStore open(String name) {
    return MemoryStore.builder(folder.resolve(name))
        .embedder(new WordHashEmbedder("word-hash", 64, 0))
        .clock(clock)
        .maintenanceInterval(Duration.ZERO)
        .build();
  }

  private static String export(MemoryStore store) {
    StringWriter out = new StringWriter();
    store.exportTo(out, count -> {});
    return out.toString();
  }

  /** A store with one of everything the format carries. */
  private void fill(MemoryStore store) {
    Session session = store.createSession("ada", "conversation", Map.of("device", "kitchen"));
    Memory parent =
        store.create(
            NewMemory.builder("trip to Rome")
                .type(MemoryType.EPISODIC)
                .tags("travel", "rome")
                .metadata(Map.of("budget", 1200, "with", List.of("maya")))
                .sourceAgent("planner")
                .importance(0.8)
                .priority(7)
                .build());
    clock.advance(Duration.ofMinutes(1));
    Memory child =
        store.create(
            NewMemory.builder("flight on Friday at 9")
                .parentId(parent.id())
                .ttl(Duration.ofDays(30))
                .agentId("agent-7")
                .build());
    Memory turn =
        store.create(
            NewMemory.builder("we talked about the trip")
                .type(MemoryType.CONVERSATION)
                .sessionId(session.id())
                .build());
    store.create(NewMemory.builder("the user is allergic to peanuts").pinned(true).build());
    clock.advance(Duration.ofMinutes(1));
    store.update(child.id(), MemoryUpdate.builder().content("flight on Friday at 10").build());
    store.reinforce(parent.id(), 1.1);
    store.get(parent.id());
    store.addRelationship(child.id(), parent.id(), "part_of", 0.9);
    ContextGroup group = store.createContextGroup("travel", "all about trips");
    store.addToGroup(group.id(), parent.id());
    store.addToGroup(group.id(), child.id());
    store.createSession(null, null, Map.of());
    store.endSession(session.id(), null, true);
    assertNotNull(store.get(turn.id()).archivedAt());
  }

  @Test
  void exportImportExport_givesTheSameBytes() {
    String first;
    try (MemoryStore store = open("a.db")) {
      fill(store);
      first = export(store);
    }
    TransferReport imported;
    String second;
    try (MemoryStore copy = open("b.db")) {
      imported = copy.importFrom(new StringReader(first), false, count -> {});
      second = export(copy);
      assertEquals(
          "flight on Friday at 10",
          copy.search(SearchQuery.of("flight Friday")).hits().get(0).memory().content());
    }
    assertEquals(first, second);
    assertEquals(2, imported.sessions());
    assertEquals(5, imported.memories(), "four and the session's summary");
    assertEquals(2, imported.relationships(), "part_of, and the summary's summarizes link");
    assertEquals(1, imported.contextGroups());
    assertEquals(0, imported.awaitingEmbedding(), "the same model: vectors kept");
    assertEquals(1 + 2 + 5 + 2 + 1, first.lines().count(), first);
    assertTrue(
        first.startsWith(
            "{\"kind\":\"header\",\"format\":\"memstore-jsonl\",\"format_version\":1"));
  }

  @Test
  void import_badLine_refusesEverythingNamingTheLine() {
    String export;
    try (MemoryStore store = open("a.db")) {
      fill(store);
      export = export(store);
    }
    List<String> lines = new java.util.ArrayList<>(export.lines().toList());
    lines.add(3, "{\"kind\":\"memory\",\"memory_id\":\"mem-01kaaaaaaaaaaaaaaaaaaaaaaa\"}");
    lines.add(5, "not json at all");
    String damaged = String.join("\n", lines) + "\n";
    try (MemoryStore copy = open("b.db")) {
      ValidationException refused =
          assertThrows(
              ValidationException.class,
              () -> copy.importFrom(new StringReader(damaged), false, count -> {}));
      assertTrue(refused.getMessage().startsWith("line 4: missing text"), refused.getMessage());
      assertEquals(0, copy.stats().totalMemories(), "nothing imported");
      assertEquals(0, copy.stats().sessions());

      TransferReport report = copy.importFrom(new StringReader(damaged), true, count -> {});
      assertEquals(
          List.of(
              "line 4: missing text",
              "line 6: not JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"),
          report.skippedLines());
      assertEquals(5, report.memories());
      assertEquals(export, export(copy), "the good lines are the whole store");

      TransferReport again = copy.importFrom(new StringReader(export), true, count -> {});
      assertEquals(0, again.memories(), "every record already exists");
      assertEquals(export.lines().count() - 1, again.skippedLines().size());
    }
  }

  @Test
  void import_fromAnotherModel_keepsEverythingButTheVectors() {
    String export;
    try (MemoryStore store = open("a.db")) {
      fill(store);
      export = export(store);
    }
    try (MemoryStore other =
        MemoryStore.builder(folder.resolve("c.db"))
            .embedder(new WordHashEmbedder("other-hash", 32, 0))
            .clock(clock)
            .maintenanceInterval(Duration.ZERO)
            .build()) {
      TransferReport report = other.importFrom(new StringReader(export), false, count -> {});
      assertEquals(5, report.awaitingEmbedding());
      assertEquals(5, other.embedPending());
      assertEquals(5, other.stats().embeddedMemories());
    }
  }
}
