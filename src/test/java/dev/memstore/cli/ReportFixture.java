package dev.memstore.cli;

import dev.memstore.AccessPolicy;
import dev.memstore.AgentPolicy;
import dev.memstore.ForgetRequest;
import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.NewMemory;
import dev.memstore.SearchMode;
import dev.memstore.SearchQuery;
import dev.memstore.Session;
import dev.memstore.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A store with something in every chart of {@code memctl report}: a week of memories of every type
 * and several tiers, users and sessions, links around one memory, recalls, deletions and a forget,
 * maintenance runs, and searches in the audit trail (the store has a policy with one trusted agent,
 * so it keeps a trail). One memory's text is an HTML injection.
 */
record ReportFixture(Path file, String hubId, String injectionId, String otherLinkedId) {
  static final String INJECTION =
      "<script>document.title='pwned'</script><img src=x onerror=alert(1)> & \"quoted\"";

  static ReportFixture create(Path file) {
    // Recent days, so that nothing has expired by the time memctl reads it on the system clock.
    MutableClock clock =
        new MutableClock(Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(8)));
    List<String> ids = new ArrayList<>();
    String hub;
    String injection;
    String otherLinked;
    try (MemoryStore store =
        MemoryStore.builder(file)
            .embeddingModel("none")
            .clock(clock)
            .maintenanceInterval(Duration.ZERO)
            .accessPolicy(
                AccessPolicy.builder()
                    .agent(AgentPolicy.trusted("owner"))
                    .defaultAgent("owner")
                    .build())
            .build()) {
      List<Session> sessions = new ArrayList<>();
      for (String user : List.of("alice", "bob", "carol")) {
        sessions.add(store.sessions().create(user, "conversation", Map.of()));
      }
      MemoryType[] types = MemoryType.values();
      MemoryTier[] tiers = {MemoryTier.WORKING, MemoryTier.LONG_TERM};
      int count = 0;
      for (int day = 0; day < 6; day++) {
        for (int index = 0; index < 6; index++) {
          Session session = sessions.get(count % sessions.size());
          Memory memory =
              store.create(
                  NewMemory.builder(
                          "Note "
                              + count
                              + " about "
                              + List.of("coffee", "weather", "music", "garden").get(count % 4)
                              + " preferences and morning routines")
                      .type(types[count % types.length])
                      .tier(tiers[count % tiers.length])
                      .importance((count % 10) / 10.0 + 0.05)
                      .sessionId(session.id())
                      .userId(session.userId())
                      .build());
          ids.add(memory.id());
          count++;
        }
        clock.advance(Duration.ofDays(1));
      }
      injection =
          store.create(NewMemory.builder(INJECTION).type(MemoryType.CONVERSATION).build()).id();
      hub = ids.get(0);
      for (int index = 1; index <= 5; index++) {
        store.links().add(hub, ids.get(index), index % 2 == 0 ? "about" : "follows", index / 5.0);
      }
      store.links().add(injection, hub, "mentions", 0.9);
      otherLinked = ids.get(10);
      store.links().add(otherLinked, ids.get(11), "about", 0.5);
      for (int index = 0; index < 8; index++) {
        for (int read = 0; read <= index; read++) {
          store.get(ids.get(index));
        }
      }
      store.get(injection);
      // Something for the maintenance runs to do: one short-lived memory expires, and one
      // important short-term memory is promoted.
      store.create(NewMemory.builder("Timer for the pasta").ttl(Duration.ofMinutes(10)).build());
      store.create(
          NewMemory.builder("The user's sister is called Ann")
              .tier(MemoryTier.SHORT_TERM)
              .importance(0.9)
              .build());
      clock.advance(Duration.ofHours(1));
      store.lifecycle().runMaintenance();
      store.delete(ids.get(30), false);
      store.delete(ids.get(31), false);
      clock.advance(Duration.ofDays(1));
      store.privacy().forget(ForgetRequest.ofIds(List.of(ids.get(32))));
      store.search(SearchQuery.builder("coffee").mode(SearchMode.KEYWORD).build());
      store.search(SearchQuery.builder("music").mode(SearchMode.KEYWORD).build());
      store.search(SearchQuery.builder("nothing matches this").mode(SearchMode.KEYWORD).build());
      store.lifecycle().runMaintenance();
    }
    return new ReportFixture(file, hub, injection, otherLinked);
  }
}
