package dev.memstore.bench;

import dev.memstore.MemoryStore;
import dev.memstore.SearchQuery;
import dev.memstore.SearchResult;
import java.nio.file.Path;

/**
 * A fresh process for the speed benchmark: opens a store with the default model, answers one search
 * and prints {@code opened <ms> answered <ms> hits <n>}, timed from just before {@link
 * MemoryStore#open}.
 *
 * <p>Arguments: database file, query text.
 */
public final class OpenAndSearch {
  private OpenAndSearch() {}

  public static void main(String[] arguments) {
    long start = System.nanoTime();
    try (MemoryStore store = MemoryStore.open(Path.of(arguments[0]))) {
      long opened = System.nanoTime();
      SearchResult result = store.search(SearchQuery.of(arguments[1]));
      long answered = System.nanoTime();
      System.out.printf(
          "opened %.1f answered %.1f hits %d%n",
          (opened - start) / 1e6, (answered - start) / 1e6, result.hits().size());
      System.out.flush();
    }
  }
}
