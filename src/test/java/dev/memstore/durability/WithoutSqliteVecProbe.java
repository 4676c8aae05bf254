package dev.memstore.durability;

import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.SearchMode;
import dev.memstore.SearchQuery;
import java.nio.file.Path;

/**
 * Runs in a JVM that claims an architecture memstore has no sqlite-vec build for: writes, deletes
 * and searches. Arguments: database file, id of a memory to delete.
 */
public final class WithoutSqliteVecProbe {
  private WithoutSqliteVecProbe() {}

  public static void main(String[] arguments) {
    try (MemoryStore store = MemoryStore.open(Path.of(arguments[0]))) {
      Memory added = store.create(NewMemory.of("The user adopted a grey cat called Miso"));
      store.delete(arguments[1], true);
      var result =
          store.search(SearchQuery.builder("pet cat").mode(SearchMode.SEMANTIC).limit(1).build());
      System.out.println("sqlite-vec " + store.file().stats().sqliteVecVersion());
      System.out.println("degraded " + result.degraded());
      System.out.println(
          "top " + (result.hits().get(0).memory().id().equals(added.id()) ? "added" : "other"));
    }
  }
}
