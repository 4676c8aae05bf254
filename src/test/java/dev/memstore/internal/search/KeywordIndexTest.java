package dev.memstore.internal.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.Embedder;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryUpdate;
import dev.memstore.NewMemory;
import dev.memstore.SearchHit;
import dev.memstore.SearchMode;
import dev.memstore.SearchQuery;
import dev.memstore.internal.storage.Sql;
import dev.memstore.internal.store.StoreInternals;
import dev.memstore.testing.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-memory keyword index against FTS5 on a real file: the same matches with the same BM25
 * scores, after a load and after changes, and the same search results as the FTS5 path.
 */
class KeywordIndexTest {
  private static final String[] WORDS = {
    "coffee",
    "espresso",
    "morning",
    "running",
    "runs",
    "ran",
    "runner",
    "hike",
    "hiking",
    "trail",
    "birthday",
    "march",
    "dentist",
    "tuesday",
    "café",
    "naïve",
    "résumé",
    "garden",
    "tomatoes",
    "tomato",
    "kitchen",
    "light",
    "bulb",
    "replace",
    "replacing",
    "sister",
    "sam",
    "maya",
    "piano",
    "lessons",
    "guitar",
    "concert",
    "flight",
    "berlin",
    "paris",
    "2026",
    "x9",
    "the",
    "and",
    "a"
  };

  @TempDir Path folder;

  /** An embedder that fails, so memories created without a vector stay without one. */
  private static final class Unavailable implements Embedder {
    @Override
    public String modelId() {
      return "unavailable";
    }

    @Override
    public int dimension() {
      return 8;
    }

    @Override
    public float[] embed(String text) {
      throw new IllegalStateException("no model here");
    }
  }

  /** Bag-of-words vectors: similar word sets give similar vectors, with no model to load. */
  private static final class WordCounts implements Embedder {
    @Override
    public String modelId() {
      return "word-counts";
    }

    @Override
    public int dimension() {
      return 8;
    }

    @Override
    public float[] embed(String text) {
      float[] vector = new float[8];
      for (String word : text.split("\\W+")) {
        vector[Math.floorMod(word.hashCode(), 8)] += 1;
      }
      vector[0] += 0.01f;
      return vector;
    }
  }

  private static String text(Random random) {
    StringBuilder text = new StringBuilder();
    int length = 1 + random.nextInt(30);
    for (int word = 0; word < length; word++) {
      text.append(WORDS[random.nextInt(WORDS.length)]).append(word % 7 == 6 ? ". " : " ");
    }
    return text.toString().trim();
  }

  private static float[] vector(Random random) {
    float[] vector = new float[8];
    for (int index = 0; index < vector.length; index++) {
      vector[index] = (float) random.nextGaussian();
    }
    return vector;
  }

  /** A fixed clock: equal times leave the order to the keyword scores alone. */
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T12:00:00Z"));

  private MemoryStore open(Path file) {
    return MemoryStore.builder(file).embedder(new Unavailable()).clock(clock).build();
  }

  /** Every query's matches and scores, by FTS5's bm25() and by the index, side by side. */
  private static void assertSameScores(Connection connection, KeywordIndex index, Random random) {
    for (int query = 0; query < 60; query++) {
      String text = query == 0 ? "running runs runner" : text(random);
      String match = KeywordQuery.of(text);
      if (match == null) {
        continue;
      }
      Map<Long, Double> expected = new HashMap<>();
      Sql.query(
          connection,
          "select rowid, -bm25(memory_fts) from memory_fts where memory_fts match ?",
          row -> expected.put(row.getLong(1), row.getDouble(2)),
          match);
      List<String> phrases = new ArrayList<>();
      FullTextTerms.terms(connection, List.copyOf(KeywordQuery.words(text)))
          .forEach(phrases::addAll);
      KeywordIndex.Matches matches = index.match(phrases);
      Map<Long, Double> actual = new HashMap<>();
      for (int hit = 0; hit < matches.count(); hit++) {
        actual.put(matches.seqs()[hit], matches.scores()[hit]);
      }
      assertEquals(expected.keySet(), actual.keySet(), "matches of " + text);
      expected.forEach(
          (seq, score) ->
              assertEquals(score, actual.get(seq), 1e-9 * Math.abs(score), "score of " + seq));
    }
  }

  @Test
  void matches_best_selectsTheHighestScoresWithTiesAtTheEdge() {
    Random random = new Random(3);
    for (int round = 0; round < 200; round++) {
      int count = 1 + random.nextInt(3000);
      double[] scores = new double[count];
      for (int index = 0; index < count; index++) {
        // Few distinct values, so ties are common.
        scores[index] = random.nextInt(1 + random.nextInt(50)) / 7.0;
      }
      int wanted = 1 + random.nextInt(count);
      int[] chosen = new KeywordIndex.Matches(new long[count], scores, count).best(wanted);
      double[] sorted = scores.clone();
      java.util.Arrays.sort(sorted);
      double threshold = sorted[count - wanted];
      long expected = java.util.Arrays.stream(scores).filter(score -> score >= threshold).count();
      assertEquals(expected, chosen.length, "every score at or above the wanted-th best");
      for (int index : chosen) {
        assertTrue(scores[index] >= threshold);
      }
      assertEquals(chosen.length, java.util.Arrays.stream(chosen).distinct().count());
    }
  }

