package dev.memstore.internal.store;

import dev.memstore.MemoryStore;
import dev.memstore.internal.search.Searcher;
import dev.memstore.internal.storage.Database;
import java.lang.reflect.Field;
import java.util.function.ObjLongConsumer;

/** What tests and benchmarks outside this package may ask of a store's parts. */
public final class StoreInternals {
  private StoreInternals() {}

  /** The store behind the agent guard that the builder hands out. */
  private static SqliteMemoryStore engine(MemoryStore store) {
    if (store instanceof SqliteMemoryStore engine) {
      return engine;
    }
    try {
      Field guardField = store.getClass().getDeclaredField("guard");
      guardField.setAccessible(true);
      Object guard = guardField.get(store);
      Field inner = guard.getClass().getDeclaredField("store");
      inner.setAccessible(true);
      return engine((MemoryStore) inner.get(guard));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("not a memstore store: " + store.getClass(), e);
    }
  }

  /** The store's searcher. */
  public static Searcher searcher(MemoryStore store) {
    return engine(store).searcher();
  }

  /** The store's database. */
  public static Database database(MemoryStore store) {
    return engine(store).database();
  }

  /** Reports every time a log fold of the store held the writer lock, with its kind. */
  public static void onCheckpoint(MemoryStore store, ObjLongConsumer<String> writerHeld) {
    engine(store).database().onCheckpoint(writerHeld);
  }
}
