package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.MutableClock;
import dev.memstore.testing.RawDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The public API on a real file, with a clock the tests move by hand. */
class MemoryStoreTest {
  private static final Instant START = Instant.parse("2026-01-01T12:00:00.000Z");

  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withBundledModel().startingAt(START);

  private final MutableClock clock = stores.clock();
  private final Path file = stores.file();
  private MemoryStore store = stores.store();

  private long total() {
    return store
        .list(MemoryFilter.builder().includeExpired(true).build(), MemorySort.NEWEST_FIRST, 0, 1)
        .totalCount();
  }

  private List<String> ids(MemoryFilter filter) {
    return store.list(filter, MemorySort.NEWEST_FIRST, 0, 100).items().stream()
        .map(Memory::id)
        .toList();
  }

  @Test
  void create_storesEveryAttribute() {
    Session session = store.sessions().create("user-1", null, Map.of("device_info", "Windows PC"));
    Memory parent = store.create(NewMemory.of("parent"));
    Memory memory =
        store.create(
            NewMemory.builder("User asked about the weather in New York")
                .type(MemoryType.CONVERSATION)
                .tier(MemoryTier.WORKING)
                .sourceAgent("language_understanding_agent")
                .metadata(
                    Map.of(
                        "intent",
                        "weather_query",
                        "entities",
                        List.of("New York"),
                        "confidence",
                        0.95))
                .tags("weather", "location", "weather")
                .importance(0.7)
                .priority(6)
                .ttl(Duration.ofSeconds(3600))
                .parentId(parent.id())
                .sessionId(session.id())
                .agentId("assistant")
                .build());
    assertTrue(memory.id().matches("mem-[0-9a-z]{26}"), memory.id());
    Memory read = store.get(memory.id());
    assertEquals(MemoryType.CONVERSATION, read.type());
    assertEquals(MemoryTier.WORKING, read.tier());
    assertEquals("language_understanding_agent", read.sourceAgent());
    assertEquals(List.of("weather", "location"), read.tags());
    assertEquals(List.of("New York"), read.metadata().get("entities"));
    assertEquals(0.7, read.importance());
    assertEquals(6, read.priority());
    assertEquals(START.plusSeconds(3600), read.expiresAt());
    assertEquals(parent.id(), read.parentId());
    assertEquals("user-1", read.userId(), "a memory of a session belongs to the session's user");
    assertEquals("assistant", read.agentId());
    assertEquals(START, read.createdAt());
  }

  @Test
  void create_idsAreTimeOrderedEvenWithinOneMillisecond() {
    List<String> created = new ArrayList<>();
    for (int index = 0; index < 50; index++) {
      created.add(store.create(NewMemory.of("memory " + index)).id());
      if (index == 25) {
        clock.advance(Duration.ofMillis(1));
      }
    }
    assertEquals(created.stream().sorted().toList(), created);
    assertEquals(50, Set.copyOf(created).size());
  }

