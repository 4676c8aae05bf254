package dev.memstore.durability;

import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.SearchMode;
import dev.memstore.SearchQuery;
import java.nio.file.Path;

/**
 * A searching process for the concurrency suite: until its time is up, runs keyword, semantic and
 * hybrid searches and lists, and prints {@code searched <count>} at the end.
 *
 * <p>Arguments: database file, milliseconds to run.
 */
public final class SearchLoop {
  private SearchLoop() {}

  public static void main(String[] arguments) {
    Path file = Path.of(arguments[0]);
    long millis = Long.parseLong(arguments[1]);
    SearchMode[] modes = SearchMode.values();
    long searches = 0;
    try (MemoryStore store = MemoryStore.builder(file).embedder(TaggedWriter.embedder()).build()) {
      long deadline = System.nanoTime() + millis * 1_000_000;
      while (System.nanoTime() < deadline) {
        SearchMode mode = modes[(int) (searches % modes.length)];
        store.search(SearchQuery.builder("garden tea batch " + searches % 50).mode(mode).build());
        store.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 0, 20);
        searches++;
      }
    }
    System.out.println("searched " + searches);
  }
}
