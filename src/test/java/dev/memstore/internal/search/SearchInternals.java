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
    if (indexes(store).awaitKeywordIndex(Duration.ofMinutes(5)) == null) {
      throw new IllegalStateException("the indexes were not ready within five minutes");
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  static Searcher searcher(MemoryStore store) {
    return StoreInternals.searcher(store);
  }

  static SearchIndexes indexes(MemoryStore store) {
    return searcher(store).indexes();
  }
}
