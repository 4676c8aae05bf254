package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.RawDatabase;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Facts with a key and a validity interval: supersession, as-of reads, restore (issue 16). */
class FactsTest {
  private static final String HOME = "user-12345:home_city";

  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withWordHashModel("words", 16);

  private Memory fact(String text, String key) {
    return stores.store().create(NewMemory.builder(text).factKey(key).build());
  }

  private CreateResult createWithResult(NewMemory memory) {
    return stores.store().createAllWithResults(List.of(memory)).get(0);
  }

  private List<String> listed(MemoryFilter filter) {
    return stores.store().list(filter, MemorySort.OLDEST_FIRST, 0, 100).items().stream()
        .map(Memory::id)
        .toList();
  }

  private List<String> searched(String text, MemoryFilter filter) {
    return stores
        .store()
        .search(SearchQuery.builder(text).filter(filter).limit(20).build())
        .hits()
        .stream()
        .map(hit -> hit.memory().id())
        .toList();
  }

  @Test
  void create_keyOfCurrentFact_supersedesItAndKeepsIt() {
    Memory paris = fact("The user lives in Paris.", HOME);
    assertEquals(HOME, paris.factKey());
    assertEquals(paris.createdAt(), paris.validFrom(), "valid_from defaults to creation time");
    assertNull(paris.validTo());
    stores.clock().advance(Duration.ofDays(30));
    Memory berlin = fact("I moved to Berlin.", HOME);

    Memory old = stores.store().get(paris.id());
    assertEquals(berlin.validFrom(), old.validTo());
    assertEquals(berlin.id(), old.supersededBy());
    assertTrue(old.isSuperseded());
    assertNull(stores.store().get(berlin.id()).validTo());
    List<HistoryEntry> history = stores.store().history(paris.id());
    HistoryEntry last = history.get(history.size() - 1);
    assertEquals(HistoryEntry.Action.UPDATED, last.action());
    assertEquals(berlin.id(), last.changes().get("superseded_by").to());
  }

  @Test
  void create_keyInOtherCase_sameFact() {
    Memory paris = fact("The user lives in Paris.", HOME);
    Memory berlin = fact("The user lives in Berlin.", "User-12345:Home_City");
    assertEquals(HOME, berlin.factKey());
    assertEquals(berlin.id(), stores.store().get(paris.id()).supersededBy());
  }

  @Test
  void create_otherKey_supersedesNothing() {
    Memory paris = fact("The user lives in Paris.", HOME);
    fact("The user works in Berlin.", "user-12345:work_city");
    fact("Bob lives in Berlin.", "bob:home_city");
    assertNull(stores.store().get(paris.id()).validTo());
  }

  @Test
  void create_badFactKey_validationErrorAndNothingStored() {
    for (String bad :
        List.of(
            "home_city",
            "a:b:",
            "a::c",
            ":city",
            "user:",
            "user:pet:c@t",
            "user 1:city",
            "user:ci/ty",
            "x".repeat(199) + ":yy")) {
      ValidationException error =
          assertThrows(
              ValidationException.class,
              () -> stores.store().create(NewMemory.builder("text").factKey(bad).build()),
              bad);
      assertEquals("fact_key", error.field(), bad);
    }
    assertEquals(
        0, stores.store().list(MemoryFilter.all(), MemorySort.OLDEST_FIRST, 0, 10).totalCount());
  }

  @Test
  void create_validFromWithoutKey_validationError() {
    ValidationException error =
        assertThrows(
            ValidationException.class,
            () ->
                stores.store().create(NewMemory.builder("text").validFrom(Instant.EPOCH).build()));
    assertEquals("valid_from", error.field());
  }

