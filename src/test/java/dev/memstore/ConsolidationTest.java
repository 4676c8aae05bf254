package dev.memstore;

import static dev.memstore.testing.StoredVectors.cosine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.MutableClock;
import dev.memstore.testing.RawDatabase;
import dev.memstore.testing.StoredVectors;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Near-duplicate merging with the real default model on a fixture of our own. */
class ConsolidationTest {
  private static final Instant START = Instant.parse("2026-03-01T09:00:00Z");

  /** Facts a voice assistant might hear, several of them more than once in other words. */
  private static final List<String> FIXTURE =
      List.of(
          "The user likes coffee.",
          "The user likes coffee",
          "The user really likes coffee.",
          "The user loves drinking coffee every morning.",
          "The user's dog is called Rex.",
          "The user's dog is named Rex.",
          "The user has a dog.",
          "The user works at a bakery in Lyon.",
          "The user works in a bakery in Lyon.",
          "The user is allergic to peanuts.",
          "The user's sister Maya lives in Oslo.",
          "The user plays the guitar on weekends.",
          "The user's favourite colour is teal.",
          "The user's favorite color is teal.",
          "The weather in Oslo is rainy today.");

  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withBundledModel()
          .startingAt(START)
          .configure(builder -> builder.maintenanceInterval(Duration.ZERO));

  @Test
  void consolidate_leavesNoPairAboveTheThresholdAndMergesNothingBelowIt() throws Exception {
    Path file = stores.file();
    MemoryStore store = stores.store();
    List<NewMemory> memories = new ArrayList<>();
    for (String text : FIXTURE) {
      memories.add(
          NewMemory.builder(text)
              .type(MemoryType.SEMANTIC)
              .userId("ada")
              .tags(List.of("fact-" + memories.size()))
              .importance(0.5 + memories.size() / 100.0)
              .build());
    }
    // The same fact for another user, and as another type: never merged with the above.
    memories.add(
        NewMemory.builder("The user likes coffee.")
            .type(MemoryType.SEMANTIC)
            .userId("bob")
            .build());
    memories.add(
        NewMemory.builder("The user likes coffee.")
            .type(MemoryType.PREFERENCE)
            .userId("ada")
            .build());
    store.createAll(memories);
    double threshold = 0.90;

    ConsolidationReport plan = store.lifecycle().consolidate(Duration.ofDays(1), threshold, true);
    assertTrue(plan.dryRun());
    assertTrue(plan.merged() > 0, "the fixture has paraphrases: " + plan);
    store.file().checkpoint();
    assertEquals(0, store.file().stats().archivedMemories(), "a dry run changes nothing");

    ConsolidationReport done = store.lifecycle().consolidate(Duration.ofDays(1), threshold, false);
    assertEquals(plan.groups(), done.groups(), "the dry run showed what the run did");

    Map<String, float[]> vectors = vectors(file);
    Map<String, Memory> live = new HashMap<>();
    store
        .list(MemoryFilter.all(), MemorySort.OLDEST_FIRST, 0, 100)
        .items()
        .forEach(memory -> live.put(memory.id(), memory));
    for (Memory left : live.values()) {
      for (Memory right : live.values()) {
        if (left.id().compareTo(right.id()) < 0
            && left.type() == right.type()
            && java.util.Objects.equals(left.userId(), right.userId())) {
          assertTrue(
              cosine(vectors.get(left.id()), vectors.get(right.id())) < threshold,
              () -> "still alike: " + left.content() + " / " + right.content());
        }
      }
    }
    for (ConsolidationReport.Group group : done.groups()) {
      Memory kept = store.get(group.keptId());
      for (String mergedId : group.mergedIds()) {
        assertTrue(
            cosine(vectors.get(kept.id()), vectors.get(mergedId)) >= threshold,
            "merged below the threshold");
        Memory merged = store.get(mergedId);
        assertNotNull(merged.archivedAt());
        assertEquals(kept.userId(), merged.userId());
        assertEquals(kept.type(), merged.type());
        assertTrue(kept.tags().containsAll(merged.tags()), "tags united");
        assertTrue(kept.importance() >= merged.importance(), "the most important is kept");
        assertTrue(
            store.links().related(kept.id(), "consolidated_from").stream()
                .anyMatch(related -> related.memory().id().equals(mergedId)));
      }
      assertEquals(
          HistoryEntry.Action.CONSOLIDATED,
          store.history(kept.id()).get(store.history(kept.id()).size() - 1).action());
    }
    assertTrue(
        live.values().stream().anyMatch(memory -> "bob".equals(memory.userId())),
        "another user's copy stays");
    assertTrue(
        live.values().stream().anyMatch(memory -> memory.type() == MemoryType.PREFERENCE),
        "another type's copy stays");
    assertEquals(0, store.lifecycle().consolidate(Duration.ofDays(1), threshold, false).merged());
  }

  @Test
  void consolidate_respectsTheTimeWindow() {
    MutableClock clock = stores.clock();
    MemoryStore store = stores.open(stores.file("window.db"));
    store.create(
        NewMemory.builder("The user's dog is called Rex.").type(MemoryType.SEMANTIC).build());
    clock.advance(Duration.ofDays(3));
    store.create(
        NewMemory.builder("The user's dog is named Rex.").type(MemoryType.SEMANTIC).build());
    assertEquals(0, store.lifecycle().consolidate(Duration.ofDays(2), 0.9, true).merged());
    assertEquals(1, store.lifecycle().consolidate(Duration.ofDays(4), 0.9, true).merged());
  }

  private static Map<String, float[]> vectors(Path file) throws Exception {
    Map<String, float[]> vectors = new HashMap<>();
    try (RawDatabase raw = RawDatabase.open(file)) {
      for (String id : raw.strings("select id from memories")) {
        byte[] bytes =
            raw.bytes(
                "select e.vector from memory_embeddings e join memories m on m.seq = e.memory_seq"
                    + " where m.id = '"
                    + id
                    + "'");
        vectors.put(id, StoredVectors.floats(bytes));
      }
    }
    return vectors;
  }
}
