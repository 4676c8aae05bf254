package dev.memstore.internal.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.memstore.MemoryFilter;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.RetentionPolicy;
import dev.memstore.SearchQuery;
import dev.memstore.internal.store.StoreInternals;
import dev.memstore.testing.WordHashEmbedder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19.5: a query of many distinct words is scored in time linear in its words. The keyword
 * side below the public length limit, where the time went: the keyword index answers a query of
 * more words than its word cache holds (it went to FTS5, whose bm25() visits every phrase for every
 * matching row), and FTS5 is asked only about the words the table holds, with the same scores.
 */
class KeywordQueryLengthTest {
  @TempDir Path folder;

  @Test
  void hits_queryOfMoreWordsThanTheCacheHolds_answeredByTheKeywordIndexWithFts5sScores()
      throws InterruptedException {
    try (MemoryStore store =
        MemoryStore.builder(folder.resolve("words.db"))
            .embedder(new WordHashEmbedder("word-hash", 32, 0))
            .build()) {
      List<NewMemory> memories = new ArrayList<>();
      for (int index = 0; index < 200; index++) {
        memories.add(NewMemory.of("note about " + word(index) + " and " + word(3 * index)));
      }
      store.createAll(memories);
      SearchIndexes indexes = SearchInternals.indexes(store);
      indexes.refresh();
      store.search(SearchQuery.of("note"));
      KeywordIndex keywordIndex = SearchInternals.awaitKeywordIndex(indexes, Duration.ofMinutes(1));
      assertNotNull(keywordIndex);
      StringBuilder query = new StringBuilder();
      for (int index = 0; index < 30_000; index++) {
        query.append(word(index)).append(' ');
      }
      KeywordSearch keywordSearch =
          new KeywordSearch(
              StoreInternals.database(store), new VectorIndex(32), RetentionPolicy.DEFAULT);
      long now = System.currentTimeMillis();

      KeywordSearch.Side indexed =
          keywordSearch.hits(keywordIndex, query.toString(), MemoryFilter.all(), now, 300, true);
      assertEquals(0, keywordSearch.fullTextQueries(), "the keyword index answered");
      KeywordSearch.Side fullText =
          keywordSearch.hits(null, query.toString(), MemoryFilter.all(), now, 300, true);
      assertEquals(1, keywordSearch.fullTextQueries());

      assertEquals(200, indexed.hits().size());
      assertEquals(scores(fullText), scores(indexed));
    }
  }

  private static Map<Long, Long> scores(KeywordSearch.Side side) {
    Map<Long, Long> scores = new HashMap<>();
    side.hits().forEach(hit -> scores.put(hit.seq, Math.round(hit.keyword * 1e9)));
    return scores;
  }

  private static String word(int index) {
    return "w" + Integer.toString(index * 7919 % 1_000_003, 36);
  }
}