  @Test
  void get_countsAccessesAndKeepsThemAcrossReopen() {
    Memory memory = store.create(NewMemory.of("remember me"));
    assertEquals(1, store.get(memory.id()).accessCount());
    clock.advance(Duration.ofMinutes(1));
    Memory second = store.get(memory.id());
    assertEquals(2, second.accessCount());
    assertEquals(START.plusSeconds(60), second.lastAccessedAt());
    store = stores.reopen();
    Memory reopened = store.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 0, 1).items().get(0);
    assertEquals(2, reopened.accessCount());
    assertEquals(START.plusSeconds(60), reopened.lastAccessedAt());
  }

  @Test
  void update_changesOnlyWhatItSetsAndRecordsHistory() {
    Memory memory =
        store.create(
            NewMemory.builder("first")
                .sourceAgent("agent-a")
                .tags("a")
                .ttl(Duration.ofHours(1))
                .build());
    clock.advance(Duration.ofMinutes(10));
    Memory updated =
        store.update(
            memory.id(), MemoryUpdate.builder().content("second").ttl(Duration.ofHours(2)).build());
    assertEquals("second", updated.content());
    assertEquals("agent-a", updated.sourceAgent());
    assertEquals(List.of("a"), updated.tags());
    assertEquals(
        START.plus(Duration.ofMinutes(10)).plus(Duration.ofHours(2)),
        updated.expiresAt(),
        "ttl restarts");
    assertEquals(START.plus(Duration.ofMinutes(10)), updated.updatedAt());
    assertEquals(START, updated.createdAt());

    Memory permanent =
        store.update(memory.id(), MemoryUpdate.builder().ttl(null).sourceAgent(null).build());
    assertNull(permanent.expiresAt());
    assertNull(permanent.sourceAgent());

    List<HistoryEntry> history = store.history(memory.id());
    assertEquals(
        List.of(
            HistoryEntry.Action.CREATED, HistoryEntry.Action.UPDATED, HistoryEntry.Action.UPDATED),
        history.stream().map(HistoryEntry::action).toList());
    assertEquals(
        new HistoryEntry.Change("first", "second"), history.get(1).changes().get("content"));
    assertFalse(history.get(1).changes().containsKey("tags"));
  }

  @Test
  void update_parentCycle_refusedAndNothingChanged() {
    Memory root = store.create(NewMemory.of("root"));
    Memory child = store.create(NewMemory.builder("child").parentId(root.id()).build());
    Memory grandchild = store.create(NewMemory.builder("grandchild").parentId(child.id()).build());
    ValidationException cycle =
        assertThrows(
            ValidationException.class,
            () ->
                store.update(root.id(), MemoryUpdate.builder().parentId(grandchild.id()).build()));
    assertEquals("parent_id", cycle.field());
    assertNull(store.get(root.id()).parentId());
    assertThrows(
        ValidationException.class,
        () -> store.update(root.id(), MemoryUpdate.builder().parentId(root.id()).build()));
  }

  @Test
  void delete_cascade_removesDescendantsFromEveryTable() throws Exception {
    Memory root = store.create(NewMemory.builder("root").tags("tree").build());
    Memory child =
        store.create(NewMemory.builder("child").parentId(root.id()).tags("tree").build());
    Memory grandchild = store.create(NewMemory.builder("grandchild").parentId(child.id()).build());
    Memory other = store.create(NewMemory.of("other"));
    store.links().add(other.id(), grandchild.id(), "mentions", 0.5);
    ContextGroup group = store.groups().create("trip", null);
    store.groups().add(group.id(), child.id());

    assertEquals(List.of(root.id(), child.id(), grandchild.id()), store.delete(root.id(), true));

    assertEquals(List.of(other.id()), ids(MemoryFilter.all()));
    assertEquals(List.of(), store.links().related(other.id(), null));
    assertEquals(0, store.groups().members(group.id(), 0, 10).totalCount());
    assertEquals(
        List.of(HistoryEntry.Action.DELETED),
        store.history(child.id()).stream().map(HistoryEntry::action).toList());
    try (RawDatabase raw = RawDatabase.open(file)) {
      assertEquals(0, raw.number("select count(*) from memory_tags"));
      assertEquals(0, raw.number("select count(*) from relationships"));
      assertEquals(0, raw.number("select count(*) from context_group_members"));
      assertEquals(1, raw.number("select count(*) from memory_fts_docsize"));
      assertEquals(List.of(), raw.indexDisagreements());
    }
  }

  @Test
  void delete_withoutCascade_detachesChildren() {
    Memory root = store.create(NewMemory.of("root"));
    Memory child = store.create(NewMemory.builder("child").parentId(root.id()).build());
    assertEquals(List.of(root.id()), store.delete(root.id(), false));
    assertNull(store.get(child.id()).parentId());
    assertEquals(
        new HistoryEntry.Change(root.id(), null),
        store.history(child.id()).get(1).changes().get("parent_id"));
  }

  @Test
  void deleteAll_oneIdMissing_nothingDeleted() {
    Memory kept = store.create(NewMemory.of("kept"));
    MemoryNotFoundException missing =
        assertThrows(
            MemoryNotFoundException.class,
            () -> store.deleteAll(List.of(kept.id(), "mem-doesnotexist"), true));
    assertEquals(List.of("mem-doesnotexist"), missing.memoryIds());
    assertEquals(1, total());
  }

  @Test
  void createAll_oneInvalid_nothingWrittenAndTheFieldNamed() {
    ValidationException invalid =
        assertThrows(
            ValidationException.class,
            () ->
                store.createAll(
                    List.of(
                        NewMemory.of("fine"),
                        NewMemory.builder("bad").importance(1.5).build(),
                        NewMemory.of("also fine"))));
    assertEquals("memories[1].importance", invalid.field());
    assertEquals(0, total());
  }

  @Test
  void create_invalidValues_validationErrorNamingTheFieldAndNothingWritten() {
    store.close();
    store = stores.open(builder -> builder.maxContentBytes(1000));
    Map<String, NewMemory> cases =
        Map.ofEntries(
            Map.entry("content", NewMemory.of("   ")),
            Map.entry("content ", NewMemory.of("é".repeat(501))),
            Map.entry("importance", NewMemory.builder("x").importance(-0.1).build()),
            Map.entry("importance ", NewMemory.builder("x").importance(Double.NaN).build()),
            Map.entry("priority", NewMemory.builder("x").priority(11).build()),
            Map.entry("ttl", NewMemory.builder("x").ttl(Duration.ofSeconds(-5)).build()),
            Map.entry("ttl ", NewMemory.builder("x").ttl(Duration.ZERO).build()),
            Map.entry("parent_id", NewMemory.builder("x").parentId("not an id").build()),
            Map.entry("session_id", NewMemory.builder("x").sessionId("mem-123").build()),
            Map.entry("tags", NewMemory.builder("x").tags("ok", " ").build()),
            Map.entry("embedding", NewMemory.builder("x").embedding(new float[3]).build()));
    cases.forEach(
        (field, memory) -> {
          ValidationException invalid =
              assertThrows(ValidationException.class, () -> store.create(memory), field);
          assertEquals(field.strip(), invalid.field());
          assertEquals(ErrorCode.VALIDATION_ERROR, invalid.code());
        });
    assertThrows(
        MemoryNotFoundException.class,
        () -> store.create(NewMemory.builder("x").parentId("mem-gone").build()));
    assertThrows(
        SessionNotFoundException.class,
        () -> store.create(NewMemory.builder("x").sessionId("session-gone").build()));
    assertEquals(0, total());
  }

  @Test
  void create_inEndedSession_refused() {
    Session session = store.sessions().create(null, null, Map.of());
    store.sessions().end(session.id(), "done", false);
    ValidationException ended =
        assertThrows(
            ValidationException.class,
            () -> store.create(NewMemory.builder("late").sessionId(session.id()).build()));
    assertEquals("session_id", ended.field());
  }

  @Test
  void list_filtersCombineAndTotalsAreHonest() {
    Session session = store.sessions().create("user-9", null, Map.of());
    Memory preference =
        store.create(
            NewMemory.builder("likes coffee")
                .type(MemoryType.PREFERENCE)
                .tier(MemoryTier.LONG_TERM)
                .tags("food", "morning")
                .importance(0.9)
                .sessionId(session.id())
                .agentId("chef")
                .build());
    clock.advance(Duration.ofHours(1));
    Memory fact =
        store.create(
            NewMemory.builder("birthday is March 15th")
                .type(MemoryType.SEMANTIC)
                .tier(MemoryTier.LONG_TERM)
                .tags("personal")
                .importance(0.8)
                .build());
    clock.advance(Duration.ofHours(1));
    Memory turn =
        store.create(
            NewMemory.builder("what's the weather")
                .type(MemoryType.CONVERSATION)
                .tags("food")
                .importance(0.2)
                .parentId(fact.id())
                .build());
    ContextGroup group = store.groups().create("kitchen", "food things");
    store.groups().add(group.id(), turn.id());

    assertEquals(
        List.of(preference.id()), ids(MemoryFilter.builder().types(MemoryType.PREFERENCE).build()));
    assertEquals(
        List.of(fact.id(), preference.id()),
        ids(MemoryFilter.builder().tiers(MemoryTier.LONG_TERM).build()));
    assertEquals(
        List.of(turn.id(), preference.id()),
        ids(MemoryFilter.builder().tagsAny(List.of("food")).build()));
    assertEquals(
        List.of(preference.id()),
        ids(MemoryFilter.builder().tagsAll(List.of("food", "morning")).build()));
    assertEquals(
        List.of(preference.id()), ids(MemoryFilter.builder().sessionId(session.id()).build()));
    assertEquals(List.of(preference.id()), ids(MemoryFilter.builder().userId("user-9").build()));
    assertEquals(List.of(preference.id()), ids(MemoryFilter.builder().agentId("chef").build()));
    assertEquals(List.of(turn.id()), ids(MemoryFilter.builder().parentId(fact.id()).build()));
    assertEquals(List.of(turn.id()), ids(MemoryFilter.builder().groupId(group.id()).build()));
    assertEquals(
        List.of(fact.id(), preference.id()),
        ids(MemoryFilter.builder().minImportance(0.8).build()));
    assertEquals(
        List.of(fact.id()),
        ids(
            MemoryFilter.builder()
                .createdFrom(START.plusSeconds(1800))
                .createdUntil(START.plusSeconds(3600))
                .build()));
    assertEquals(
        List.of(),
        ids(
            MemoryFilter.builder()
                .types(MemoryType.PREFERENCE)
                .tagsAny(List.of("personal"))
                .build()));

    Page<Memory> page =
        store.list(MemoryFilter.all(), new MemorySort(MemorySort.Field.IMPORTANCE, false), 1, 1);
    assertEquals(List.of(fact.id()), page.items().stream().map(Memory::id).toList());
    assertEquals(3, page.totalCount());
    assertTrue(page.hasMore());
    Page<Memory> last = store.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 2, 5);
    assertEquals(1, last.items().size());
    assertFalse(last.hasMore());
    assertEquals(1, store.children(fact.id(), MemorySort.NEWEST_FIRST, 0, 10).totalCount());
  }

  @Test
  void list_limitOutOfRange_refusedRatherThanCapped() {
    ValidationException tooMany =
        assertThrows(
            ValidationException.class,
            () -> store.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 0, 10_001));
    assertEquals("limit", tooMany.field());
    assertThrows(
        ValidationException.class,
        () -> store.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, -1, 10));
  }

  @Test
  void expiredMemory_invisibleToReadsAtExpiryButListedOnRequest() {
    Memory fleeting =
        store.create(NewMemory.builder("fleeting").ttl(Duration.ofSeconds(30)).build());
    Memory lasting = store.create(NewMemory.of("lasting"));
    clock.advance(Duration.ofSeconds(29));
    assertEquals("fleeting", store.get(fleeting.id()).content());
    clock.advance(Duration.ofSeconds(1));
    assertThrows(MemoryNotFoundException.class, () -> store.get(fleeting.id()));
    assertEquals(List.of(lasting.id()), ids(MemoryFilter.all()));
    assertEquals(
        List.of(lasting.id(), fleeting.id()),
        ids(MemoryFilter.builder().includeExpired(true).build()));
    assertEquals(List.of(fleeting.id()), store.getAll(List.of(fleeting.id())).missingIds());
    assertEquals(1, store.file().stats().expiredMemories());
  }

  @Test
  void deleteMatching_deletesOnlyMatchesAndSaysWhich() {
    Memory old =
        store.create(
            NewMemory.builder("old weather").type(MemoryType.CONVERSATION).tags("weather").build());
    Memory oldChild = store.create(NewMemory.builder("child of old").parentId(old.id()).build());
    clock.advance(Duration.ofDays(2));
    Memory recent =
        store.create(
            NewMemory.builder("new weather").type(MemoryType.CONVERSATION).tags("weather").build());
    List<String> deleted =
        store.deleteMatching(
            MemoryFilter.builder()
                .types(MemoryType.CONVERSATION)
                .tagsAny(List.of("weather"))
                .createdUntil(START.plus(Duration.ofDays(1)))
                .build());
    assertEquals(List.of(old.id()), deleted);
    assertEquals(Set.of(recent.id(), oldChild.id()), Set.copyOf(ids(MemoryFilter.all())));
    assertThrows(ValidationException.class, () -> store.deleteMatching(MemoryFilter.all()));
  }

  @Test
  void relationships_addUpsertListBothWaysAndRemove() {
    Memory coffee = store.create(NewMemory.of("likes coffee"));
    Memory morning = store.create(NewMemory.of("wakes at six"));
    Relationship link = store.links().add(coffee.id(), morning.id(), "related_to", 0.4);
    Relationship again = store.links().add(coffee.id(), morning.id(), "related_to", 0.9);
    assertEquals(link.id(), again.id());
    assertEquals(0.9, again.strength());
    store.links().add(morning.id(), coffee.id(), "follows", 1.0);

    List<RelatedMemory> fromCoffee = store.links().related(coffee.id(), null);
    assertEquals(2, fromCoffee.size());
    assertTrue(
        fromCoffee.get(0).relationship().type().equals("follows") && !fromCoffee.get(0).outgoing());
    assertTrue(fromCoffee.get(1).outgoing());
    assertEquals(1, store.links().related(coffee.id(), "related_to").size());
    assertThrows(
        ValidationException.class, () -> store.links().add(coffee.id(), coffee.id(), "self", 1));
    assertThrows(
        ValidationException.class, () -> store.links().add(coffee.id(), morning.id(), "x", 1.5));
    assertThrows(
        MemoryNotFoundException.class, () -> store.links().add(coffee.id(), "mem-gone", "x", 1));
    assertTrue(store.links().remove(link.id()));
    assertFalse(store.links().remove(link.id()));
    assertEquals(1, store.links().related(coffee.id(), null).size());
  }

  @Test
  void contextGroups_membershipIsIdempotentAndCounted() {
    ContextGroup trip = store.groups().create("trip to Paris", "planning");
    Memory hotel = store.create(NewMemory.of("hotel booked"));
    assertTrue(store.groups().add(trip.id(), hotel.id()));
    assertFalse(store.groups().add(trip.id(), hotel.id()));
    assertEquals(1, store.groups().list().get(0).memberCount());
    assertEquals(
        List.of(hotel.id()),
        store.groups().members(trip.id(), 0, 10).items().stream().map(Memory::id).toList());
    assertTrue(store.groups().remove(trip.id(), hotel.id()));
    assertFalse(store.groups().remove(trip.id(), hotel.id()));
    ValidationException duplicate =
        assertThrows(ValidationException.class, () -> store.groups().create("trip to Paris", null));
    assertEquals("name", duplicate.field());
    ValidationException unknown =
        assertThrows(ValidationException.class, () -> store.groups().add(999, hotel.id()));
    assertEquals("group_id", unknown.field());
  }

  @Test
  void sessions_lifecycle() {
    Session first = store.sessions().create("user-1", "conversation", Map.of("location", "Home"));
    clock.advance(Duration.ofSeconds(1));
    Session second = store.sessions().create(null, "task", Map.of());
    assertEquals("Home", store.sessions().get(first.id()).metadata().get("location"));
    Session ended = store.sessions().end(first.id(), "talked about the weather", true);
    assertFalse(ended.isActive());
    assertTrue(ended.archived());
    assertEquals("talked about the weather", ended.summary());
    assertEquals(
        List.of(second.id()),
        store.sessions().list(false, 0, 10).items().stream().map(Session::id).toList());
    assertEquals(2, store.sessions().list(true, 0, 10).totalCount());
    assertThrows(ValidationException.class, () -> store.sessions().end(first.id(), null, false));
    assertThrows(SessionNotFoundException.class, () -> store.sessions().get("session-missing"));
  }

  @Test
  void reinforce_multipliesImportanceWithinBounds() {
    Memory memory = store.create(NewMemory.builder("x").importance(0.5).build());
    assertEquals(0.6, store.reinforce(memory.id(), 1.2).importance(), 1e-9);
    assertEquals(1.0, store.reinforce(memory.id(), 10).importance());
    assertEquals(0.5, store.reinforce(memory.id(), 0.5).importance());
    assertThrows(ValidationException.class, () -> store.reinforce(memory.id(), 0));
    assertEquals(HistoryEntry.Action.REINFORCED, store.history(memory.id()).get(1).action());
  }

  @Test
  void stats_countsByTypeAndTier() {
    // c's zero vector is not what the model makes of "c": the check would rightly name it.
    stores.skipHealthCheck();
    store.create(NewMemory.builder("a").type(MemoryType.PREFERENCE).build());
    store.create(
        NewMemory.builder("b").type(MemoryType.PREFERENCE).tier(MemoryTier.SHORT_TERM).build());
    store.create(NewMemory.builder("c").embedding(new float[384]).build());
    StoreStats stats = store.file().stats();
    assertEquals(3, stats.totalMemories());
    assertEquals(2L, stats.memoriesByType().get(MemoryType.PREFERENCE));
    assertEquals(
        2L, stats.memoriesByTier().get(MemoryTier.LONG_TERM), "the default for a preference");
    assertEquals(
        3, stats.embeddedMemories(), "the default model embeds; c came with its own vector");
    assertEquals("bge-small-en-v1.5-q", stats.embeddingModel());
    assertEquals("v0.1.9", stats.sqliteVecVersion());
    assertEquals(7, stats.schemaVersion());
    assertTrue(stats.fileSizeBytes() > 0);
  }

  @Test
  void readOnlyStore_readsWorkWritesRefused() {
    Memory memory = store.create(NewMemory.of("written before"));
    store.close();
    try (MemoryStore readOnly = MemoryStore.builder(file).readOnly(true).build()) {
      assertEquals("written before", readOnly.get(memory.id()).content());
      ReadOnlyStoreException refused =
          assertThrows(ReadOnlyStoreException.class, () -> readOnly.create(NewMemory.of("no")));
      assertEquals(ErrorCode.PERMISSION_DENIED, refused.code());
    }
  }

  @Test
  void open_withEmbedderOfAnotherDimension_refusedNamingBoth() {
    store.close();
    Embedder other =
        new Embedder() {
          @Override
          public String modelId() {
            return "other-model";
          }

          @Override
          public int dimension() {
            return 768;
          }

          @Override
          public float[] embed(String text) {
            return new float[768];
          }
        };
    StorageException refused =
        assertThrows(
            StorageException.class, () -> MemoryStore.builder(file).embedder(other).build());
    assertTrue(
        refused.getMessage().contains("other-model") && refused.getMessage().contains("384"),
        refused.getMessage());
  }

  @Test
  void open_withoutModel_keepsTheModelOfTheFilesVectors() {
    Path older = stores.file("older.db");
    try (MemoryStore minilm =
        MemoryStore.builder(older).embeddingModel("all-minilm-l6-v2-q").build()) {
      minilm.create(NewMemory.of("stored before the default model changed"));
    }
    try (MemoryStore reopened = MemoryStore.open(older)) {
      assertEquals("all-minilm-l6-v2-q", reopened.file().stats().embeddingModel());
      SearchResult result = reopened.search(SearchQuery.of("the default model"));
      assertFalse(result.degraded());
      assertEquals("all-minilm-l6-v2-q", result.embeddingModel());
    }
  }

  @Test
  void builder_badValuesFailAtOnceAndOptionsSetOnce() {
    MemoryStoreBuilder builder = MemoryStore.builder(file);
    assertThrows(IllegalArgumentException.class, () -> builder.maxContentBytes(0));
    assertThrows(IllegalArgumentException.class, () -> builder.busyTimeout(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> builder.readerConnections(0));
    builder.durability(Durability.NORMAL);
    assertThrows(IllegalStateException.class, () -> builder.durability(Durability.FULL));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            MemoryStore.builder(stores.file("x.db")).readOnly(true).createIfMissing(true).build());
  }
}
