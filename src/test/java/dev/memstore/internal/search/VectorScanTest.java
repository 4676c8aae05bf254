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
import dev.memstore.MemoryType;
import dev.memstore.NewMemory;
import dev.memstore.SearchHit;
import dev.memstore.SearchMode;
import dev.memstore.SearchQuery;
import dev.memstore.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Searches answered before the vector index is built, by sqlite-vec scanning the file, against the
 * same searches through the index on a real file: the same hits in the same order under every
 * filter, with similarities that agree to float precision.
 */
class VectorScanTest {
  @TempDir Path folder;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));

  /**
   * Deterministic random vectors per text, so that near ties are rare; a text marked {@code
   * [no-vector]} cannot be embedded and its memory stays without a vector.
   */
  private static final class HashedVectors implements Embedder {
    @Override
    public String modelId() {
      return "hashed-vectors";
    }

    @Override
    public int dimension() {
      return 16;
    }

    @Override
    public float[] embed(String text) {
      if (text.contains("[no-vector]")) {
        throw new IllegalStateException("this text cannot be embedded");
      }
      Random random = new Random(text.hashCode());
      float[] vector = new float[16];
      for (int index = 0; index < vector.length; index++) {
        vector[index] = (float) random.nextGaussian();
      }
      return vector;
    }
  }

  private MemoryStore open(Path file) {
    return MemoryStore.builder(file).embedder(new HashedVectors()).clock(clock).build();
  }

  private MemoryStore openReadOnly(Path file) {
    return MemoryStore.builder(file)
        .embedder(new HashedVectors())
        .clock(clock)
        .readOnly(true)
        .build();
  }

  @Test
  void search_beforeTheIndexIsBuilt_sameHitsAsThroughTheIndex() throws Exception {
    Path file = folder.resolve("memory.db");
    Set<String> archived = new HashSet<>();
    Set<String> expired = new HashSet<>();
    List<MemoryFilter> filters = new ArrayList<>();
    Instant middle;
    try (MemoryStore store = open(file)) {
      String session = store.sessions().create("ana", null, Map.of()).id();
      String ended = store.sessions().create("ana", null, Map.of()).id();
      String parent = store.create(NewMemory.builder("the parent of some").build()).id();
      long group = store.groups().create("trip", null).id();
      // A vector of zeros has no direction: similarity 0 on both paths.
      String zero =
          store.create(NewMemory.builder("no direction").embedding(new float[16]).build()).id();
      MemoryType[] types = MemoryType.values();
      Instant start = clock.instant();
      for (int memory = 0; memory < 600; memory++) {
        clock.advance(Duration.ofMinutes(7));
        NewMemory.Builder builder =
            NewMemory.builder("memory number " + memory + (memory % 17 == 5 ? " [no-vector]" : ""))
                .type(types[memory % types.length])
                .importance((memory % 10) / 10.0)
                .tags("p" + memory % 10, "q" + memory % 3)
                .userId(memory % 4 == 0 ? "ana" : "ben")
                .agentId(memory % 5 == 0 ? "planner" : null)
                .pinned(memory % 8 == 0); // pinned memories keep their importance as they age
        if (memory % 11 == 0) {
          builder.sessionId(session);
        }
        if (memory % 13 == 0) {
          builder.sessionId(ended).tier(MemoryTier.SHORT_TERM);
        }
        if (memory % 19 == 0) {
          builder.parentId(parent);
        }
        if (memory % 23 == 0) {
          builder.ttl(Duration.ofMinutes(30));
        }
        Memory created = store.create(builder.build());
        if (memory % 9 == 0) {
          store.groups().add(group, created.id());
        }
        if (memory % 13 == 0) {
          archived.add(created.id());
        }
        if (memory % 23 == 0) {
          expired.add(created.id());
        }
      }
      store.sessions().end(ended, null, true);
      middle = start.plus(Duration.ofMinutes(7 * 300));
      filters.add(MemoryFilter.builder().build());
      filters.add(MemoryFilter.builder().tagsAny(List.of("p3", "p7")).build());
      filters.add(MemoryFilter.builder().tagsAll(List.of("p1", "q2")).build());
      filters.add(MemoryFilter.builder().types(types[1], types[2]).build());
      filters.add(MemoryFilter.builder().tiers(MemoryTier.SHORT_TERM).build());
      filters.add(MemoryFilter.builder().sessionId(session).build());
      filters.add(MemoryFilter.builder().userId("ana").agentId("planner").build());
      filters.add(MemoryFilter.builder().parentId(parent).build());
      filters.add(MemoryFilter.builder().groupId(group).build());
      filters.add(MemoryFilter.builder().ids(List.of(zero)).build());
      filters.add(MemoryFilter.builder().createdFrom(middle).build());
      filters.add(MemoryFilter.builder().createdUntil(middle).minImportance(0.5).build());
      filters.add(MemoryFilter.builder().includeExpired(true).includeArchived(true).build());
    }
    clock.advance(Duration.ofHours(1)); // the memories with a time to live have expired
    // Searches record accesses, which ranking reads, in the background: when each lands depends on
    // the machine's speed. So each side searches its own copy of the file, opened read-only, where
    // no access is recorded and every search ranks the same memories the same way.
    Path copy = folder.resolve("copy.db");
    Files.copy(file, copy);

    List<SearchQuery> queries = new ArrayList<>();
    for (MemoryFilter filter : filters) {
      for (SearchMode mode : List.of(SearchMode.SEMANTIC, SearchMode.HYBRID)) {
        queries.add(query("memory number 46", mode, filter, 0)); // one that expires
        queries.add(query("what about number 7", mode, filter, 5));
      }
    }
    List<List<SearchHit>> scanned = new ArrayList<>();
    try (MemoryStore store = openReadOnly(file)) {
      SearchIndexes indexes = SearchInternals.indexes(store);
      indexes.buildVectorIndexOnlyWhenNeeded();
      for (SearchQuery query : queries) {
        scanned.add(store.search(query).hits());
      }
      assertFalse(indexes.built(), "every search scanned the file");
    }
    try (MemoryStore store = openReadOnly(copy)) {
      SearchInternals.indexes(store).refresh(); // builds the vector index
      for (int query = 0; query < queries.size(); query++) {
        List<SearchHit> expected = store.search(queries.get(query)).hits();
        List<SearchHit> actual = scanned.get(query);
        String description = queries.get(query).mode() + " " + queries.get(query).filter();
        assertEquals(ids(expected), ids(actual), description);
        for (int hit = 0; hit < expected.size(); hit++) {
          assertEquals(
              expected.get(hit).parts().semantic(),
              actual.get(hit).parts().semantic(),
              1e-6,
              description);
          assertEquals(expected.get(hit).score(), actual.get(hit).score(), 1e-6, description);
        }
      }
    }
    for (int query = 0; query < queries.size(); query++) {
      if (queries.get(query).offset() == 0) {
        assertFalse(scanned.get(query).isEmpty(), "every filter finds something");
      }
    }
    List<String> found = new ArrayList<>();
    List<String> foundWithExpired = new ArrayList<>();
    for (int query = 0; query < queries.size(); query++) {
      MemoryFilter filter = queries.get(query).filter();
      (filter.includeExpired() ? foundWithExpired : found).addAll(ids(scanned.get(query)));
    }
    assertTrue(found.stream().noneMatch(archived::contains), "archived memories are left out");
    assertTrue(found.stream().noneMatch(expired::contains), "expired memories are left out");
    assertTrue(
        foundWithExpired.stream().anyMatch(expired::contains), "unless the filter includes them");
  }

  /**
   * Of equally near memories the newest come first, also when the scan runs in two halves: the
   * merge of the halves keeps that order (600 row numbers take the two-halves path).
   */
  @Test
  void scan_equallyNearMemories_newestFirstAcrossBothHalves() {
    float[] vector = new float[16];
    vector[3] = 1;
    try (MemoryStore store = open(folder.resolve("ties.db"))) {
      List<NewMemory> memories = new ArrayList<>();
      for (int memory = 0; memory < 600; memory++) {
        // Chosen ids: never folded into one another as duplicates.
        memories.add(
            NewMemory.builder("tie " + memory).id("mem-tie-" + memory).embedding(vector).build());
      }
      store.createAll(memories);
      SearchIndexes indexes = SearchInternals.indexes(store);
      indexes.buildVectorIndexOnlyWhenNeeded();

      List<SearchHit> hits = store.search(SearchQuery.builder(vector).limit(4).build()).hits();

      assertFalse(indexes.built(), "the search scanned the file");
      assertEquals(List.of("mem-tie-599", "mem-tie-598", "mem-tie-597", "mem-tie-596"), ids(hits));
    }
  }

  @Test
  void search_inANewProcess_buildsTheIndexAfterAnswering() throws Exception {
    Path file = folder.resolve("memory.db");
    try (MemoryStore store = open(file)) {
      for (int memory = 0; memory < 50; memory++) {
        store.create(NewMemory.builder("coffee memory " + memory).build());
      }
    }
    try (MemoryStore store = open(file)) {
      SearchIndexes indexes = SearchInternals.indexes(store);
      assertEquals(10, store.search(SearchQuery.of("coffee memory 3")).hits().size());
      // The search started the build; the keyword index loads once it is done.
      assertNotNull(SearchInternals.awaitKeywordIndex(indexes, Duration.ofSeconds(30)));
      assertTrue(indexes.built());
    }
  }

  @Test
  void search_rightAfterOpen_loadsTheKeywordIndexAlthoughTheOpeningStartedTheBuild()
      throws Exception {
    Path file = folder.resolve("memory.db");
    try (MemoryStore store = open(file)) {
      for (int from = 0; from < 20_000; from += 1_000) {
        List<NewMemory> batch = new ArrayList<>();
        for (int memory = from; memory < from + 1_000; memory++) {
          batch.add(NewMemory.builder("coffee memory " + memory).build());
        }
        store.createAll(batch);
      }
    }
    try (MemoryStore store = open(file)) {
      SearchIndexes indexes = SearchInternals.indexes(store);
      // Answered long before the build that the opening schedules, which then still runs when
      // this search's own build is due: that build must not be lost.
      SearchQuery keywords =
          SearchQuery.builder("memory 3").mode(SearchMode.KEYWORD).limit(3).build();
      assertEquals(3, store.search(keywords).hits().size());
      assertNotNull(SearchInternals.awaitKeywordIndex(indexes, Duration.ofSeconds(20)));
    }
  }

  @Test
  void index_takesTheAccessTimesAnotherStoreWrote() {
    Path file = folder.resolve("memory.db");
    String accessed;
    try (MemoryStore store = open(file)) {
      accessed = store.create(NewMemory.of("the user met Ana at the station")).id();
      store.create(NewMemory.of("the user parks at the station"));
    }
    try (MemoryStore searching = open(file)) {
      SearchIndexes indexes = SearchInternals.indexes(searching);
      indexes.refresh(); // the index, built before the other store's access
      clock.advance(Duration.ofDays(30));
      try (MemoryStore other = open(file)) {
        other.get(accessed); // written when it closes, as an access-only change
      }
      List<SearchHit> hits =
          searching
              .search(
                  SearchQuery.builder("the user met Ana at the station")
                      .mode(SearchMode.SEMANTIC)
                      .minSimilarity(-1)
                      .explain(true)
                      .build())
              .hits();
      assertEquals(2, hits.size());
      assertEquals(accessed, hits.get(0).memory().id());
      // Just used against a month old: the catch-up gave the index the new access time.
      assertTrue(
          hits.get(0).parts().recency() > hits.get(1).parts().recency() + 0.1,
          () -> hits.get(0).parts() + " against " + hits.get(1).parts());
    }
  }

  private static SearchQuery query(String text, SearchMode mode, MemoryFilter filter, int offset) {
    return SearchQuery.builder(text)
        .mode(mode)
        .filter(filter)
        .limit(10)
        .offset(offset)
        .explain(true)
        .build();
  }

  private static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(hit -> hit.memory().id()).toList();
  }
}
