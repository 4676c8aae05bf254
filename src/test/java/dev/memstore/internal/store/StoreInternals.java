package dev.memstore.internal.store;

import dev.memstore.MemoryStore;
import java.time.Duration;
import java.util.function.ObjLongConsumer;

/** What benchmarks outside this package may ask of a store's background work. */
public final class StoreInternals {
  private StoreInternals() {}

  /**
   * Waits until the store has built its vector index and loaded its keyword index, the background
   * work that a process's first search starts; returns how long that took.
   */
  public static Duration awaitIndexes(MemoryStore store) throws InterruptedException {
    long start = System.nanoTime();
    if (((SqliteMemoryStore) store).searcher().awaitKeywordIndex(Duration.ofMinutes(5)) == null) {
      throw new IllegalStateException("the indexes were not ready within five minutes");
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Reports every time a log fold of the store held the writer lock, with its kind. */
  public static void onCheckpoint(MemoryStore store, ObjLongConsumer<String> writerHeld) {
    ((SqliteMemoryStore) store).database().onCheckpoint(writerHeld);
  }
}
