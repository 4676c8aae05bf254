package dev.memstore.internal.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.Ranking;
import dev.memstore.SearchMode;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.Sql;
import dev.memstore.internal.store.StoreInternals;
import dev.memstore.testing.MemoryStoreExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ranking arithmetic as {@link Ranking} documents it, checked number by number: the search
 * tests see only the order it makes, which hides a wrong constant or a swapped bound.
 */
class RankerTest {
  private static final double EPSILON = 1e-12;
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final long NOW = 100 * DAY;

  /** Relevance only, so each test below sees the part it checks. */
  private static final Ranking RELEVANCE_ONLY = new Ranking(0.6, 0, 0, Duration.ofDays(1));

  @RegisterExtension final MemoryStoreExtension stores = MemoryStoreExtension.withoutModel();

  private static Candidate candidate(long seq, Double semantic, Double keyword) {
    Candidate candidate = new Candidate(seq, "mem-" + seq, 0.5, NOW);
    candidate.semantic = semantic;
    candidate.keyword = keyword;
    return candidate;
  }

  @Test
  void score_hybrid_blendsMinMaxScaledSidesWithTheSemanticWeight() {
    Candidate best = candidate(1, 0.9, 4.0);
    Candidate middle = candidate(2, 0.5, 3.0);
    Candidate worst = candidate(3, 0.1, 2.0);
    new Ranker(null, RELEVANCE_ONLY).score(List.of(best, middle, worst), SearchMode.HYBRID, NOW);
    assertEquals(1.0, best.relevance, EPSILON);
    assertEquals(0.6 * 0.5 + 0.4 * 0.5, middle.relevance, EPSILON);
    assertEquals(0.0, worst.relevance, EPSILON);
    assertEquals(best.relevance, best.score, EPSILON);
    assertEquals(middle.relevance, middle.score, EPSILON);
  }

  @Test
  void score_hybrid_aSideThatMissedTheCandidateCountsZero() {
    Candidate semanticOnly = candidate(1, 0.8, null);
    Candidate keywordOnly = candidate(2, null, 5.0);
    Candidate both = candidate(3, 0.4, 1.0);
    new Ranker(null, RELEVANCE_ONLY)
        .score(List.of(semanticOnly, keywordOnly, both), SearchMode.HYBRID, NOW);
    assertEquals(0.6, semanticOnly.relevance, EPSILON);
    assertEquals(0.4, keywordOnly.relevance, EPSILON);
    assertEquals(0.0, both.relevance, EPSILON);
  }

  @Test
  void score_hybrid_oneCandidateOrEqualValues_scaleToOne() {
    Candidate alone = candidate(1, 0.3, 2.0);
    new Ranker(null, RELEVANCE_ONLY).score(List.of(alone), SearchMode.HYBRID, NOW);
    assertEquals(1.0, alone.relevance, EPSILON);
  }

  @Test
  void score_hybrid_namedTagMovesSeventyPercentOfTheGapToOne() {
    Candidate named = candidate(1, 0.5, 3.0);
    Candidate plain = candidate(2, 0.5, 3.0);
    Candidate top = candidate(3, 0.9, 4.0);
    Candidate bottom = candidate(4, 0.1, 2.0);
    named.namesTag = true;
    new Ranker(null, RELEVANCE_ONLY)
        .score(List.of(named, plain, top, bottom), SearchMode.HYBRID, NOW);
    assertEquals(0.5, plain.relevance, EPSILON);
    assertEquals(0.5 + 0.7 * 0.5, named.relevance, EPSILON);
    top.namesTag = true;
    new Ranker(null, RELEVANCE_ONLY).score(List.of(top, bottom), SearchMode.HYBRID, NOW);
    assertEquals(1.0, top.relevance, EPSILON, "never above 1");
  }

  @Test
  void score_semantic_isTheSimilarityFloorOfZero() {
    Candidate close = candidate(1, 0.42, null);
    Candidate opposite = candidate(2, -0.3, null);
    new Ranker(null, RELEVANCE_ONLY).score(List.of(close, opposite), SearchMode.SEMANTIC, NOW);
    assertEquals(0.42, close.relevance, EPSILON);
    assertEquals(0.0, opposite.relevance, EPSILON);
  }

