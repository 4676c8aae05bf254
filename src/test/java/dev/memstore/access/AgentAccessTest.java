package dev.memstore.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.AccessPolicy;
import dev.memstore.AgentPolicy;
import dev.memstore.AgentRight;
import dev.memstore.ContextGroup;
import dev.memstore.ContextPack;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryStoreException;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.MemoryUpdate;
import dev.memstore.NewMemory;
import dev.memstore.Page;
import dev.memstore.PermissionDeniedException;
import dev.memstore.SearchQuery;
import dev.memstore.SearchResult;
import dev.memstore.Session;
import dev.memstore.StoreStats;
import dev.memstore.internal.access.AgentStore;
import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.RawDatabase;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Agents and permissions through the public API on real files: rights, scopes pushed into every
 * read, secrets, the policy saved in the file, and the default that changes nothing.
 */
class AgentAccessTest {
  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withoutModel()
          .configure(builder -> builder.maintenanceInterval(Duration.ZERO));

  private static final char[] SECRET = "correct horse battery staple".toCharArray();
  private static final String SECRET_HASH = AgentPolicy.hashSecret(SECRET);

  /** An owner with every right, a reader, and a family agent that sees Alice's facts only. */
  private static final AccessPolicy POLICY =
      AccessPolicy.builder()
          .agent(AgentPolicy.trusted("owner"))
          .agent(AgentPolicy.builder("reader").rights(AgentRight.READ).build())
          .agent(
              AgentPolicy.builder("family")
                  .rights(AgentRight.READ, AgentRight.WRITE, AgentRight.DELETE, AgentRight.EXPORT)
                  .types(List.of(MemoryType.SEMANTIC))
                  .users(List.of("alice"))
                  .build())
          .agent(
              AgentPolicy.builder("locked")
                  .rights(EnumSet.allOf(AgentRight.class))
                  .secretHash(SECRET_HASH)
                  .build())
          .defaultAgent("owner")
          .build();

  private MemoryStore owner() {
    return stores.open(builder -> builder.accessPolicy(POLICY));
  }

  private MemoryStore as(String agent) {
    return stores.builder().agent(agent, (char[]) null).build();
  }

  private long rows() throws Exception {
    try (RawDatabase raw = RawDatabase.open(stores.file())) {
      return raw.number("select count(*) from memories");
    }
  }

  /** Alice's fact with a word only it has, Bob's fact, Alice's preference: one in the scope. */
  private Map<String, Memory> family(MemoryStore store) {
    return Map.of(
        "aliceFact",
        store.create(
            NewMemory.builder("Alice keeps the zebra umbrella by the door")
                .type(MemoryType.SEMANTIC)
                .userId("alice")
                .build()),
        "bobFact",
        store.create(
            NewMemory.builder("Bob keeps the zebra kayak and the quokka poster")
                .type(MemoryType.SEMANTIC)
                .userId("bob")
                .build()),
        "alicePreference",
        store.create(
            NewMemory.builder("Alice prefers the marmot mug")
                .type(MemoryType.PREFERENCE)
                .userId("alice")
                .build()));
  }

  @Test
  void open_withoutPolicy_isTheStoreAsBefore() {
    MemoryStore store = stores.store();
    assertFalse(store instanceof AgentStore, "no guard without a policy");
    store.create(NewMemory.of("a memory"));
    assertEquals(1, store.file().stats().totalMemories());
  }

  @Test
  void delete_withoutTheRight_isRefusedNamingAgentActionAndRule_andChangesNothing()
      throws Exception {
    Memory memory = owner().create(NewMemory.of("keep me"));
    long before = rows();
    try (MemoryStore reader = as("reader")) {
      PermissionDeniedException refused =
          assertThrows(PermissionDeniedException.class, () -> reader.delete(memory.id(), false));
      assertEquals("reader", refused.agent());
      assertEquals("delete", refused.action());
      assertTrue(refused.rule().contains("lacks the delete right"), refused.rule());
      assertEquals("reader", refused.details().get("agent"));
      assertThrows(
          PermissionDeniedException.class, () -> reader.create(NewMemory.of("not allowed")));
      assertThrows(
          PermissionDeniedException.class,
          () -> reader.update(memory.id(), MemoryUpdate.builder().content("changed").build()));
      assertThrows(
          PermissionDeniedException.class, () -> reader.file().backup(stores.file("b.db")));
      assertEquals("keep me", reader.get(memory.id()).content(), "reading is allowed");
    }
    assertEquals(before, rows());
    assertFalse(java.nio.file.Files.exists(stores.file("b.db")));
  }

