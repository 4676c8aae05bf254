package dev.memstore.bench;

import dev.memstore.Durability;
import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryType;
import dev.memstore.NewMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Write throughput and open cost of the store without embeddings: batch inserts of 10,000 memories
 * at several batch sizes and both durability settings, single-memory commits, and the time to open
 * a store of 10,000 memories. Medians of repeated runs, each on a fresh file.
 */
@Tag("benchmark")
class FoundationBenchmark {
  private static final int MEMORIES = 10_000;
  private static final int RUNS = 5;

  @TempDir Path folder;

  private static List<NewMemory> memories(int count, int offset) {
    List<NewMemory> memories = new ArrayList<>(count);
    for (int index = 0; index < count; index++) {
      int number = offset + index;
      memories.add(
          NewMemory.builder(
                  "The user mentioned item "
                      + number
                      + " while talking about the weekend plans and the weather")
              .type(number % 3 == 0 ? MemoryType.CONVERSATION : MemoryType.SEMANTIC)
              .tags("bench", "tag-" + (number % 20))
              .importance((number % 10) / 10.0)
              .build());
    }
    return memories;
  }

  private double insertRate(int batchSize, Durability durability, int run) {
    Path file = folder.resolve("insert-" + batchSize + "-" + durability + "-" + run + ".db");
    List<NewMemory> all = memories(MEMORIES, 0);
    try (MemoryStore store = MemoryStore.builder(file).durability(durability).build()) {
      long start = System.nanoTime();
      for (int from = 0; from < MEMORIES; from += batchSize) {
        store.createAll(all.subList(from, Math.min(MEMORIES, from + batchSize)));
      }
      return MEMORIES / ((System.nanoTime() - start) / 1e9);
    }
  }

  @Test
  void writesAndOpen() throws Exception {
    BenchmarkReport report =
        new BenchmarkReport(
            "foundation", "Foundation: batch inserts and opening a store (no embeddings)");
    report
        .line(
            "10,000 memories of ~90 characters with 2 tags each, into a fresh file; median of "
                + RUNS
                + " runs.")
        .line("")
        .line("| batch size | durability | memories/s |")
        .line("|---|---|---|");
    insertRate(1000, Durability.FULL, -1); // warm up the JIT and the driver
    for (Durability durability : Durability.values()) {
      for (int batchSize : new int[] {100, 1000, 10_000}) {
        double[] rates = new double[RUNS];
        for (int run = 0; run < RUNS; run++) {
          rates[run] = insertRate(batchSize, durability, run);
        }
        report.line(
            String.format(
                "| %,d | %s | %,.0f |", batchSize, durability, BenchmarkReport.median(rates)));
      }
    }

    Path single = folder.resolve("single.db");
    try (MemoryStore store = MemoryStore.open(single)) {
      List<NewMemory> some = memories(300, 0);
      double[] latencies = new double[some.size()];
      for (int index = 0; index < some.size(); index++) {
        long start = System.nanoTime();
        store.create(some.get(index));
        latencies[index] = (System.nanoTime() - start) / 1e6;
      }
      report
          .line("")
          .line(
              String.format(
                  "Single `create` (one transaction each, synchronous=FULL): median %.2f ms over %d commits.",
                  BenchmarkReport.median(latencies), some.size()));
    }

    Path file = folder.resolve("open.db");
    try (MemoryStore store = MemoryStore.open(file)) {
      store.createAll(memories(MEMORIES, 0));
    }
    double[] opens = new double[10];
    for (int run = 0; run < opens.length; run++) {
      long start = System.nanoTime();
      try (MemoryStore store = MemoryStore.open(file)) {
        store.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 0, 10);
        opens[run] = (System.nanoTime() - start) / 1e6;
      }
    }
    report
        .line("")
        .line(
            String.format(
                "Open a store of %,d memories (%.1f MB) and list its newest 10, then close: median %.1f ms over %d runs"
                    + " (in a warm JVM; the first open of a process also loads the drivers).",
                MEMORIES, Files.size(file) / 1e6, BenchmarkReport.median(opens), opens.length));
    report.write();
  }
}
