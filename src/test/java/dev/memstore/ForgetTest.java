package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.internal.json.Json;
import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.MutableClock;
import dev.memstore.testing.RawDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Forgetting for good: the preview changes nothing, a forget removes every trace of what it selects
 * (and of what was built from it), leaves a receipt without content and a tombstone, and no file
 * the store keeps still holds the words.
 */
class ForgetTest {
  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withWordHashModel("word-hash", 64)
          .startingAt(Instant.parse("2026-04-01T08:00:00Z"))
          .configure(builder -> builder.maintenanceInterval(Duration.ZERO));

  private final MutableClock clock = stores.clock();

  /** The tables that hold something of a memory, and how to count their rows. */
  private static final Map<String, String> TABLES = new LinkedHashMap<>();

  static {
    TABLES.put("memories", "select count(*) from memories");
    TABLES.put("memory_tags", "select count(*) from memory_tags");
    TABLES.put("relationships", "select count(*) from relationships");
    TABLES.put("context_group_members", "select count(*) from context_group_members");
    TABLES.put("memory_history", "select count(*) from memory_history");
    TABLES.put("memory_embeddings", "select count(*) from memory_embeddings");
    TABLES.put("memory_vectors", "select count(*) from memory_vectors");
    TABLES.put("memory_fts", "select count(*) from memory_fts");
    TABLES.put("memory_changes", "select count(*) from memory_changes");
    TABLES.put("tombstones", "select count(*) from tombstones");
    TABLES.put("forget_receipts", "select count(*) from forget_receipts");
  }

  private Map<String, Long> rowCounts() throws Exception {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (RawDatabase raw = RawDatabase.open(stores.file())) {
      for (Map.Entry<String, String> table : TABLES.entrySet()) {
        counts.put(table.getKey(), raw.number(table.getValue()));
      }
    }
    return counts;
  }

