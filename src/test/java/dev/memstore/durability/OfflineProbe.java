package dev.memstore.durability;

import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.SearchQuery;
import java.nio.file.Path;

/**
 * A process that loads the default embedding model, embeds, stores and searches, for the test that
 * watches its system calls. Argument: a database file.
 */
public final class OfflineProbe {
  private OfflineProbe() {}

  public static void main(String[] arguments) {
    try (MemoryStore store = MemoryStore.open(Path.of(arguments[0]))) {
      store.create(NewMemory.of("The user drinks an espresso every morning"));
      store.create(NewMemory.of("Sam's birthday is on March 15th"));
      int hits = store.search(SearchQuery.of("coffee habits")).hits().size();
      System.out.println("hits " + hits);
    }
  }
}