  @Test
  void index_scoresLikeFts5_afterLoadAndAfterChanges() throws Exception {
    Path file = folder.resolve("memory.db");
    Random random = new Random(7);
    List<Memory> created = new ArrayList<>();
    try (MemoryStore store = open(file)) {
      for (int memory = 0; memory < 400; memory++) {
        NewMemory.Builder builder =
            NewMemory.builder(text(random)).embedding(vector(random)).tags("tag" + memory % 5);
        if (memory % 3 == 0) {
          builder.tags("garden party", "x" + memory % 4);
        }
        created.add(store.create(builder.build()));
      }
    }
    try (MemoryStore store = open(file);
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      SearchIndexes indexes = SearchInternals.indexes(store);
      indexes.refresh(); // builds the vector index, which the keyword index waits for
      store.search(SearchQuery.builder("coffee").mode(SearchMode.KEYWORD).build());
      KeywordIndex index = SearchInternals.awaitKeywordIndex(indexes, Duration.ofSeconds(30));
      assertNotNull(index, "the keyword index loads after the vector index");
      assertEquals(400, index.size());
      assertSameScores(connection, index, random);
      // Loaded in many small read transactions, each ending with a term: the same index.
      KeywordIndex chunked = new KeywordIndex();
      FullTextTerms.load(StoreInternals.database(store), chunked, 37);
      assertEquals(400, chunked.size());
      assertSameScores(connection, chunked, new Random(7));

      for (int change = 0; change < 40; change++) {
        Memory memory = created.get(random.nextInt(created.size()));
        switch (change % 4) {
          case 0 -> store.update(memory.id(), MemoryUpdate.builder().content(text(random)).build());
          case 1 -> store.update(memory.id(), MemoryUpdate.builder().tags(List.of("maya")).build());
          case 2 -> store.delete(memory.id(), false);
          default ->
              store.create(NewMemory.builder(text(random)).embedding(vector(random)).build());
        }
      }
      // A second store on the file stands for another process.
      try (MemoryStore other = open(file)) {
        other.create(NewMemory.builder("espresso espresso café").embedding(vector(random)).build());
      }
      indexes.refresh();
      assertSameScores(connection, index, random);
    }
  }

  @Test
  void search_keyword_sameResultsThroughIndexAsThroughFts5() throws Exception {
    Path file = folder.resolve("memory.db");
    Random random = new Random(11);
    Set<String> unembedded = new HashSet<>();
    Set<String> archived = new HashSet<>();
    try (MemoryStore store = open(file)) {
      String session = store.sessions().create(null, null, Map.of()).id();
      for (int memory = 0; memory < 300; memory++) {
        NewMemory.Builder builder = NewMemory.builder(text(random)).tags("p" + memory % 10);
        // Most have a vector; the rest wait for an embedder that fails, so only the database
        // knows them. The session's short-term memories are archived when it ends.
        if (memory % 10 != 0) {
          builder.embedding(vector(random));
        }
        if (memory % 25 == 1) {
          builder.sessionId(session).tier(MemoryTier.SHORT_TERM);
        }
        Memory created = store.create(builder.build());
        if (memory % 10 == 0) {
          unembedded.add(created.id());
        }
        if (memory % 25 == 1) {
          archived.add(created.id());
        }
      }
      store.sessions().end(session, "a session about coffee and gardens", true);
    }
    List<SearchQuery> queries = new ArrayList<>();
    for (int query = 0; query < 20; query++) {
      String text = text(random);
      queries.add(
          SearchQuery.builder(text).mode(SearchMode.KEYWORD).limit(20).explain(true).build());
      queries.add(
          SearchQuery.builder(text)
              .mode(SearchMode.KEYWORD)
              .limit(5)
              .filter(MemoryFilter.builder().tagsAny(List.of("p0", "p3")).build())
              .explain(true)
              .build());
    }
    List<List<String>> throughFts5 = new ArrayList<>();
    try (MemoryStore store = open(file)) {
      SearchInternals.indexes(store).disableKeywordIndex();
      for (SearchQuery query : queries) {
        throughFts5.add(describe(store.search(query).hits()));
      }
    }
    try (MemoryStore store = open(file)) {
      SearchIndexes indexes = SearchInternals.indexes(store);
      indexes.refresh(); // builds the vector index, which the keyword index waits for
      store.search(SearchQuery.builder("coffee").mode(SearchMode.KEYWORD).build());
      assertNotNull(SearchInternals.awaitKeywordIndex(indexes, Duration.ofSeconds(30)));
      for (int query = 0; query < queries.size(); query++) {
        List<String> hits = describe(store.search(queries.get(query)).hits());
        assertEquals(throughFts5.get(query), hits, queries.get(query).text());
      }
      assertFalse(throughFts5.stream().allMatch(List::isEmpty), "the queries find something");
      List<String> found =
          throughFts5.stream().flatMap(List::stream).map(hit -> hit.split(" ")[0]).toList();
      assertTrue(found.stream().anyMatch(unembedded::contains), "memories without a vector count");
      assertTrue(found.stream().noneMatch(archived::contains), "archived memories are left out");
    }
  }