  @Test
  void create_lateReportOfOlderFact_doesNotSupersedeTheNewerOne() {
    Instant start = stores.clock().instant();
    Memory berlin = fact("The user lives in Berlin.", HOME);
    stores.clock().advance(Duration.ofDays(1));
    Memory paris =
        stores
            .store()
            .create(
                NewMemory.builder("The user lived in Paris.")
                    .factKey(HOME)
                    .validFrom(start.minus(Duration.ofDays(365)))
                    .build());

    assertNull(stores.store().get(berlin.id()).validTo(), "the newer fact stays current");
    assertEquals(berlin.validFrom(), paris.validTo(), "the older one ends where the newer began");
    assertEquals(berlin.id(), paris.supersededBy());
    assertEquals(paris.validTo(), stores.store().get(paris.id()).validTo());
    assertEquals(List.of(berlin.id()), listed(MemoryFilter.all()));
    assertEquals(
        List.of(paris.id()),
        listed(MemoryFilter.builder().asOf(start.minus(Duration.ofDays(1))).build()));
  }

  @Test
  void create_lateReportBetweenTwoFacts_splicesTheChain() {
    Instant start = stores.clock().instant();
    Memory paris = fact("The user lives in Paris.", HOME);
    stores.clock().advance(Duration.ofDays(10));
    Memory berlin = fact("The user lives in Berlin.", HOME);
    Memory lyon =
        stores
            .store()
            .create(
                NewMemory.builder("The user lived in Lyon.")
                    .factKey(HOME)
                    .validFrom(start.plus(Duration.ofDays(5)))
                    .build());
    assertEquals(berlin.validFrom(), lyon.validTo());
    assertEquals(berlin.id(), lyon.supersededBy());
    Memory oldParis = stores.store().get(paris.id());
    assertEquals(lyon.validFrom(), oldParis.validTo());
    assertEquals(lyon.id(), oldParis.supersededBy());
    assertNull(stores.store().get(berlin.id()).validTo());
  }

  @Test
  void create_sameTextAsCurrentFactOfSameKey_reinforcesIt() {
    Memory paris = fact("The user lives in Paris.", HOME);
    CreateResult again =
        createWithResult(NewMemory.builder("The user lives in Paris.").factKey(HOME).build());
    assertTrue(again.duplicate());
    assertEquals(paris.id(), again.memory().id());
  }

  @Test
  void create_sameTextWithNewKeyOrWithoutKey_isNotSwallowedAsDuplicate() {
    Memory plain = stores.store().create(NewMemory.of("The user lives in Paris."));
    CreateResult keyed =
        createWithResult(NewMemory.builder("The user lives in Paris.").factKey(HOME).build());
    assertFalse(keyed.duplicate());
    assertNotEquals(plain.id(), keyed.memory().id());
    CreateResult other =
        createWithResult(
            NewMemory.builder("The user lives in Paris.").factKey("bob:home_city").build());
    assertFalse(other.duplicate());
  }

  @Test
  void create_oldValueAgainAfterChange_becomesCurrentAgain() {
    Memory paris = fact("The user lives in Paris.", HOME);
    stores.clock().advance(Duration.ofDays(1));
    Memory berlin = fact("The user lives in Berlin.", HOME);
    stores.clock().advance(Duration.ofDays(1));
    CreateResult back =
        createWithResult(NewMemory.builder("The user lives in Paris.").factKey(HOME).build());
    assertFalse(back.duplicate(), "the same text as a superseded fact is a new fact");
    assertEquals(back.memory().id(), stores.store().get(berlin.id()).supersededBy());
    assertEquals(berlin.id(), stores.store().get(paris.id()).supersededBy());
  }

  @Test
  void createAll_twoValuesOfOneKeyInOneBatch_theLaterIsCurrent() {
    List<Memory> results =
        stores
            .store()
            .createAll(
                List.of(
                    NewMemory.builder("The user lives in Paris.").factKey(HOME).build(),
                    NewMemory.builder("The user lives in Berlin.").factKey(HOME).build()));
    Memory paris = stores.store().get(results.get(0).id());
    Memory berlin = stores.store().get(results.get(1).id());
    assertEquals(berlin.id(), paris.supersededBy());
    assertNull(berlin.validTo());
  }