  @Test
  void score_keyword_isTheShareOfTheBestBm25() {
    Candidate best = candidate(1, null, 8.0);
    Candidate half = candidate(2, null, 4.0);
    new Ranker(null, RELEVANCE_ONLY).score(List.of(best, half), SearchMode.KEYWORD, NOW);
    assertEquals(1.0, best.relevance, EPSILON);
    assertEquals(0.5, half.relevance, EPSILON);
    Candidate zero = candidate(3, null, 0.0);
    new Ranker(null, RELEVANCE_ONLY).score(List.of(zero), SearchMode.KEYWORD, NOW);
    assertEquals(0.0, zero.relevance, EPSILON, "no division by a best score of 0");
  }

  @Test
  void score_weighsRelevanceImportanceAndRecencyThatHalvesEachHalfLife() {
    Ranking ranking = new Ranking(0.5, 0.2, 0.1, Duration.ofDays(2));
    Candidate fresh = new Candidate(1, "mem-1", 0.8, NOW);
    fresh.semantic = 0.6;
    Candidate old = new Candidate(2, "mem-2", 0.4, NOW - 4 * DAY);
    old.semantic = 0.3;
    Candidate future = new Candidate(3, "mem-3", 0.4, NOW + DAY);
    future.semantic = 0.3;
    new Ranker(null, ranking).score(List.of(fresh, old, future), SearchMode.SEMANTIC, NOW);
    assertEquals(1.0, fresh.recency, EPSILON);
    assertEquals(0.25, old.recency, EPSILON);
    assertEquals(1.0, future.recency, EPSILON, "a clock behind the memory counts no age");
    assertEquals(0.7 * 0.6 + 0.2 * 0.8 + 0.1 * 1.0, fresh.score, EPSILON);
    assertEquals(0.7 * 0.3 + 0.2 * 0.4 + 0.1 * 0.25, old.score, EPSILON);
  }

  @Test
  void bestFirst_higherScoreFirst_thenTheNewerMemory() {
    Candidate older = candidate(1, null, null);
    Candidate newer = candidate(2, null, null);
    Candidate better = candidate(3, null, null);
    older.score = 0.5;
    newer.score = 0.5;
    better.score = 0.6;
    List<Candidate> sorted =
        List.of(older, newer, better).stream().sorted(Ranker.BEST_FIRST).toList();
    assertEquals(List.of(better, newer, older), sorted);
  }

  @Test
  void markNamedTags_aWordOfATagInTheQuery_marksOnlyThoseCandidates() {
    MemoryStore store = stores.store();
    String alice = store.create(NewMemory.builder("one").tags(List.of("Alice Smith")).build()).id();
    String bob = store.create(NewMemory.builder("two").tags(List.of("bob")).build()).id();
    String none = store.create(NewMemory.builder("three").build()).id();
    Map<Long, Candidate> candidates = new HashMap<>();
    Database database = StoreInternals.database(store);
    for (String id : List.of(alice, bob, none)) {
      long seq =
          database.read(
              connection -> Sql.queryLong(connection, "select seq from memories where id = ?", id));
      candidates.put(seq, new Candidate(seq, id, 0.5, NOW));
    }
    Ranker ranker = new Ranker(database, RELEVANCE_ONLY);
    ranker.markNamedTags("what did smith say?", candidates);
    Map<String, Boolean> named = new HashMap<>();
    candidates.values().forEach(candidate -> named.put(candidate.id, candidate.namesTag));
    assertEquals(Map.of(alice, true, bob, false, none, false), named);

    candidates.values().forEach(candidate -> candidate.namesTag = false);
    ranker.markNamedTags("?!", candidates);
    assertFalse(candidates.values().stream().anyMatch(candidate -> candidate.namesTag));
    ranker.markNamedTags("BOB", candidates);
    assertTrue(candidates.values().stream().anyMatch(candidate -> candidate.namesTag));
  }