  @Test
  void search_hybrid_sameResultsThroughIndexAsThroughFts5() throws Exception {
    Path file = folder.resolve("memory.db");
    Random random = new Random(13);
    try (MemoryStore store =
        MemoryStore.builder(file).embedder(new WordCounts()).clock(clock).build()) {
      for (int memory = 0; memory < 500; memory++) {
        store.create(NewMemory.builder(text(random)).tags("p" + memory % 10).build());
      }
    }
    List<SearchQuery> queries = new ArrayList<>();
    for (int query = 0; query < 20; query++) {
      // Long queries match most memories; one word leaves semantic candidates without a match.
      String text = query % 2 == 0 ? text(random) : WORDS[random.nextInt(WORDS.length)];
      queries.add(SearchQuery.builder(text).limit(50).explain(true).build());
    }
    List<List<String>> throughFts5 = new ArrayList<>();
    try (MemoryStore store =
        MemoryStore.builder(file).embedder(new WordCounts()).clock(clock).build()) {
      SearchIndexes indexes = SearchInternals.indexes(store);
      indexes.disableKeywordIndex();
      // Similarities from the vector index in both stores: a scan of the file agrees with it to
      // about 1e-7 only (VectorScanTest).
      indexes.refresh();
      for (SearchQuery query : queries) {
        throughFts5.add(describeBoth(store.search(query).hits()));
      }
    }
    try (MemoryStore store =
        MemoryStore.builder(file).embedder(new WordCounts()).clock(clock).build()) {
      SearchIndexes indexes = SearchInternals.indexes(store);
      indexes.refresh(); // builds the vector index, which the keyword index waits for
      store.search(SearchQuery.builder("coffee").mode(SearchMode.KEYWORD).build());
      assertNotNull(SearchInternals.awaitKeywordIndex(indexes, Duration.ofSeconds(30)));
      for (int query = 0; query < queries.size(); query++) {
        assertEquals(
            throughFts5.get(query),
            describeBoth(store.search(queries.get(query)).hits()),
            queries.get(query).text());
      }
    }
    assertTrue(
        throughFts5.stream().flatMap(List::stream).anyMatch(hit -> hit.endsWith(" 0.000000000")),
        "some hits hold none of the query's words and get BM25 0, not nothing");
  }

  @Test
  void search_keywordThroughFts5_filterPassingNoneOfTheBest_readsEveryMatch() throws Exception {
    try (MemoryStore store = open(folder.resolve("memory.db"))) {
      SearchInternals.indexes(store).disableKeywordIndex();
      List<NewMemory> memories = new ArrayList<>();
      for (int memory = 0; memory < 1000; memory++) {
        memories.add(NewMemory.builder("coffee " + memory).build());
      }
      // Longer texts score lower: none of these is among the best 900 matches that FTS5 returns
      // first for a search that wants 100 hits.
      for (int memory = 0; memory < 50; memory++) {
        memories.add(
            NewMemory.builder(
                    "coffee and a long story about the morning, the garden, the kitchen and the"
                        + " concert in berlin "
                        + memory)
                .tags("rare")
                .build());
      }
      store.createAll(memories);
      List<SearchHit> hits =
          store
              .search(
                  SearchQuery.builder("coffee")
                      .mode(SearchMode.KEYWORD)
                      .limit(100)
                      .filter(MemoryFilter.builder().tagsAny(List.of("rare")).build())
                      .build())
              .hits();
      assertEquals(50, hits.size());
      assertTrue(hits.stream().allMatch(hit -> hit.memory().tags().contains("rare")));
    }
  }

  /** A hit as its id, its similarity and its keyword score to nine digits. */
  private static List<String> describeBoth(List<SearchHit> hits) {
    return hits.stream()
        .map(
            hit ->
                String.format(
                    "%s %.9f %.9f",
                    hit.memory().id(), hit.parts().semantic(), hit.parts().keyword()))
        .toList();
  }

  /** A hit as its id and its keyword score to nine digits. */
  private static List<String> describe(List<SearchHit> hits) {
    return hits.stream()
        .map(hit -> hit.memory().id() + " " + String.format("%.9f", hit.parts().keyword()))
        .toList();
  }
}