  @Test
  void list_byDefault_onlyCurrentFactsAndMemoriesWithoutKey() {
    Memory plain = stores.store().create(NewMemory.of("The user likes tea."));
    Memory paris = fact("The user lives in Paris.", HOME);
    stores.clock().advance(Duration.ofDays(1));
    Memory berlin = fact("The user lives in Berlin.", HOME);

    assertEquals(List.of(plain.id(), berlin.id()), listed(MemoryFilter.all()));
    assertEquals(
        List.of(plain.id(), paris.id(), berlin.id()),
        listed(MemoryFilter.builder().includeSuperseded(true).build()));
    assertEquals(
        2, stores.store().list(MemoryFilter.all(), MemorySort.OLDEST_FIRST, 0, 10).totalCount());
  }

  @Test
  void list_asOf_whatWasValidThen() {
    Memory paris = fact("The user lives in Paris.", HOME);
    stores.clock().advance(Duration.ofDays(10));
    Instant then = stores.clock().instant();
    stores.clock().advance(Duration.ofDays(10));
    Memory berlin = fact("The user lives in Berlin.", HOME);
    Memory later = stores.store().create(NewMemory.of("The user likes tea."));

    assertEquals(
        List.of(paris.id()),
        listed(MemoryFilter.builder().asOf(then).build()),
        "a fact valid then, not now; a memory created after then not shown");
    assertEquals(
        List.of(berlin.id(), later.id()),
        listed(MemoryFilter.builder().asOf(stores.clock().instant()).build()));
    assertEquals(
        List.of(), listed(MemoryFilter.builder().asOf(paris.validFrom().minusMillis(1)).build()));
    assertEquals(
        List.of(paris.id()),
        listed(MemoryFilter.builder().asOf(berlin.validFrom().minusMillis(1)).build()));
    assertEquals(
        List.of(berlin.id(), later.id()),
        listed(MemoryFilter.builder().asOf(berlin.validFrom()).build()),
        "valid_to is exclusive");
  }

  @Test
  void search_byDefault_leavesSupersededFactsOut() {
    Memory paris = fact("The user lives in Paris.", HOME);
    stores.clock().advance(Duration.ofDays(1));
    Memory berlin = fact("The user lives in Berlin.", HOME);
    stores.store().file().checkpoint();

    List<String> hits = searched("where does the user live", MemoryFilter.all());
    assertTrue(hits.contains(berlin.id()), hits::toString);
    assertFalse(hits.contains(paris.id()), hits::toString);
    List<String> all =
        searched(
            "where does the user live", MemoryFilter.builder().includeSuperseded(true).build());
    assertTrue(all.contains(paris.id()) && all.contains(berlin.id()), all::toString);
    assertTrue(
        all.indexOf(berlin.id()) < all.indexOf(paris.id()),
        "a superseded fact never outranks the current one");
    List<String> then =
        searched(
            "where does the user live",
            MemoryFilter.builder().asOf(berlin.validFrom().minusMillis(1)).build());
    assertEquals(List.of(paris.id()), then);
  }

  @Test
  void search_keywordMode_leavesSupersededFactsOut() {
    Memory paris = fact("The user lives in Paris.", HOME);
    stores.clock().advance(Duration.ofDays(1));
    Memory berlin = fact("The user lives in Berlin.", HOME);
    List<String> hits =
        stores
            .store()
            .search(SearchQuery.builder("user lives").mode(SearchMode.KEYWORD).build())
            .hits()
            .stream()
            .map(hit -> hit.memory().id())
            .toList();
    assertEquals(List.of(berlin.id()), hits);
    assertFalse(hits.contains(paris.id()));
  }

  @Test
  void contextPack_byDefault_leavesSupersededFactsOut() {
    Memory paris = fact("The user lives in Paris.", HOME);
    stores.clock().advance(Duration.ofDays(1));
    Memory berlin = fact("The user lives in Berlin.", HOME);
    ContextPack pack = stores.store().contextPack(null, "where does the user live", 1000);
    String text = pack.toString();
    assertTrue(text.contains(berlin.id()) || text.contains("Berlin"), text);
    assertFalse(text.contains("Paris"), text);
  }