  @Test
  void restoreFact_withoutWriteRightOrOutsideScope_refusedAndChangesNothing() {
    MemoryStore owner = owner();
    Memory paris =
        owner.create(
            NewMemory.builder("Bob lives in Paris.").userId("bob").factKey("bob:city").build());
    stores.clock().advance(Duration.ofDays(1));
    Memory berlin =
        owner.create(
            NewMemory.builder("Bob lives in Berlin.").userId("bob").factKey("bob:city").build());
    try (MemoryStore reader = as("reader")) {
      PermissionDeniedException refused =
          assertThrows(
              PermissionDeniedException.class, () -> reader.lifecycle().restoreFact(paris.id()));
      assertEquals("restore_fact", refused.action());
    }
    try (MemoryStore family = as("family")) {
      assertThrows(MemoryStoreException.class, () -> family.lifecycle().restoreFact(paris.id()));
    }
    assertEquals(berlin.id(), owner.get(paris.id()).supersededBy(), "nothing changed");
    assertEquals(paris.id(), owner.lifecycle().restoreFact(paris.id()).id());
    assertEquals(paris.id(), owner.get(berlin.id()).supersededBy());
  }

  @Test
  void write_outsideTheScope_isRefusedAndChangesNothing() throws Exception {
    MemoryStore owner = owner();
    Map<String, Memory> memories = family(owner);
    long before = rows();
    try (MemoryStore family = as("family")) {
      PermissionDeniedException forBob =
          assertThrows(
              PermissionDeniedException.class,
              () ->
                  family.create(
                      NewMemory.builder("for bob")
                          .type(MemoryType.SEMANTIC)
                          .userId("bob")
                          .build()));
      assertTrue(forBob.rule().contains("outside the scope"), forBob.rule());
      assertThrows(
          PermissionDeniedException.class,
          () ->
              family.createAll(
                  List.of(
                      NewMemory.builder("fine").type(MemoryType.SEMANTIC).userId("alice").build(),
                      NewMemory.builder("a preference")
                          .type(MemoryType.PREFERENCE)
                          .userId("alice")
                          .build())),
          "a batch with one memory outside the scope writes none");
      assertThrows(
          PermissionDeniedException.class,
          () ->
              family.update(
                  memories.get("aliceFact").id(),
                  MemoryUpdate.builder().type(MemoryType.PREFERENCE).build()),
          "moving a memory out of the scope");
      assertThrows(
          PermissionDeniedException.class,
          () -> family.delete(memories.get("bobFact").id(), false));
      assertThrows(
          PermissionDeniedException.class, () -> family.get(memories.get("alicePreference").id()));
      assertThrows(
          PermissionDeniedException.class,
          () ->
              family
                  .links()
                  .add(memories.get("aliceFact").id(), memories.get("bobFact").id(), "related", 1));
    }
    assertEquals(before, rows());
    assertEquals(
        "Alice keeps the zebra umbrella by the door",
        owner.get(memories.get("aliceFact").id()).content());
  }

  @Test
  void contextPack_ofAScopedAgent_profileHoldsOnlyFactsInItsScope() {
    MemoryStore owner = owner();
    Memory oslo =
        owner.create(
            NewMemory.builder("Alice lives in Oslo.")
                .type(MemoryType.SEMANTIC)
                .userId("alice")
                .factKey("alice:home_city")
                .build());
    owner.create(
        NewMemory.builder("Alice likes green tea.")
            .type(MemoryType.PREFERENCE)
            .userId("alice")
            .factKey("alice:preference:tea")
            .build());
    owner.create(
        NewMemory.builder("Bob lives in Bergen.")
            .type(MemoryType.SEMANTIC)
            .userId("bob")
            .factKey("bob:home_city")
            .build());
    Session session = owner.sessions().create("alice", null, Map.of());
    assertEquals(2, owner.contextPack(session.id(), null, 1000).profile().size());
    try (MemoryStore family = as("family")) {
      ContextPack pack = family.contextPack(session.id(), null, 1000);
      assertEquals(List.of(oslo.id()), pack.profile().stream().map(Memory::id).toList());
      assertFalse(pack.text().contains("tea"), pack.text());
    }
  }

