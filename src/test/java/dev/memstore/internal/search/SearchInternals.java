package dev.memstore.internal.search;

import dev.memstore.MemoryStore;
import dev.memstore.internal.store.StoreInternals;
import java.time.Duration;

/** What tests and benchmarks may ask of a store's search side. */
public final class SearchInternals {
  private SearchInternals() {}

  /**
   * Waits until the store has built its vector index and loaded its keyword index, the background
   * work that a process's first search starts; returns how long that took.
   */
  public static Duration awaitIndexes(MemoryStore store) throws InterruptedException {
    long start = System.nanoTime();
    if (awaitKeywordIndex(indexes(store), Duration.ofMinutes(5)) == null) {
      throw new IllegalStateException("the indexes were not ready within five minutes");
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /**
   * Waits until the keyword index is loaded (a search starts that) and returns it, or null after
   * the timeout.
   */
  static KeywordIndex awaitKeywordIndex(SearchIndexes indexes, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (indexes.loadedKeywordIndex() == null && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return indexes.loadedKeywordIndex();
  }

  static Searcher searcher(MemoryStore store) {
    return StoreInternals.searcher(store);
  }

  static SearchIndexes indexes(MemoryStore store) {
    return searcher(store).indexes();
  }
}
