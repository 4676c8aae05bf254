package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.testing.ManualScheduler;
import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.MutableClock;
import dev.memstore.testing.WordHashEmbedder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Decay, promotion, expiry, eviction, windows, cleanup, duplicates, sessions and events. */
class LifecycleTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  /** Keyword-only stores on the fake clock with no background maintenance. */
  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withoutModel()
          .startingAt(START)
          .configure(builder -> builder.maintenanceInterval(Duration.ZERO));

  private final MutableClock clock = stores.clock();

  private MemoryStore open(RetentionPolicy retention) {
    return stores.open(builder -> builder.retention(retention));
  }

  /** A conversation turn: short-term by default. */
  private static NewMemory.Builder turn(String text) {
    return NewMemory.builder(text).type(MemoryType.CONVERSATION);
  }

  private static RetentionPolicy oneDayHalfLife() {
    return RetentionPolicy.DEFAULT
        .withHalfLife(MemoryTier.SHORT_TERM, Duration.ofDays(1))
        .withHalfLife(MemoryTier.LONG_TERM, Duration.ofDays(1))
        .withShortTermLifetime(null);
  }

  @Test
  void effectiveImportance_halvesAfterOneHalfLifeUnused() {
    MemoryStore store = open(oneDayHalfLife());
    Memory memory =
        store.create(NewMemory.builder("the user owns a bicycle").importance(0.8).build());
    clock.advance(Duration.ofDays(1));
    double effective = store.config().retention().effectiveImportance(memory, clock.instant());
    assertEquals(0.4, effective, 1e-9);
    clock.advance(Duration.ofDays(1));
    assertEquals(
        0.2, store.config().retention().effectiveImportance(memory, clock.instant()), 1e-9);
    SearchHit hit =
        store.search(SearchQuery.builder("bicycle").explain(true).build()).hits().get(0);
    assertEquals(0.2, hit.parts().importance(), 1e-9, "ranking uses the same number");
  }

  @Test
  void effectiveImportance_recoversOnAccessAndStaysForPinned() {
    MemoryStore store = open(oneDayHalfLife());
    Memory read = store.create(NewMemory.builder("read again later").importance(0.6).build());
    Memory pinned =
        store.create(NewMemory.builder("pinned fact").importance(0.6).pinned(true).build());
    clock.advance(Duration.ofDays(2));
    Memory again = store.get(read.id());
    assertEquals(0.6, store.config().retention().effectiveImportance(again, clock.instant()), 1e-9);
    assertEquals(
        0.6,
        store.config().retention().effectiveImportance(store.get(pinned.id()), clock.instant()),
        1e-9);
  }

  @Test
  void reinforce_ranksAboveAnOtherwiseEqualMemory() {
    MemoryStore store = open(oneDayHalfLife());
    Memory first = store.create(NewMemory.builder("the garden needs water").userId("a").build());
    Memory second = store.create(NewMemory.builder("the garden needs water").userId("b").build());
    List<SearchHit> before = store.search(SearchQuery.of("garden water")).hits();
    assertEquals(second.id(), before.get(0).memory().id(), "equal scores: the newer first");
    store.reinforce(first.id(), 1.5);
    List<SearchHit> after = store.search(SearchQuery.of("garden water")).hits();
    assertEquals(first.id(), after.get(0).memory().id());
    assertEquals(second.id(), after.get(1).memory().id());
    assertTrue(after.get(0).score() > after.get(1).score());
  }

  @Test
  void ttl_memoryDisappearsFromReadsAtExpiryBeforeAnyRun() {
    MemoryStore store = open(oneDayHalfLife());
    Memory memory =
        store.create(NewMemory.builder("meeting at noon").ttl(Duration.ofMinutes(1)).build());
    clock.advance(Duration.ofSeconds(59));
    assertEquals(memory.id(), store.get(memory.id()).id());
    clock.advance(Duration.ofSeconds(1));
    assertThrows(MemoryNotFoundException.class, () -> store.get(memory.id()));
    assertEquals(0, store.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 0, 10).totalCount());
    assertTrue(store.search(SearchQuery.of("meeting noon")).hits().isEmpty());
    assertEquals(1, store.lifecycle().runMaintenance().expired());
  }

  @Test
  void runMaintenance_promotesTheReadShortTermMemoryAndTheUnusedOneExpires() {
    MemoryStore store =
        open(
            RetentionPolicy.DEFAULT
                .withShortTermLifetime(Duration.ofDays(1))
                .withPromotion(3, 0.9));
    Memory used = store.create(turn("the user's dog is called Rex").build());
    Memory unused = store.create(turn("the user said hello").build());
    assertNotNull(unused.expiresAt());
    for (int read = 0; read < 3; read++) {
      store.get(used.id());
    }
    MaintenanceReport report = store.lifecycle().runMaintenance();
    assertEquals(1, report.promoted());
    Memory promoted = store.get(used.id());
    assertEquals(MemoryTier.LONG_TERM, promoted.tier());
    assertNull(promoted.expiresAt());
    clock.advance(Duration.ofDays(1).plusSeconds(1));
    assertThrows(MemoryNotFoundException.class, () -> store.get(unused.id()));
    assertEquals(1, store.lifecycle().runMaintenance().expired());
    assertEquals(used.id(), store.get(used.id()).id());
    assertEquals(
        HistoryEntry.Action.PROMOTED,
        store.history(used.id()).stream()
            .map(HistoryEntry::action)
            .filter(action -> action == HistoryEntry.Action.PROMOTED)
            .findFirst()
            .orElseThrow());
  }

  @Test
  void runMaintenance_evictsLowestRetentionFirstAndNeverAPinnedMemory() {
    MemoryStore store = open(oneDayHalfLife().withMaxMemories(3));
    Memory pinned =
        store.create(
            NewMemory.builder("pinned but unimportant").importance(0.05).pinned(true).build());
    Memory low = store.create(NewMemory.builder("low").importance(0.2).build());
    Memory lower = store.create(NewMemory.builder("lower").importance(0.1).build());
    Memory high = store.create(NewMemory.builder("high").importance(0.9).build());
    Memory faded = store.create(NewMemory.builder("faded").importance(0.9).build());
    // Read everything but the last one a day later: the unread one fades to 0.45.
    clock.advance(Duration.ofDays(1));
    List.of(pinned, low, lower, high).forEach(memory -> store.get(memory.id()));
    MaintenanceReport report = store.lifecycle().runMaintenance();
    assertEquals(2, report.evicted());
    List<String> left =
        store.list(MemoryFilter.all(), MemorySort.OLDEST_FIRST, 0, 10).items().stream()
            .map(Memory::id)
            .toList();
    assertEquals(List.of(pinned.id(), high.id(), faded.id()), left);
  }

  @Test
  void runMaintenance_supersededFact_neverOutlivesTheCurrentOne() {
    MemoryStore store = open(oneDayHalfLife().withMaxMemories(2).withPruneFloor(0.1));
    Memory paris =
        store.create(
            NewMemory.builder("The user lives in Paris.")
                .factKey("user-1:home_city")
                .importance(0.9)
                .build());
    Memory berlin =
        store.create(
            NewMemory.builder("The user lives in Berlin.")
                .factKey("user-1:home_city")
                .importance(0.3)
                .build());
    Memory other = store.create(NewMemory.builder("Likes tea.").importance(0.5).build());
    MaintenanceReport evicting = store.lifecycle().runMaintenance();
    assertEquals(1, evicting.evicted());
    // Paris outranks Berlin on its own importance, but as the stale value it goes first.
    assertThrows(MemoryNotFoundException.class, () -> store.get(paris.id()));
    assertEquals(berlin.id(), store.get(berlin.id()).id());
    assertEquals(other.id(), store.get(other.id()).id());
  }

  @Test
  void runMaintenance_supersededFactOfAFadedCurrentFact_prunedWithIt() {
    MemoryStore store = open(oneDayHalfLife().withPruneFloor(0.1));
    Memory paris =
        store.create(
            NewMemory.builder("The user lives in Paris.")
                .factKey("user-1:home_city")
                .importance(0.9)
                .build());
    Memory berlin =
        store.create(
            NewMemory.builder("The user lives in Berlin.")
                .factKey("user-1:home_city")
                .importance(0.3)
                .build());
    clock.advance(Duration.ofDays(1));
    store.get(paris.id()); // read: Paris alone would stay at 0.9
    clock.advance(Duration.ofDays(1));
    // Berlin fades to 0.075, below the floor; Paris may not outlive it.
    assertEquals(2, store.lifecycle().runMaintenance().pruned());
    assertThrows(MemoryNotFoundException.class, () -> store.get(berlin.id()));
  }

  @Test
  void runMaintenance_prunesBelowTheFloorButNotPinned() {
    MemoryStore store = open(oneDayHalfLife().withPruneFloor(0.1));
    Memory fades = store.create(NewMemory.builder("fades").importance(0.5).build());
    Memory pinned = store.create(NewMemory.builder("stays").importance(0.5).pinned(true).build());
    clock.advance(Duration.ofDays(2));
    assertEquals(0, store.lifecycle().runMaintenance().pruned(), "0.125 is above the floor");
    clock.advance(Duration.ofDays(1));
    assertEquals(1, store.lifecycle().runMaintenance().pruned());
    assertThrows(MemoryNotFoundException.class, () -> store.get(fades.id()));
    assertEquals(pinned.id(), store.get(pinned.id()).id());
    assertEquals(
        Map.of("reason", new HistoryEntry.Change(null, "pruned")),
        store.history(fades.id()).get(0).changes());
  }

  @Test
  void runMaintenance_issue19_clockJumpTo2060_refusesAndKeepsEveryMemory() {
    MemoryStore store = open(RetentionPolicy.DEFAULT);
    List<MemoryEvent> events = new CopyOnWriteArrayList<>();
    store.addListener(events::add);
    for (int fact = 0; fact < 30; fact++) {
      store.create(NewMemory.builder("long-term fact " + fact).tier(MemoryTier.LONG_TERM).build());
    }
    for (int turn = 0; turn < 10; turn++) {
      store.create(turn("conversation turn " + turn).build());
    }
    store.create(NewMemory.builder("pinned fact").pinned(true).build());
    Instant jumped = Instant.parse("2060-01-01T00:00:00Z");
    clock.advance(Duration.between(clock.instant(), jumped));

    MaintenanceReport report = store.lifecycle().runMaintenance();

    assertEquals(40, report.withheld(), "30 faded long-term and 10 expired short-term");
    assertEquals(0, report.expired());
    assertEquals(0, report.pruned());
    clock.advance(Duration.between(jumped, START.plus(Duration.ofMinutes(1))));
    assertEquals(41, store.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 0, 100).totalCount());
    store.close(); // delivers every event published so far
    MemoryEvent refused =
        events.stream()
            .filter(event -> event.type() == MemoryEvent.Type.MAINTENANCE_REFUSED)
            .findFirst()
            .orElseThrow();
    assertEquals("maintenance_refused", refused.type().wireName());
    assertEquals(10, ((Number) refused.details().get("would_expire")).intValue());
    assertEquals(30, ((Number) refused.details().get("would_prune")).intValue());
    assertEquals(41, ((Number) refused.details().get("memories")).intValue());
    assertEquals(0.5, ((Number) refused.details().get("max_deletion_share")).doubleValue());
  }

  @Test
  void runMaintenance_deletionShareOfOneDeletesWhatIsDue() {
    MemoryStore store = open(RetentionPolicy.DEFAULT.withMaxDeletionShare(1));
    for (int fact = 0; fact < 20; fact++) {
      store.create(NewMemory.builder("long-term fact " + fact).tier(MemoryTier.LONG_TERM).build());
    }
    clock.advance(Duration.between(clock.instant(), Instant.parse("2060-01-01T00:00:00Z")));
    MaintenanceReport report = store.lifecycle().runMaintenance();
    assertEquals(20, report.pruned());
    assertEquals(0, report.withheld());
  }

  @Test
  void runMaintenance_foldsASessionsShortTermOverflowIntoASummary() {
    MemoryStore store = open(RetentionPolicy.DEFAULT.withShortTermWindow(3));
    Session session = store.sessions().create("user-1", null, Map.of());
    List<Memory> turns = new ArrayList<>();
    for (String text :
        List.of(
            "I planted tomatoes in the garden",
            "The tomatoes need water every day",
            "My sister visits on Sunday",
            "We will bake bread together",
            "The oven is broken")) {
      turns.add(store.create(turn(text).sessionId(session.id()).build()));
      clock.advance(Duration.ofMinutes(1));
    }
    MaintenanceReport report = store.lifecycle().runMaintenance();
    assertEquals(2, report.folded());
    assertEquals(1, report.summaries());
    assertThrows(MemoryNotFoundException.class, () -> store.get(turns.get(0).id()));
    assertThrows(MemoryNotFoundException.class, () -> store.get(turns.get(1).id()));
    Memory summary =
        store
            .list(
                MemoryFilter.builder().sessionId(session.id()).tagsAny(List.of("summary")).build(),
                MemorySort.NEWEST_FIRST,
                0,
                10)
            .items()
            .get(0);
    assertEquals(MemoryTier.LONG_TERM, summary.tier());
    assertEquals(MemoryType.EPISODIC, summary.type());
    assertEquals(
        List.of(turns.get(0).id(), turns.get(1).id()), summary.metadata().get("folded_ids"));
    assertTrue(summary.content().startsWith("2 memories from"), summary.content());
    assertTrue(summary.content().contains("tomatoes"), summary.content());
    assertEquals(0, store.lifecycle().runMaintenance().folded(), "the window holds now");
  }

  @Test
  void cleanup_dryRunListsExactlyWhatTheRunDeletes() {
    MemoryStore store = open(oneDayHalfLife());
    Memory old = store.create(NewMemory.builder("old and unimportant").importance(0.3).build());
    Memory read = store.create(NewMemory.builder("old but read").importance(0.3).build());
    Memory important = store.create(NewMemory.builder("old and important").importance(0.9).build());
    store.get(read.id());
    store.get(read.id());
    clock.advance(Duration.ofDays(31));
    Memory recent = store.create(NewMemory.builder("new").importance(0.1).build());
    List<String> planned = store.lifecycle().cleanup(Duration.ofDays(30), 0.3, 1, true);
    assertEquals(List.of(old.id(), important.id()), planned, "important faded below 0.3 too");
    assertEquals(4, store.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 0, 10).totalCount());
    assertEquals(planned, store.lifecycle().cleanup(Duration.ofDays(30), 0.3, 1, false));
    assertEquals(recent.id(), store.get(recent.id()).id());
    assertEquals(read.id(), store.get(read.id()).id());
    assertThrows(
        ValidationException.class,
        () -> store.lifecycle().cleanup(Duration.ofDays(1), 2.0, 1, true));
  }

  @Test
  void create_exactDuplicateReinforcesTheExistingMemory() {
    MemoryStore store = open(RetentionPolicy.DEFAULT);
    Memory first =
        store.create(NewMemory.builder("I like green tea.").type(MemoryType.PREFERENCE).build());
    CreateResult again =
        store
            .createAllWithResults(
                List.of(
                    NewMemory.builder("  i LIKE green   tea ").type(MemoryType.PREFERENCE).build()))
            .get(0);
    assertTrue(again.duplicate());
    assertEquals(first.id(), again.memory().id());
    assertEquals(0.6, again.memory().importance(), 1e-9);
    CreateResult otherType =
        store.createAllWithResults(List.of(NewMemory.builder("I like green tea.").build())).get(0);
    assertFalse(otherType.duplicate());
    List<CreateResult> batch =
        store.createAllWithResults(
            List.of(NewMemory.of("same in one batch"), NewMemory.of("Same in one batch!")));
    assertFalse(batch.get(0).duplicate());
    assertTrue(batch.get(1).duplicate());
    assertEquals(batch.get(0).memory().id(), batch.get(1).memory().id());
    assertEquals(3, store.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 0, 10).totalCount());
  }

  @Test
  void endSession_storesAGeneratedSummaryAndArchivesShortTermMemories() {
    MemoryStore store = open(RetentionPolicy.DEFAULT);
    Session session = store.sessions().create("user-1", null, Map.of());
    Memory turn =
        store.create(turn("We talked about the weather in Oslo").sessionId(session.id()).build());
    Memory fact =
        store.create(
            NewMemory.builder("The user lives in Oslo")
                .tier(MemoryTier.LONG_TERM)
                .sessionId(session.id())
                .build());
    Session ended = store.sessions().end(session.id(), null, true);
    assertNotNull(ended.endedAt());
    assertTrue(ended.summary().startsWith("2 memories from"), ended.summary());
    Memory archived = store.get(turn.id());
    assertNotNull(archived.archivedAt(), () -> archived + " " + store.history(turn.id()));
    assertNull(archived.expiresAt(), "kept for history");
    List<Memory> visible =
        store
            .list(
                MemoryFilter.builder().sessionId(session.id()).build(),
                MemorySort.OLDEST_FIRST,
                0,
                10)
            .items();
    assertEquals(2, visible.size(), "the long-term fact and the summary, not the archived turn");
    assertEquals(fact.id(), visible.get(0).id());
    assertEquals(List.of("session_summary"), visible.get(1).tags());
    assertEquals(ended.summary(), visible.get(1).content());
    assertTrue(
        store.search(SearchQuery.of("weather")).hits().stream()
            .noneMatch(hit -> hit.memory().id().equals(turn.id())));
    assertEquals(
        3,
        store
            .list(
                MemoryFilter.builder().sessionId(session.id()).includeArchived(true).build(),
                MemorySort.OLDEST_FIRST,
                0,
                10)
            .totalCount());
    assertThrows(ValidationException.class, () -> store.sessions().end(session.id(), null, false));
  }

  @Test
  void conversationContext_andContextPack() {
    MemoryStore store = open(RetentionPolicy.DEFAULT);
    Session session = store.sessions().create(null, null, Map.of());
    store.create(
        NewMemory.builder("The user's favourite colour is teal")
            .tier(MemoryTier.LONG_TERM)
            .build());
    for (int turn = 1; turn <= 6; turn++) {
      store.create(
          NewMemory.builder("turn " + turn + " of the chat").sessionId(session.id()).build());
      clock.advance(Duration.ofSeconds(10));
    }
    List<String> last =
        store.sessions().conversationContext(session.id(), 3).stream()
            .map(Memory::content)
            .toList();
    assertEquals(List.of("turn 4 of the chat", "turn 5 of the chat", "turn 6 of the chat"), last);
    ContextPack pack = store.contextPack(session.id(), "favourite colour", 40);
    assertTrue(pack.estimatedTokens() <= 40);
    assertEquals("The user's favourite colour is teal", pack.relevant().get(0).memory().content());
    assertEquals("turn 6 of the chat", pack.recent().get(pack.recent().size() - 1).content());
    assertTrue(pack.text().startsWith("Relevant memories:\n- The user's favourite colour is teal"));
  }

  @Test
  void contextPack_countsOnlyTheMemoriesItIncludesAsReads() {
    MemoryStore store = open(RetentionPolicy.DEFAULT);
    Memory included =
        store.create(
            NewMemory.builder("The user's favourite colour is teal")
                .tier(MemoryTier.LONG_TERM)
                .build());
    List<String> tooLong = new ArrayList<>();
    for (int note = 0; note < 3; note++) {
      tooLong.add(
          store
              .create(
                  NewMemory.builder(
                          "A long note about colour number "
                              + note
                              + ": "
                              + "the walls, the curtains and the sofa were discussed at length. "
                                  .repeat(6))
                      .tier(MemoryTier.LONG_TERM)
                      .build())
              .id());
    }
    ContextPack pack = store.contextPack(null, "favourite colour", 20);
    assertEquals(
        List.of(included.id()), pack.relevant().stream().map(hit -> hit.memory().id()).toList());
    assertEquals(1, pack.relevant().get(0).memory().accessCount());
    store.file().checkpoint(); // writes the access counts
    assertEquals(
        1,
        store
            .list(
                MemoryFilter.builder().ids(List.of(included.id())).build(),
                MemorySort.NEWEST_FIRST,
                0,
                1)
            .items()
            .get(0)
            .accessCount());
    for (Memory note :
        store
            .list(MemoryFilter.builder().ids(tooLong).build(), MemorySort.NEWEST_FIRST, 0, 10)
            .items()) {
      assertEquals(0, note.accessCount(), "found by the search but left out of the pack");
    }
  }

  @Test
  void learnFromInteraction_storesTheExchangeAndFirstPersonFacts() {
    MemoryStore store = open(RetentionPolicy.DEFAULT);
    LearnedInteraction learned =
        store
            .lifecycle()
            .learnFromInteraction(
                "Hi, my name is Ada. I love jazz, but I hate loud music. What's the time?",
                "Nice to meet you, Ada.",
                null,
                1.0);
    assertEquals(MemoryType.CONVERSATION, learned.exchange().type());
    assertEquals(0.75, learned.exchange().importance(), 1e-9);
    assertEquals(
        List.of("The user's name is Ada.", "The user loves jazz.", "The user dislikes loud music."),
        learned.facts().stream().map(Memory::content).toList());
    assertTrue(learned.facts().stream().allMatch(fact -> fact.tier() == MemoryTier.LONG_TERM));
    LearnedInteraction again =
        store.lifecycle().learnFromInteraction("My name is Ada", null, null, null);
    assertEquals(learned.facts().get(0).id(), again.facts().get(0).id(), "known fact reinforced");
  }

  @Test
  void listeners_receiveEventsAndAFailingOneBreaksNothing() {
    MemoryStore store = open(RetentionPolicy.DEFAULT);
    List<MemoryEvent> events = new CopyOnWriteArrayList<>();
    store.addListener(
        event -> {
          throw new IllegalStateException("a broken listener");
        });
    store.addListener(events::add);
    Memory memory = store.create(NewMemory.of("listened to"));
    store.get(memory.id());
    store.reinforce(memory.id(), 1.2);
    store.delete(memory.id(), true);
    store.lifecycle().runMaintenance();
    store.close(); // delivers every event published so far
    assertEquals(
        List.of(
            MemoryEvent.Type.STORED,
            MemoryEvent.Type.RETRIEVED,
            MemoryEvent.Type.REINFORCED,
            MemoryEvent.Type.DELETED,
            MemoryEvent.Type.MAINTENANCE_RUN),
        events.stream().map(MemoryEvent::type).toList());
    assertEquals(memory.id(), events.get(0).memoryId());
    assertEquals(0, events.get(4).details().get("expired"));
  }

  @Test
  void preloadImportant_cachesTheMostImportantAtOpen() {
    Path file = stores.file("preload.db");
    ManualScheduler scheduler = new ManualScheduler(clock);
    String important;
    try (MemoryStore store = MemoryStore.builder(file).embeddingModel("none").build()) {
      important = store.create(NewMemory.builder("important").importance(0.9).build()).id();
      store.create(NewMemory.builder("ordinary").importance(0.2).build());
    }
    try (MemoryStore store =
        MemoryStore.builder(file)
            .embeddingModel("none")
            .clock(clock)
            .scheduler(scheduler)
            .build()) {
      scheduler.runDue();
      assertEquals(0, store.file().stats().cachedMemories(), "nothing is cached before a read");
    }
    try (MemoryStore store =
        MemoryStore.builder(file)
            .embeddingModel("none")
            .clock(clock)
            .scheduler(scheduler)
            .preloadImportant(1)
            .build()) {
      assertEquals(0, store.file().stats().cachedMemories(), "the preload runs in the background");
      scheduler.runDue();
      assertEquals(1, store.file().stats().cachedMemories());
      store.get(important);
      assertEquals(1, store.file().stats().cacheHits(), "the preloaded memory came from the cache");
      assertEquals(0, store.file().stats().cacheMisses());
    }
  }

  @Test
  void scheduler_runsEveryBackgroundTaskOnTheInjectedOne() {
    ManualScheduler scheduler = new ManualScheduler(clock);
    MemoryStore store =
        MemoryStore.builder(stores.file("scheduled.db"))
            .embeddingModel("none")
            .clock(clock)
            .maintenanceInterval(Duration.ofHours(1))
            .scheduler(scheduler)
            .build();
    store.create(NewMemory.of("a write: a log fold follows"));
    assertTrue(scheduler.pending() >= 2, "maintenance and the fold wait, not yet run");
    assertTrue(scheduler.advance(Duration.ofHours(1)) >= 2, "they run when their time comes");
    assertTrue(scheduler.pending() >= 1, "maintenance is periodic");
    store.close();
    assertEquals(0, scheduler.pending(), "cancelled on close");
    assertFalse(scheduler.isShutdown(), "an injected scheduler is the caller's to shut down");
  }

  @Test
  void close_leavesNoMemstoreThreadRunning() {
    Set<Thread> before = memstoreThreads();
    MemoryStore store =
        MemoryStore.builder(stores.file("threads.db"))
            .embedder(new WordHashEmbedder("word-hash", 32, 0))
            .maintenanceInterval(Duration.ofSeconds(1))
            .snapshotInterval(Duration.ofSeconds(1))
            .build();
    store.addListener(event -> {});
    for (int index = 0; index < 50; index++) {
      store.create(NewMemory.of("memory number " + index));
    }
    store.search(SearchQuery.of("memory number 7"));
    assertFalse(memstoreThreads().equals(before), "the store works in the background");
    store.close();
    Set<Thread> left = memstoreThreads();
    left.removeAll(before);
    assertEquals(Set.of(), left, "close stopped every thread the store started");
    assertThrows(
        IllegalStateException.class,
        () -> store.search(SearchQuery.of("memory number 7")),
        "a search of a closed store fails as every other call does");
  }

  private static Set<Thread> memstoreThreads() {
    Set<Thread> threads = new HashSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("memstore-") && thread.isAlive()) {
        threads.add(thread);
      }
    }
    return threads;
  }
}