  private static String text(Path file) throws Exception {
    return Files.exists(file)
        ? new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)
        : "";
  }

  /** A memory with a bit of everything: tags, metadata, a link, a group, history, a vector. */
  private Memory secret(MemoryStore store, Memory other) {
    Memory secret =
        store.create(
            NewMemory.builder("my sister quokkamarker told me about her illness")
                .tags("family", "health")
                .metadata(Map.of("note", "quokkametadata"))
                .userId("ada")
                .build());
    clock.advance(Duration.ofMinutes(1));
    store.update(
        secret.id(),
        MemoryUpdate.builder().content("my sister quokkamarker is ill, she told me").build());
    store.links().add(secret.id(), other.id(), "related_to", 0.5);
    long group = store.groups().create("family-things", null).id();
    store.groups().add(group, secret.id());
    return secret;
  }

  @Test
  void previewForget_changesNothing() throws Exception {
    MemoryStore store = stores.store();
    Memory other = store.create(NewMemory.of("the weather was fine on tuesday"));
    Memory secret = secret(store, other);
    store.file().checkpoint();
    Map<String, Long> before = rowCounts();

    ForgetPreview preview =
        store.privacy().previewForget(ForgetRequest.builder().ids(secret.id()).build());

    assertEquals(List.of(secret.id()), preview.ids());
    assertEquals("my sister quokkamarker is ill, she told me", preview.memories().get(0).content());
    assertEquals(before, rowCounts());
    assertEquals(secret.id(), store.get(secret.id()).id());
  }

  @Test
  void forget_byId_removesTheMemoryFromEveryTableAndCountsIt() throws Exception {
    MemoryStore store = stores.store();
    Memory other = store.create(NewMemory.of("the weather was fine on tuesday"));
    Memory secret = secret(store, other);
    Memory child =
        store.create(NewMemory.builder("a note under the secret").parentId(secret.id()).build());
    store.file().checkpoint();
    Map<String, Long> before = rowCounts();

    ForgetReceipt receipt = store.privacy().forget(ForgetRequest.ofIds(List.of(secret.id())));

    Map<String, Long> after = rowCounts();
    assertEquals(before.get("memories") - 1, after.get("memories"));
    assertEquals(before.get("memory_tags") - 2, after.get("memory_tags"));
    assertEquals(before.get("relationships") - 1, after.get("relationships"));
    assertEquals(before.get("context_group_members") - 1, after.get("context_group_members"));
    assertEquals(before.get("memory_embeddings") - 1, after.get("memory_embeddings"));
    assertEquals(before.get("memory_vectors") - 1, after.get("memory_vectors"));
    assertEquals(before.get("memory_fts") - 1, after.get("memory_fts"));
    assertEquals(1, after.get("tombstones"));
    assertEquals(1, after.get("forget_receipts"));
    try (RawDatabase raw = RawDatabase.open(stores.file())) {
      assertEquals(
          0,
          raw.number("select count(*) from memory_history where memory_id = '" + secret.id() + "'"),
          "no history entry is left, not even the deletion");
      assertEquals(
          1,
          raw.number(
              "select count(*) from memory_changes where memory_seq not in"
                  + " (select seq from memories)"),
          "one change-log entry tells other processes the row is gone");
    }
    assertEquals(List.of(secret.id()), receipt.removedIds());
    assertEquals(1, receipt.memories());
    assertEquals(2, receipt.historyEntries());
    assertEquals(2, receipt.links());
    assertEquals(1, receipt.vectors());
    assertEquals(3, receipt.indexEntries());
    assertTrue(receipt.logCleared());
    assertThrows(MemoryNotFoundException.class, () -> store.get(secret.id()));
    assertNull(store.get(child.id()).parentId(), "children stay, detached");
    assertTrue(
        store.search(SearchQuery.of("my sister quokkamarker is ill")).hits().stream()
            .noneMatch(hit -> hit.memory().id().equals(secret.id())),
        "the in-memory indexes forgot it too");
    assertTrue(
        store
            .search(SearchQuery.builder("quokkamarker").mode(SearchMode.KEYWORD).build())
            .hits()
            .isEmpty());
    assertEquals(List.of(receipt), store.privacy().forgetReceipts());
  }

  @Test
  void forget_byFilterUserAndSession_forgetsOnlyWhatEveryCriterionSelects() {
    MemoryStore store = stores.store();
    Session session = store.sessions().create("ada", null, Map.of());
    Memory adaInSession =
        store.create(
            NewMemory.builder("ada said this in the session").sessionId(session.id()).build());
    Memory adaTagged =
        store.create(NewMemory.builder("ada tagged note").userId("ada").tags("private").build());
    Memory adaEpisode =
        store.create(
            NewMemory.builder("ada episode").userId("ada").type(MemoryType.EPISODIC).build());
    Memory bobTagged =
        store.create(NewMemory.builder("bob tagged note").userId("bob").tags("private").build());

    ForgetReceipt byTagAndUser =
        store.privacy().forget(ForgetRequest.builder().userId("ada").tags("private").build());
    assertEquals(List.of(adaTagged.id()), byTagAndUser.removedIds());

    ForgetReceipt byFilter =
        store
            .privacy()
            .forget(
                ForgetRequest.builder()
                    .filter(MemoryFilter.builder().types(MemoryType.EPISODIC).build())
                    .userId("ada")
                    .build());
    assertEquals(List.of(adaEpisode.id()), byFilter.removedIds());

    ForgetReceipt bySession =
        store.privacy().forget(ForgetRequest.builder().sessionId(session.id()).build());
    assertEquals(List.of(adaInSession.id()), bySession.removedIds());

    ForgetReceipt byUser = store.privacy().forget(ForgetRequest.builder().userId("bob").build());
    assertEquals(List.of(bobTagged.id()), byUser.removedIds());
    assertEquals(0, store.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 0, 10).totalCount());
  }

  @Test
  void forget_byText_forgetsTheBestMatchesAboveTheScore() {
    MemoryStore store = stores.store();
    Memory first = store.create(NewMemory.of("my sister loves horses"));
    Memory second = store.create(NewMemory.of("my sister moved to Lisbon"));
    Memory unrelated = store.create(NewMemory.of("the boiler needs a service in March"));

    ForgetRequest request =
        ForgetRequest.builder().text("my sister").limit(5).minScore(0.2).build();
    ForgetPreview preview = store.privacy().previewForget(request);
    assertEquals(Set.of(first.id(), second.id()), Set.copyOf(preview.ids()));
    assertEquals(
        preview.ids(),
        store.privacy().previewForget(ForgetRequest.builder().text("my sister").build()).ids(),
        "by default a match scores at least half the best one");
    assertTrue(
        store
            .privacy()
            .previewForget(ForgetRequest.builder().text("my sister").minScore(0).build())
            .ids()
            .contains(unrelated.id()),
        "a score of 0 lets every match through");

    ForgetReceipt receipt = store.privacy().forget(request);

    assertEquals(Set.of(first.id(), second.id()), Set.copyOf(receipt.removedIds()));
    assertEquals(unrelated.id(), store.get(unrelated.id()).id());
  }

  @Test
  void forget_aSummarizedMemory_forgetsTheSummaryAndTheSessionsSummaryToo() {
    MemoryStore store = stores.store();
    Session session = store.sessions().create("ada", null, Map.of());
    Memory secret =
        store.create(
            NewMemory.builder("my bank card pin is quokkapin4817").sessionId(session.id()).build());
    store.create(
        NewMemory.builder("the user walks the dog at seven").sessionId(session.id()).build());
    store.sessions().end(session.id(), null, false);
    Memory summary =
        store
            .list(
                MemoryFilter.builder().tagsAny(List.of("session_summary")).build(),
                MemorySort.NEWEST_FIRST,
                0,
                1)
            .items()
            .get(0);

    ForgetPreview preview =
        store.privacy().previewForget(ForgetRequest.ofIds(List.of(secret.id())));
    assertEquals(List.of(summary.id()), preview.derived().stream().map(Memory::id).toList());

    ForgetReceipt receipt = store.privacy().forget(ForgetRequest.ofIds(List.of(secret.id())));

    assertEquals(Set.of(secret.id(), summary.id()), Set.copyOf(receipt.removedIds()));
    assertThrows(MemoryNotFoundException.class, () -> store.get(summary.id()));
    assertNull(store.sessions().get(session.id()).summary());
  }

  @Test
  void forget_aConsolidatedMemory_forgetsWhatMergedIntoIt() {
    MemoryStore store = stores.store();
    Memory kept =
        store.create(NewMemory.builder("my sister lives in Porto").importance(0.9).build());
    Memory merged = store.create(NewMemory.builder("my sister lives in Porto now").build());
    ConsolidationReport report = store.lifecycle().consolidate(null, 0.5, false);
    assertEquals(1, report.merged(), "the test needs one merge");

    ForgetReceipt receipt = store.privacy().forget(ForgetRequest.ofIds(List.of(kept.id())));

    assertEquals(Set.of(kept.id(), merged.id()), Set.copyOf(receipt.removedIds()));
  }

  @Test
  void forget_receiptAndItsRowHoldNoContent() throws Exception {
    MemoryStore store = stores.store();
    Memory secret =
        store.create(
            NewMemory.builder("quokkamarker said something")
                .metadata(Map.of("where", "quokkaplace"))
                .build());

    ForgetReceipt receipt =
        store
            .privacy()
            .forget(ForgetRequest.builder().text("quokkamarker said").ids(secret.id()).build());

    assertEquals(List.of(secret.id()), receipt.removedIds());
    String shown = receipt.toString() + Json.write(receipt.criteria());
    assertFalse(shown.contains("quokka"), shown);
    assertTrue(receipt.criteria().containsKey("query_sha256"));
    try (RawDatabase raw = RawDatabase.open(stores.file())) {
      String row = String.join("|", raw.strings("select criteria || removed from forget_receipts"));
      assertFalse(row.contains("quokka"), row);
    }
  }

  @Test
  void forget_thenTheFileItsLogAndItsSnapshotHoldNoMarker() throws Exception {
    Path file = stores.file();
    String id;
    try (MemoryStore store = stores.open()) {
      for (int index = 0; index < 50; index++) {
        store.create(NewMemory.of("an ordinary memory number " + index));
      }
      id = store.create(NewMemory.of("zanzibarquokka is what my sister whispered")).id();
    }
    Path snapshot = Path.of(file + ".snapshot");
    assertTrue(text(snapshot).contains("zanzibarquokka"), "closing made a snapshot with it");

    try (MemoryStore store = stores.open()) {
      ForgetReceipt receipt = store.privacy().forget(ForgetRequest.ofIds(List.of(id)));
      assertTrue(receipt.snapshotRewritten());

      for (Path each : List.of(file, Path.of(file + "-wal"), snapshot)) {
        assertFalse(text(each).contains("zanzibarquokka"), each + " holds the marker");
      }
    }
    assertFalse(text(file).contains("zanzibarquokka"));
  }

  @Test
  void forget_badRequests_areRefusedAndChangeNothing() throws Exception {
    MemoryStore store = stores.store();
    Memory kept = store.create(NewMemory.of("kept"));
    assertThrows(ValidationException.class, () -> ForgetRequest.builder().build());
    assertThrows(
        ValidationException.class,
        () -> ForgetRequest.builder().filter(MemoryFilter.all()).build());
    assertThrows(IllegalArgumentException.class, () -> ForgetRequest.builder().limit(0));
    assertThrows(IllegalArgumentException.class, () -> ForgetRequest.builder().minScore(2));
    store.file().checkpoint();
    Map<String, Long> before = rowCounts();

    MemoryNotFoundException missing =
        assertThrows(
            MemoryNotFoundException.class,
            () ->
                store
                    .privacy()
                    .forget(ForgetRequest.ofIds(List.of(kept.id(), "mem-00000000000000000000"))));
    assertTrue(missing.getMessage().contains("mem-00000000000000000000"), missing.getMessage());
    assertThrows(
        ValidationException.class,
        () -> store.privacy().forget(ForgetRequest.ofIds(List.of("not an id"))));

    assertEquals(before, rowCounts());
  }

  @Test
  void forget_onAReadOnlyStore_isRefused() {
    Memory memory = stores.store().create(NewMemory.of("kept"));
    stores.store().close();
    try (MemoryStore readOnly = stores.open(builder -> builder.readOnly(true))) {
      assertEquals(
          List.of(memory.id()),
          readOnly.privacy().previewForget(ForgetRequest.ofIds(List.of(memory.id()))).ids());
      assertThrows(
          ReadOnlyStoreException.class,
          () -> readOnly.privacy().forget(ForgetRequest.ofIds(List.of(memory.id()))));
    }
  }
}
