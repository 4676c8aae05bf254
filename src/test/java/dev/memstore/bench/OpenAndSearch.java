package dev.memstore.bench;

import dev.memstore.MemoryStore;
import dev.memstore.SearchQuery;
import dev.memstore.SearchResult;
import dev.memstore.internal.embed.BundledEmbedder;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * A fresh process for the speed benchmarks: opens a store with the file's model, answers one search
 * and prints {@code opened <ms> answered <ms> hits <n> model <ms> jvm <ms>}, timed from just before
 * {@link MemoryStore#open}; {@code jvm} is the time from the JVM's start to {@code main}.
 *
 * <p>Arguments: database file, query text, and optionally {@code model-first} and a model name (the
 * file's model, by default the bundled default): load that model (by embedding one word) before
 * opening the store, timed as {@code model}, so the search afterwards waits only for the index
 * build; or {@code model-parallel}: start loading it on another thread just before opening, to
 * measure what loading the model at open would gain.
 *
 * <p>System properties: {@code memstore.bench.log=true} logs the store's debug messages (such as
 * the index build's time) to standard error; {@code memstore.bench.threads=true} prints each
 * thread's CPU time at the end (Linux), JIT compiler and GC threads included.
 */
public final class OpenAndSearch {
  private OpenAndSearch() {}

  /** Held so that its level is not lost with a collected logger. */
  private static java.util.logging.Logger logger;

  public static void main(String[] arguments) {
    long jvm = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    if (Boolean.getBoolean("memstore.bench.log")) {
      // The store's debug messages (such as how long the index build took) on standard error.
      logger = java.util.logging.Logger.getLogger("dev.memstore");
      java.util.logging.ConsoleHandler handler = new java.util.logging.ConsoleHandler();
      handler.setLevel(java.util.logging.Level.FINE);
      logger.setLevel(java.util.logging.Level.FINE);
      logger.addHandler(handler);
    }
    double modelMillis = 0;
    if (arguments.length > 2 && arguments[2].equals("model-first")) {
      String model = arguments.length > 3 ? arguments[3] : BundledEmbedder.DEFAULT_MODEL;
      long start = System.nanoTime();
      BundledEmbedder.named(model).orElseThrow().embed("warm");
      modelMillis = (System.nanoTime() - start) / 1e6;
    }
    if (arguments.length > 2 && arguments[2].equals("model-parallel")) {
      String model = arguments.length > 3 ? arguments[3] : BundledEmbedder.DEFAULT_MODEL;
      Thread loader = new Thread(() -> BundledEmbedder.named(model).orElseThrow().embed("warm"));
      loader.start();
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
    if (Boolean.getBoolean("memstore.bench.threads")) {
      threadTimes();
    }
  }

  /** Prints each thread's CPU time (Linux), compiler and GC threads included. */
  private static void threadTimes() {
    java.util.Map<String, Long> byName = new java.util.TreeMap<>();
    try (var tasks = java.nio.file.Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        String stat = java.nio.file.Files.readString(task.resolve("stat"));
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        byName.merge(name.replaceAll("[0-9#]+", "N"), ticks * 10, Long::sum);
      }
    } catch (java.io.IOException e) {
      return;
    }
    byName.forEach((name, millis) -> System.err.printf("THREAD %s %d ms%n", name, millis));
  }
}