  @Test
  void reads_ofAScopedAgent_neverRevealWhatLiesOutsideItsScope() {
    MemoryStore owner = owner();
    Map<String, Memory> memories = family(owner);
    Session session = owner.sessions().create("alice", null, Map.of());
    owner.create(
        NewMemory.builder("Alice said the quokka joke in the session")
            .type(MemoryType.CONVERSATION)
            .userId("alice")
            .sessionId(session.id())
            .build());
    owner.sessions().create("bob", null, Map.of());
    ContextGroup group = owner.groups().create("everything", null);
    memories.values().forEach(memory -> owner.groups().add(group.id(), memory.id()));
    owner.links().add(memories.get("aliceFact").id(), memories.get("bobFact").id(), "related", 0.9);
    try (MemoryStore family = as("family")) {
      SearchResult quokka = family.search(SearchQuery.builder("quokka").build());
      assertEquals(0, quokka.hits().size(), "the word is only in memories outside the scope");
      assertEquals(0, quokka.totalCount());
      SearchResult zebra = family.search(SearchQuery.builder("zebra").build());
      assertEquals(List.of(memories.get("aliceFact").id()), ids(zebra));
      assertEquals(1, zebra.totalCount());
      SearchResult expanded = family.search(SearchQuery.builder("zebra").expansionDepth(1).build());
      assertEquals(List.of(memories.get("aliceFact").id()), ids(expanded), "no hit through links");
      SearchResult many =
          family.searchMany(
              List.of("zebra", "quokka"),
              null,
              dev.memstore.Aggregation.MAX,
              SearchQuery.builder("x").build());
      assertEquals(List.of(memories.get("aliceFact").id()), ids(many));

      Page<Memory> all = family.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 0, 10);
      assertEquals(
          List.of(memories.get("aliceFact").id()), all.items().stream().map(Memory::id).toList());
      assertEquals(1, all.totalCount());
      Page<Memory> bob =
          family.list(MemoryFilter.builder().userId("bob").build(), MemorySort.NEWEST_FIRST, 0, 10);
      assertEquals(0, bob.totalCount());

      StoreStats stats = family.file().stats();
      assertEquals(1, stats.totalMemories());
      assertEquals(Map.of(MemoryType.SEMANTIC, 1L), stats.memoriesByType());
      assertEquals(0, stats.relationships(), "the link reaches Bob's fact");
      assertEquals(1, stats.sessions(), "Alice's session, as the session list shows");

      assertEquals(1, family.groups().list().get(0).memberCount());
      assertEquals(1, family.groups().members(group.id(), 0, 10).totalCount());
      assertEquals(
          0, family.links().related(memories.get("aliceFact").id(), null).size(), "Bob's fact");
      Page<Session> sessions = family.sessions().list(true, 0, 10);
      assertEquals(1, sessions.totalCount(), "Bob's session is hidden");
      assertEquals("alice", sessions.items().get(0).userId());
      assertEquals(
          List.of(),
          family.sessions().conversationContext(session.id(), 10),
          "the session's memory is a conversation, not a fact");

      ContextPack pack = family.contextPack(session.id(), "quokka zebra", 1000);
      assertTrue(pack.recent().isEmpty());
      assertEquals(
          List.of(memories.get("aliceFact").id()),
          pack.relevant().stream().map(hit -> hit.memory().id()).toList());
      assertFalse(pack.text().contains("quokka"), pack.text());
      assertEquals(1, family.lifecycle().summarize(MemoryFilter.all()).memoryCount());

      java.io.StringWriter export = new java.io.StringWriter();
      dev.memstore.TransferReport report = family.file().exportTo(export, null);
      assertEquals(1, report.memories());
      assertEquals(0, report.relationships());
      assertTrue(export.toString().contains(memories.get("aliceFact").id()));
      assertFalse(export.toString().contains(memories.get("bobFact").id()), export.toString());
      assertFalse(export.toString().contains("quokka"), export.toString());
      assertEquals(0, report.sessions(), "Alice's session holds no fact");
      MemoryStore copy = stores.open(stores.file("copy.db"));
      assertEquals(
          1,
          copy.file()
              .importFrom(new java.io.StringReader(export.toString()), false, null)
              .memories());
      assertEquals(1, copy.groups().list().get(0).memberCount(), "the group, with its fact only");
    }
  }

  @Test
  void reads_ofAgentScopedToSeveralUsers_coverEachOfThemOnly() {
    MemoryStore owner = owner();
    owner.create(NewMemory.builder("zebra of alice").userId("alice").build());
    owner.create(NewMemory.builder("zebra of carol").userId("carol").build());
    owner.create(NewMemory.builder("zebra of bob").userId("bob").build());
    owner.create(NewMemory.of("zebra of nobody"));
    AccessPolicy policy =
        AccessPolicy.builder()
            .agent(AgentPolicy.trusted("owner"))
            .agent(
                AgentPolicy.builder("parents")
                    .rights(AgentRight.READ)
                    .users(List.of("alice", "carol"))
                    .build())
            .build();
    try (MemoryStore parents =
        stores.builder().accessPolicy(policy).agent("parents", (char[]) null).build()) {
      SearchResult zebra = parents.search(SearchQuery.builder("zebra").build());
      assertEquals(2, zebra.totalCount());
      assertEquals(
          Set.of("alice", "carol"),
          Set.copyOf(zebra.hits().stream().map(hit -> hit.memory().userId()).toList()));
      assertEquals(2, parents.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 0, 1).totalCount());
      assertEquals(2, parents.file().stats().totalMemories());
    }
  }

  @Test
  void open_withASecret_refusesAMissingOrWrongOneAndAcceptsTheRightOne() {
    owner().create(NewMemory.of("guarded"));
    PermissionDeniedException missing =
        assertThrows(PermissionDeniedException.class, () -> as("locked"));
    assertEquals("locked", missing.agent());
    assertTrue(missing.rule().contains("must present its secret"), missing.rule());
    PermissionDeniedException wrong =
        assertThrows(
            PermissionDeniedException.class,
            () -> stores.builder().agent("locked", "wrong".toCharArray()).build());
    assertTrue(wrong.rule().contains("is wrong"), wrong.rule());
    assertFalse(wrong.getMessage().contains("wrong\""), "never echoes the secret");
    try (MemoryStore locked = stores.builder().agent("locked", SECRET.clone()).build()) {
      assertEquals(1, locked.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 0, 5).totalCount());
    }
  }

  @Test
  void open_unknownAgent_isRefused() {
    owner();
    PermissionDeniedException refused =
        assertThrows(PermissionDeniedException.class, () -> as("stranger"));
    assertTrue(refused.rule().contains("not in the store's access policy"), refused.rule());
  }

  @Test
  void open_withoutPolicy_obeysThePolicySavedInTheFile() throws Exception {
    Memory memory = owner().create(NewMemory.of("saved policy"));
    try (RawDatabase raw = RawDatabase.open(stores.file())) {
      String saved = raw.strings("select value from store_meta where key = 'access_policy'").get(0);
      assertTrue(saved.contains("pbkdf2-sha256$"), "the hash is saved");
      assertFalse(saved.contains("correct horse"), "never the secret");
    }
    try (MemoryStore asDefault = stores.builder().build()) {
      assertInstanceOf(AgentStore.class, asDefault);
      assertEquals("owner", ((AgentStore) asDefault).agent(), "the saved default agent");
      assertEquals(POLICY, ((AgentStore) asDefault).agents().policy());
    }
    try (MemoryStore reader = as("reader")) {
      assertThrows(PermissionDeniedException.class, () -> reader.delete(memory.id(), false));
    }
  }

  @Test
  void open_policyWithoutDefaultAgent_refusesEveryCallAskingToNameAnAgent() {
    AccessPolicy noDefault = AccessPolicy.builder().agent(AgentPolicy.trusted("owner")).build();
    stores.open(builder -> builder.accessPolicy(noDefault).agent("owner", (char[]) null));
    try (MemoryStore anonymous = stores.builder().build()) {
      PermissionDeniedException refused =
          assertThrows(
              PermissionDeniedException.class,
              () -> anonymous.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 0, 1));
      assertNull(refused.agent());
      assertTrue(refused.rule().contains("name one"), refused.rule());
      assertThrows(PermissionDeniedException.class, () -> anonymous.file().stats());
    }
  }

  @Test
  void hashSecret_matchesOnlyItsSecret() {
    AgentPolicy agent = AgentPolicy.builder("a").secretHash(SECRET_HASH).build();
    assertTrue(agent.matchesSecret(SECRET.clone()));
    assertFalse(agent.matchesSecret("correct horse battery stapler".toCharArray()));
    assertFalse(agent.toString().contains(SECRET_HASH), "toString never shows the hash");
    assertThrows(
        IllegalArgumentException.class,
        () -> AgentPolicy.builder("a").secretHash("plain text").build());
    assertThrows(IllegalArgumentException.class, () -> AgentPolicy.builder("no spaces please"));
  }

  @Test
  void scope_ofTiers_refusesOtherTiersAndCountsOnlyItsOwn() {
    MemoryStore owner = owner();
    owner.create(NewMemory.builder("short lived zebra").tier(MemoryTier.SHORT_TERM).build());
    owner.create(NewMemory.builder("long lived zebra").tier(MemoryTier.LONG_TERM).build());
    AccessPolicy policy =
        AccessPolicy.builder()
            .agent(AgentPolicy.trusted("owner"))
            .agent(
                AgentPolicy.builder("archivist")
                    .rights(AgentRight.READ, AgentRight.WRITE)
                    .tiers(List.of(MemoryTier.LONG_TERM))
                    .build())
            .build();
    try (MemoryStore archivist =
        stores.builder().accessPolicy(policy).agent("archivist", (char[]) null).build()) {
      assertEquals(1, archivist.search(SearchQuery.builder("zebra").build()).totalCount());
      assertThrows(
          PermissionDeniedException.class,
          () -> archivist.create(NewMemory.builder("x").tier(MemoryTier.SHORT_TERM).build()));
      assertEquals(
          MemoryTier.LONG_TERM,
          archivist.create(NewMemory.builder("y").tier(MemoryTier.LONG_TERM).build()).tier());
    }
  }

  @Test
  void writes_ofAScopedAgent_thatWouldReachBeyondItsScope_areRefusedAndChangeNothing()
      throws Exception {
    MemoryStore owner = owner();
    Memory parent =
        owner.create(
            NewMemory.builder("alice's parent fact")
                .type(MemoryType.SEMANTIC)
                .userId("alice")
                .build());
    Memory child =
        owner.create(
            NewMemory.builder("bob's child fact")
                .type(MemoryType.SEMANTIC)
                .userId("bob")
                .parentId(parent.id())
                .build());
    Memory inScopeChild =
        owner.create(
            NewMemory.builder("alice's child fact")
                .type(MemoryType.SEMANTIC)
                .userId("alice")
                .parentId(parent.id())
                .build());
    Session session = owner.sessions().create("alice", null, Map.of());
    owner.create(
        NewMemory.builder("alice chatting")
            .type(MemoryType.CONVERSATION)
            .userId("alice")
            .sessionId(session.id())
            .build());
    long relationship = owner.links().add(parent.id(), child.id(), "related", 1).id();
    Memory gone =
        owner.create(NewMemory.builder("gone").type(MemoryType.SEMANTIC).userId("alice").build());
    owner.delete(gone.id(), false);
    long before = rows();
    try (MemoryStore family = as("family")) {
      assertThrows(PermissionDeniedException.class, () -> family.delete(parent.id(), true));
      assertThrows(PermissionDeniedException.class, () -> family.links().remove(relationship));
      assertThrows(
          PermissionDeniedException.class, () -> family.sessions().end(session.id(), "done", true));
      assertThrows(
          PermissionDeniedException.class,
          () -> family.lifecycle().learnFromInteraction("I like tea", null, session.id(), null));
      assertThrows(PermissionDeniedException.class, () -> family.history(gone.id()));
      assertEquals(
          List.of(inScopeChild.id()),
          family.children(parent.id(), MemorySort.NEWEST_FIRST, 0, 10).items().stream()
              .map(Memory::id)
              .toList());
      assertEquals(1, family.children(parent.id(), MemorySort.NEWEST_FIRST, 0, 10).totalCount());
    }
    assertEquals(before, rows());
    assertEquals(1, owner.links().related(parent.id(), null).size());
    assertNull(owner.sessions().get(session.id()).endedAt());
  }

  @Test
  void listener_ofAScopedAgent_hearsOnlyOfMemoriesInItsScope() {
    MemoryStore owner = owner();
    MemoryStore family = ((AgentStore) owner).agents().store("family", null, "test");
    List<dev.memstore.MemoryEvent> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    family.addListener(heard::add);
    Map<String, Memory> memories = family(owner);
    owner.close(); // delivers every event published so far
    assertEquals(
        List.of(memories.get("aliceFact").id()),
        heard.stream().map(dev.memstore.MemoryEvent::memoryId).distinct().toList());
  }

  private static List<String> ids(SearchResult result) {
    return result.hits().stream().map(hit -> hit.memory().id()).toList();
  }
}
