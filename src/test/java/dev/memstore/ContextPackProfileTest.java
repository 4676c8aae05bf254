package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.testing.MemoryStoreExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The profile at the head of a context pack: the session user's current facts (issue 16). */
class ContextPackProfileTest {
  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withoutModel()
          .configure(builder -> builder.maintenanceInterval(Duration.ZERO));

  private Memory fact(String user, String text, String key, double importance) {
    Memory memory =
        stores
            .store()
            .create(
                NewMemory.builder(text).userId(user).factKey(key).importance(importance).build());
    stores.clock().advance(Duration.ofMinutes(1));
    return memory;
  }

  private String session(String user) {
    return stores.store().sessions().create(user, null, Map.of()).id();
  }

  private static List<String> contents(List<Memory> memories) {
    return memories.stream().map(Memory::content).toList();
  }

  @Test
  void contextPack_sessionOfUser_profileHoldsOnlyTheUsersCurrentFacts() {
    fact("ana", "Ana lives in Paris.", "ana:home_city", 0.5);
    fact("ana", "Ana lives in Berlin.", "ana:home_city", 0.5);
    fact("ana", "Ana likes jazz.", "ana:preference:jazz", 0.5);
    fact("bob", "Bob lives in Rome.", "bob:home_city", 0.9);
    stores.store().create(NewMemory.builder("Ana asked about trains.").userId("ana").build());

    ContextPack pack = stores.store().contextPack(session("ana"), null, 1000);

    assertEquals(List.of("Ana likes jazz.", "Ana lives in Berlin."), contents(pack.profile()));
    assertTrue(pack.text().startsWith(ContextPack.PROFILE_HEADING + "\n"), pack.text());
    assertFalse(pack.text().contains("Paris"), pack.text());
    assertFalse(pack.text().contains("Rome"), pack.text());
    assertFalse(pack.text().contains("trains"), "a memory without a key is no fact");
  }

  @Test
  void contextPack_facts_mostImportantFirstThenNewest() {
    fact("ana", "Ana is called Ana Lima.", "ana:name", 0.4);
    fact("ana", "Ana is allergic to peanuts.", "ana:allergy", 0.9);
    fact("ana", "Ana lives in Porto.", "ana:home_city", 0.4);

    ContextPack pack = stores.store().contextPack(session("ana"), null, 1000);

    assertEquals(
        List.of("Ana is allergic to peanuts.", "Ana lives in Porto.", "Ana is called Ana Lima."),
        contents(pack.profile()));
  }

  @Test
  void contextPack_manyFacts_profileStaysWithinItsShare() {
    for (int index = 0; index < 40; index++) {
      fact("ana", "Ana owns a thing numbered " + index + " in her flat.", "ana:thing" + index, 0.5);
    }
    String session = session("ana");
    stores.store().create(NewMemory.builder("hello there").sessionId(session).build());

    ContextPack pack = stores.store().contextPack(session, null, 200);

    int profileTokens =
        pack.profile().stream().mapToInt(m -> ContextPack.estimateTokens(m.content())).sum();
    assertFalse(pack.profile().isEmpty());
    assertTrue(profileTokens <= 50, "a quarter of 200, was " + profileTokens);
    assertTrue(profileTokens > 50 - ContextPack.estimateTokens("Ana owns a thing numbered 10 in"));
    assertEquals(List.of("hello there"), contents(pack.recent()));
    assertTrue(pack.estimatedTokens() <= 200);
  }

  @Test
  void contextPack_profileShareSetting_changesTheShare() {
    MemoryStore none = stores.open(stores.file("none.db"), builder -> builder.profileShare(0));
    MemoryStore all = stores.open(stores.file("all.db"), builder -> builder.profileShare(1));
    for (MemoryStore store : List.of(none, all)) {
      for (int index = 0; index < 40; index++) {
        store.create(
            NewMemory.builder("Ana owns a thing numbered " + index + " in her flat.")
                .userId("ana")
                .factKey("ana:thing" + index)
                .build());
      }
    }
    String noneSession = none.sessions().create("ana", null, Map.of()).id();
    String allSession = all.sessions().create("ana", null, Map.of()).id();

    assertTrue(none.contextPack(noneSession, null, 200).profile().isEmpty());
    ContextPack full = all.contextPack(allSession, null, 200);
    assertTrue(full.profile().size() > 10, "the whole budget: " + full.profile().size());
    assertTrue(full.estimatedTokens() <= 200);
  }

  @Test
  void profileShare_outOfRange_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> stores.builder().profileShare(1.5));
    assertThrows(IllegalArgumentException.class, () -> stores.builder().profileShare(-0.1));
  }

  @Test
  void contextPack_unusedProfileBudget_goesToTheRest() {
    fact("ana", "Ana likes tea.", "ana:preference:tea", 0.5);
    String session = session("ana");
    for (int turn = 0; turn < 40; turn++) {
      stores
          .store()
          .create(
              NewMemory.builder("turn number " + turn + " of the talk").sessionId(session).build());
      stores.clock().advance(Duration.ofSeconds(1));
    }

    ContextPack pack = stores.store().contextPack(session, null, 200);

    int profileTokens = ContextPack.estimateTokens("Ana likes tea.");
    int recentTokens =
        pack.recent().stream().mapToInt(m -> ContextPack.estimateTokens(m.content())).sum();
    assertEquals(profileTokens + recentTokens, pack.estimatedTokens());
    assertTrue(recentTokens > 150, "the recent turns take what the profile left: " + recentTokens);
    assertTrue(pack.estimatedTokens() <= 200);
  }

  @Test
  void contextPack_withQuery_profileThenRelevantThenRecent_neverOverBudget() {
    fact("ana", "Ana lives in Lisbon.", "ana:home_city", 0.7);
    stores.store().create(NewMemory.builder("Lisbon trams run on rails.").build());
    String session = session("ana");
    stores.store().create(NewMemory.builder("what about Lisbon").sessionId(session).build());

    ContextPack pack = stores.store().contextPack(session, "Lisbon", 100);

    String text = pack.text();
    int profileAt = text.indexOf(ContextPack.PROFILE_HEADING);
    int relevantAt = text.indexOf("Relevant memories:");
    int recentAt = text.indexOf("Recent conversation:");
    assertTrue(profileAt == 0 && profileAt < relevantAt && relevantAt < recentAt, text);
    assertEquals(1, text.split("Ana lives in Lisbon", -1).length - 1, "the fact only once");
    assertTrue(pack.estimatedTokens() <= 100);
    for (int budget = 16; budget <= 120; budget += 7) {
      assertTrue(stores.store().contextPack(session, "Lisbon", budget).estimatedTokens() <= budget);
    }
  }

  @Test
  void contextPack_withoutSession_profileOfFactsWithoutUser() {
    stores.store().create(NewMemory.builder("The user likes cats.").factKey("user:pet").build());
    fact("ana", "Ana likes dogs.", "ana:pet", 0.5);

    ContextPack pack = stores.store().contextPack(null, null, 1000);

    assertEquals(List.of("The user likes cats."), contents(pack.profile()));
  }
}