  @Test
  void restoreFact_superseded_becomesCurrentAndTheOtherEnds() {
    Memory paris = fact("The user lives in Paris.", HOME);
    stores.clock().advance(Duration.ofDays(1));
    Memory berlin = fact("The user lives in Berlin.", HOME);
    stores.clock().advance(Duration.ofDays(1));

    Memory restored = stores.store().lifecycle().restoreFact(paris.id());
    assertNull(restored.validTo());
    assertNull(restored.supersededBy());
    Memory ended = stores.store().get(berlin.id());
    assertEquals(berlin.validFrom(), ended.validTo(), "as if it had never held");
    assertEquals(paris.id(), ended.supersededBy());
    assertEquals(List.of(paris.id()), listed(MemoryFilter.all()));
    List<HistoryEntry> history = stores.store().history(paris.id());
    HistoryEntry last = history.get(history.size() - 1);
    assertEquals(HistoryEntry.Action.UPDATED, last.action());
    assertEquals(berlin.id(), last.changes().get("superseded_by").from());
    assertNull(last.changes().get("valid_to").to());
  }

  @Test
  void restoreFact_memoryWithoutKey_validationError() {
    Memory plain = stores.store().create(NewMemory.of("The user likes tea."));
    assertThrows(
        ValidationException.class, () -> stores.store().lifecycle().restoreFact(plain.id()));
    assertThrows(
        MemoryNotFoundException.class,
        () -> stores.store().lifecycle().restoreFact("mem-00000000000000000000000000"));
  }

  @Test
  void reopen_factsKeepTheirInterval() throws Exception {
    Memory paris = fact("The user lives in Paris.", HOME);
    stores.clock().advance(Duration.ofDays(1));
    fact("The user lives in Berlin.", HOME);
    Memory before = stores.store().get(paris.id());
    Memory after = stores.reopen().get(paris.id());
    assertEquals(before.validFrom(), after.validFrom());
    assertEquals(before.validTo(), after.validTo());
    assertEquals(before.supersededBy(), after.supersededBy());
    assertEquals(HOME, after.factKey());
    try (RawDatabase raw = RawDatabase.open(stores.file())) {
      assertEquals(1, raw.number("select count(*) from memories where valid_to is null"));
    }
  }

  @Test
  void consolidate_factsWithOtherKeysOrValuesOfOneKey_neverMerged() {
    MemoryStore store = stores.store();
    // Same words, so the word-hash model finds them identical: only the keys keep them apart.
    store.create(NewMemory.builder("The user likes coffee a lot.").factKey("ada:drink").build());
    store.create(NewMemory.builder("The user likes coffee a lot!").factKey("bob:drink").build());
    store.create(NewMemory.of("The user likes coffee a lot?"));
    Memory first =
        store.create(NewMemory.builder("The user likes tea a lot.").factKey("ada:tea").build());
    store.create(NewMemory.builder("The user likes tea a lot!").factKey("ada:tea").build());
    assertEquals(0, store.lifecycle().consolidate(Duration.ofDays(1), 0.5, true).merged());
    assertEquals(0, store.lifecycle().consolidate(Duration.ofDays(1), 0.5, false).merged());
    assertNull(store.get(first.id()).archivedAt());
    store.create(NewMemory.of("The user likes coffee a lot, really."));
    assertEquals(
        1,
        store.lifecycle().consolidate(Duration.ofDays(1), 0.5, true).merged(),
        "memories without a key still merge");
  }

  @Test
  void conversationContext_byDefault_leavesSupersededFactsOut() {
    Session session = stores.store().sessions().create("ada", null, null);
    Memory paris =
        stores
            .store()
            .create(
                NewMemory.builder("I live in Paris.")
                    .sessionId(session.id())
                    .factKey("ada:home_city")
                    .build());
    stores.clock().advance(Duration.ofMinutes(1));
    Memory berlin =
        stores
            .store()
            .create(
                NewMemory.builder("I moved to Berlin.")
                    .sessionId(session.id())
                    .factKey("ada:home_city")
                    .build());
    List<String> context =
        stores.store().sessions().conversationContext(session.id(), 10).stream()
            .map(Memory::id)
            .toList();
    assertEquals(List.of(berlin.id()), context);
    assertFalse(context.contains(paris.id()));
  }