  @Test
  void score_hybrid_eachSessionNeighbourLendsFifteenPercent_aMissingOneStandsForItself() {
    Candidate top = candidate(1, 0.9, 4.0);
    Candidate bottom = candidate(2, 0.1, 2.0);
    Candidate middle = candidate(3, 0.5, 3.0);
    Candidate afterTop = candidate(4, 0.5, 3.0);
    middle.previous = bottom;
    middle.next = top;
    afterTop.previous = top;
    new Ranker(null, RELEVANCE_ONLY)
        .score(List.of(top, bottom, middle, afterTop), SearchMode.HYBRID, NOW);
    assertEquals(0.7 * 0.5 + 0.15 * (0.0 + 1.0), middle.relevance, EPSILON);
    assertEquals(0.7 * 0.5 + 0.15 * (1.0 + 0.5), afterTop.relevance, EPSILON);
    assertEquals(1.0, top.relevance, EPSILON);
  }

  @Test
  void score_hybrid_madeInANamedTimeMovesThirtyPercentOfTheGapToOne() {
    Candidate inTime = candidate(1, 0.5, 3.0);
    Candidate plain = candidate(2, 0.5, 3.0);
    Candidate top = candidate(3, 0.9, 4.0);
    Candidate bottom = candidate(4, 0.1, 2.0);
    inTime.inNamedTime = true;
    new Ranker(null, RELEVANCE_ONLY)
        .score(List.of(inTime, plain, top, bottom), SearchMode.HYBRID, NOW);
    assertEquals(0.5, plain.relevance, EPSILON);
    assertEquals(0.5 + 0.3 * 0.5, inTime.relevance, EPSILON);
  }

  @Test
  void leading_theMostRelevantOnTheirOwn_aNamedTagCounting() {
    List<Candidate> candidates = new java.util.ArrayList<>();
    for (int seq = 1; seq <= 10; seq++) {
      candidates.add(candidate(seq, seq / 10.0, (double) seq));
    }
    // Both sides scale to (seq - 1) / 9: seq 3 fuses to 0.222 alone and to 0.767 with the boost,
    // above seq 7 (0.667) and below seq 8 (0.778).
    candidates.get(2).namesTag = true;
    Ranker ranker = new Ranker(null, RELEVANCE_ONLY);
    List<Long> leading = ranker.leading(candidates, 4).stream().map(c -> c.seq).toList();
    assertEquals(List.of(10L, 9L, 8L, 3L), leading);
    assertEquals(10, ranker.leading(candidates, 10).size());
    assertEquals(3, ranker.leading(candidates.subList(0, 3), 4).size());
  }

  @Test
  void markNamedMetadata_aNameValueOfOneToThreeCapitalisedWords_thatTheQueryWrites() {
    Candidate speaker = candidate(1, 0.5, 1.0);
    speaker.metadataTexts = List.of("chat", "Emi Tanaka");
    Candidate sentence = candidate(2, 0.5, 1.0);
    sentence.metadataTexts = List.of("went to Tanaka's place");
    Candidate tooLong = candidate(3, 0.5, 1.0);
    tooLong.metadataTexts = List.of("Anna Maria Tanaka Smith");
    Candidate unread = candidate(4, 0.5, 1.0);
    Candidate lowerCase = candidate(5, 0.5, 1.0);
    lowerCase.metadataTexts = List.of("Emi Tanaka");
    Ranker.markNamedMetadata("what did Tanaka say", List.of(speaker, sentence, tooLong, unread));
    Ranker.markNamedMetadata("what did tanaka say", List.of(lowerCase));
    assertTrue(speaker.namesTag);
    assertFalse(sentence.namesTag);
    assertFalse(tooLong.namesTag);
    assertFalse(unread.namesTag);
    assertFalse(lowerCase.namesTag, "a name counts only written as one");
  }

  @Test
  void markNamedTimes_marksOnlyTheCandidatesMadeThen() {
    Candidate then = candidate(1, 0.5, 1.0);
    Candidate other = candidate(2, 0.5, 1.0);
    then.createdAt = Instant.parse("2024-05-10T12:00:00Z").toEpochMilli();
    other.createdAt = Instant.parse("2024-07-10T12:00:00Z").toEpochMilli();
    long now = Instant.parse("2024-09-01T00:00:00Z").toEpochMilli();
    Ranker.markNamedTimes("what happened in May 2024", List.of(then, other), now);
    assertTrue(then.inNamedTime);
    assertFalse(other.inNamedTime);
    Ranker.markNamedTimes("what happened", List.of(other), now);
    assertFalse(other.inNamedTime);
  }
}
