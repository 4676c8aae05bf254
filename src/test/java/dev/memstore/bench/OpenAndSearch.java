package dev.memstore.bench;

import dev.memstore.MemoryStore;
import dev.memstore.SearchQuery;
import dev.memstore.SearchResult;
import dev.memstore.internal.embed.BundledEmbedder;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * A fresh process for the speed benchmark: opens a store with the default model, answers one search
 * and prints {@code opened <ms> answered <ms> hits <n> model <ms> jvm <ms>}, timed from just before
 * {@link MemoryStore#open}; {@code jvm} is the time from the JVM's start to {@code main}.
 *
 * <p>Arguments: database file, query text, and optionally {@code model-first}: load the model (by
 * embedding one word) before opening the store, timed as {@code model}, so the search afterwards
 * waits only for the index build.
 */
public final class OpenAndSearch {
  private OpenAndSearch() {}

  public static void main(String[] arguments) {
    long jvm = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    double modelMillis = 0;
    if (arguments.length > 2 && arguments[2].equals("model-first")) {
      long start = System.nanoTime();
      BundledEmbedder.named(BundledEmbedder.DEFAULT_MODEL).orElseThrow().embed("warm");
      modelMillis = (System.nanoTime() - start) / 1e6;
    }
    long start = System.nanoTime();
    try (MemoryStore store = MemoryStore.open(Path.of(arguments[0]))) {
      long opened = System.nanoTime();
      SearchResult result = store.search(SearchQuery.of(arguments[1]));
      long answered = System.nanoTime();
      System.out.printf(
          "opened %.1f answered %.1f hits %d model %.1f jvm %d%n",
          (opened - start) / 1e6, (answered - start) / 1e6, result.hits().size(), modelMillis, jvm);
      System.out.flush();
    }
  }
}