  @Test
  void exportImport_factsKeepKeyIntervalAndSupersession() {
    Memory paris = fact("The user lives in Paris.", HOME);
    stores.clock().advance(Duration.ofDays(1));
    Memory berlin = fact("The user lives in Berlin.", HOME);
    StringWriter out = new StringWriter();
    stores.store().file().exportTo(out, count -> {});
    MemoryStore copy = stores.open(stores.file("copy.db"));
    copy.file().importFrom(new StringReader(out.toString()), false, count -> {});

    for (String id : List.of(paris.id(), berlin.id())) {
      Memory before = stores.store().get(id);
      Memory after = copy.get(id);
      assertEquals(before.factKey(), after.factKey());
      assertEquals(before.validFrom(), after.validFrom());
      assertEquals(before.validTo(), after.validTo());
      assertEquals(before.supersededBy(), after.supersededBy());
    }
    assertEquals(
        List.of(berlin.id()),
        copy.list(MemoryFilter.all(), MemorySort.OLDEST_FIRST, 0, 10).items().stream()
            .map(Memory::id)
            .toList());
    // The copy goes on superseding from where the export left off.
    Memory lyon = copy.create(NewMemory.builder("The user lives in Lyon.").factKey(HOME).build());
    assertEquals(lyon.id(), copy.get(berlin.id()).supersededBy());
  }

  @Test
  void importFrom_supersededFactWithoutSupersededBy_refused() {
    String line =
        "{\"kind\":\"memory\",\"memory_id\":\"mem-01kdvdna00frp3pn7vcn6n876a\","
            + "\"memory_type\":\"general\",\"memory_tier\":\"long_term\","
            + "\"content\":{\"text\":\"x\"},\"created_at\":\"2026-01-01T00:00:00.000Z\","
            + "\"updated_at\":\"2026-01-01T00:00:00.000Z\",\"fact_key\":\"a:b\","
            + "\"valid_from\":\"2026-01-01T00:00:00.000Z\","
            + "\"valid_to\":\"2026-01-02T00:00:00.000Z\"}\n";
    assertThrows(
        MemoryStoreException.class,
        () -> stores.store().file().importFrom(new StringReader(line), false, count -> {}));
    assertEquals(
        0,
        stores
            .store()
            .list(
                MemoryFilter.builder().includeSuperseded(true).build(),
                MemorySort.OLDEST_FIRST,
                0,
                10)
            .totalCount());
  }

  @Test
  void get_cachedFactThenSuperseded_showsItsNewInterval() {
    Memory paris = fact("The user lives in Paris.", HOME);
    assertNull(stores.store().get(paris.id()).validTo()); // now in the cache
    stores.clock().advance(Duration.ofDays(1));
    Memory berlin = fact("The user lives in Berlin.", HOME);
    assertEquals(berlin.id(), stores.store().get(paris.id()).supersededBy());
    assertEquals(
        List.of(berlin.id()),
        stores.store().getAll(List.of(paris.id(), berlin.id())).memories().stream()
            .filter(memory -> memory.validTo() == null)
            .map(Memory::id)
            .toList());
  }

  @Test
  void create_supersedingFact_listenersHearTheOldOneUpdated() {
    MemoryStore store = stores.store();
    Memory paris = fact("The user lives in Paris.", HOME);
    List<MemoryEvent> events = new CopyOnWriteArrayList<>();
    store.addListener(events::add);
    stores.clock().advance(Duration.ofDays(1));
    Memory berlin = fact("The user lives in Berlin.", HOME);
    store.lifecycle().restoreFact(paris.id());
    store.close(); // delivers every event published so far
    assertEquals(
        List.of(
            MemoryEvent.Type.UPDATED + " " + paris.id() + " " + berlin.id(),
            MemoryEvent.Type.STORED + " " + berlin.id() + " null",
            MemoryEvent.Type.UPDATED + " " + paris.id() + " null",
            MemoryEvent.Type.UPDATED + " " + berlin.id() + " " + paris.id()),
        events.stream()
            .map(
                event ->
                    event.type()
                        + " "
                        + event.memoryId()
                        + " "
                        + event.details().get("superseded_by"))
            .toList());
  }
}
