package dev.memstore.internal.store;

import dev.memstore.MemoryStore;
import dev.memstore.internal.search.Searcher;
import dev.memstore.internal.storage.Database;
import java.util.function.ObjLongConsumer;

/** What tests and benchmarks outside this package may ask of a store's parts. */
public final class StoreInternals {
  private StoreInternals() {}

  /** The store's searcher. */
  public static Searcher searcher(MemoryStore store) {
    return ((SqliteMemoryStore) store).searcher();
  }

  /** The store's database. */
  public static Database database(MemoryStore store) {
    return ((SqliteMemoryStore) store).database();
  }

  /** Reports every time a log fold of the store held the writer lock, with its kind. */
  public static void onCheckpoint(MemoryStore store, ObjLongConsumer<String> writerHeld) {
    ((SqliteMemoryStore) store).database().onCheckpoint(writerHeld);
  }
}
