package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hybrid search reads a memory with its context, on a real file with the default model: the turns
 * around it in its session, when it was made against the times a query names, and the names in its
 * metadata. Each test stores the same text twice, the one that should win first, so that without
 * the rule the newer one would rank first (equal scores rank the newer memory first).
 */
class SearchContextTest {
  private static final Instant START = Instant.parse("2024-01-01T09:00:00Z");

  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withBundledModel().startingAt(START);

  private final MutableClock clock = stores.clock();
  private final MemoryStore store = stores.store();

  private String session() {
    return store.sessions().create(null, null, Map.of()).id();
  }

  private Memory say(String session, String text) {
    return store.create(NewMemory.builder(text).sessionId(session).build());
  }

  private List<String> ranked(String query) {
    return store.search(SearchQuery.builder(query).limit(10).build()).hits().stream()
        .map(hit -> hit.memory().id())
        .toList();
  }

  @Test
  void search_hybrid_liftsATurnWhosePredecessorMatchesTheQuery() {
    String work = session();
    say(work, "Where do you work these days?");
    Memory answer = say(work, "At the children's hospital, for three years now.");
    String music = session();
    say(music, "How long have you been playing the cello?");
    Memory other = say(music, "At the children's hospital, for three years now.");
    List<String> ranked = ranked("Where does she work?");
    assertTrue(
        ranked.indexOf(answer.id()) < ranked.indexOf(other.id()),
        "the answer to the question about work ranks above the same words after another question: "
            + ranked);
  }

  /**
   * A memory that matches the queries below better than the pair under test, so that the pair's
   * blended relevance stays below 1 and a boost can show.
   */
  private void storeABetterMatch() {
    say(
        session(),
        "What did she buy, which one does she like? She bought the blue one, she likes it");
  }

  private static void assertBefore(List<String> ranked, Memory first, Memory second) {
    assertTrue(
        ranked.indexOf(first.id()) >= 0 && ranked.indexOf(first.id()) < ranked.indexOf(second.id()),
        first.content() + " ranks before the other: " + ranked);
  }

  @Test
  void search_hybrid_liftsMemoriesMadeOnADayTheQueryNames() {
    storeABetterMatch();
    clock.set(Instant.parse("2024-01-05T18:00:00Z"));
    Memory named = say(session(), "I bought water and breakfast bars");
    clock.set(Instant.parse("2024-01-20T18:00:00Z"));
    Memory other = say(session(), "I bought water and breakfast bars");
    clock.advance(Duration.ofDays(1));
    assertBefore(ranked("What did she buy on 5 Jan 2024?"), named, other);
    assertBefore(ranked("What did she buy in January 2024?"), other, named);
    assertBefore(ranked("What did she buy?"), other, named);
  }

  @Test
  void search_hybrid_countsANameInMetadataAsATag() {
    storeABetterMatch();
    Memory maya =
        store.create(
            NewMemory.builder("I really like the blue one")
                .sessionId(session())
                .metadata(Map.of("speaker", "Maya"))
                .build());
    Memory sam =
        store.create(
            NewMemory.builder("I really like the blue one")
                .sessionId(session())
                .metadata(Map.of("speaker", "Sam", "mood", "fine"))
                .build());
    assertBefore(ranked("Which one does Maya like?"), maya, sam);
    assertBefore(ranked("Which one does Sam like?"), sam, maya);
    // A name counts only as the query writes it, capitalised; else the newer memory ranks first.
    assertBefore(ranked("Which one does maya like?"), sam, maya);
  }
}
