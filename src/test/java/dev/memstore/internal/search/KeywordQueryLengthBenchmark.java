package dev.memstore.internal.search;

import dev.memstore.MemoryFilter;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.SearchQuery;
import dev.memstore.testing.WordHashEmbedder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19.5: how long the keyword side takes for a query of n distinct words, through FTS5 and
 * through the keyword index, below the query length limit that the public API enforces. Prints the
 * times; not an assertion (the machine is noisy).
 */
@Tag("benchmark")
class KeywordQueryLengthBenchmark {
  @TempDir Path folder;

  @Test
  void keywordSide_timeByDistinctWords() throws InterruptedException {
    try (MemoryStore store =
        MemoryStore.builder(folder.resolve("words.db"))
            .embedder(new WordHashEmbedder("word-hash", 32, 0))
            .build()) {
      List<NewMemory> memories = new ArrayList<>();
      for (int index = 0; index < 2_000; index++) {
        memories.add(
            NewMemory.of("note " + index + " about " + word(index) + " and " + word(index * 7)));
      }
      store.createAll(memories);
      Searcher searcher = SearchInternals.searcher(store);
      SearchIndexes indexes = searcher.indexes();
      indexes.refresh();
      KeywordIndex keywordIndex = SearchInternals.awaitKeywordIndex(indexes, Duration.ofSeconds(1));
      if (keywordIndex == null) {
        store.search(SearchQuery.of("note"));
        keywordIndex = SearchInternals.awaitKeywordIndex(indexes, Duration.ofMinutes(1));
      }
      KeywordSearch keywordSearch = searcher.keywordSearch();
      for (int words : new int[] {1_000, 4_000, 10_000, 20_000, 40_000, 80_000}) {
        StringBuilder text = new StringBuilder();
        for (int index = 0; index < words; index++) {
          text.append(word(index)).append(' ');
        }
        String query = text.toString();
        long start = System.nanoTime();
        KeywordQuery.of(query);
        KeywordQuery.words(query);
        long parsed = System.nanoTime();
        KeywordSearch.Side fts =
            keywordSearch.hits(
                null, query, MemoryFilter.all(), System.currentTimeMillis(), 300, true);
        long viaFts = System.nanoTime();
        KeywordSearch.Side indexed =
            keywordSearch.hits(
                keywordIndex, query, MemoryFilter.all(), System.currentTimeMillis(), 300, true);
        long viaIndex = System.nanoTime();
        String limited = query.substring(0, Math.min(query.length(), SearchQuery.MAX_TEXT_LENGTH));
        long searchStart = System.nanoTime();
        store.search(SearchQuery.builder(limited).mode(dev.memstore.SearchMode.KEYWORD).build());
        long searchTime = System.nanoTime() - searchStart;
        System.out.printf(
            Locale.ROOT,
            "%,d distinct words (%,d chars): parse %d ms, FTS5 %d ms (%d hits), index %d ms (%d hits);"
                + " keyword search() of its first 16,384 chars %d ms%n",
            words,
            query.length(),
            (parsed - start) / 1_000_000,
            (viaFts - parsed) / 1_000_000,
            fts.hits().size(),
            (viaIndex - viaFts) / 1_000_000,
            indexed.hits().size(),
            searchTime / 1_000_000);
      }
    }
  }

  private static String word(int index) {
    return "w" + Integer.toString(index * 7919 % 1_000_003, 36);
  }
}
