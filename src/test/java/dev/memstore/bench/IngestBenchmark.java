package dev.memstore.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.memstore.Embedder;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest alone, as {@link SpeedBenchmark} measures it but in a minute: 100k memories with
 * precomputed vectors through {@code createAll} in batches of 1,000 (synchronous=FULL, the
 * default), then the {@code checkpoint()} that fills the vec0 table. Reports the median over a few
 * runs, each on a new file, of the rate of the batches alone and of the batches with the
 * checkpoint.
 *
 * <p>Also runnable with {@link #main} on any classpath, so two builds can be compared in turns on
 * the same machine: {@code memstore.ingest.runs} and {@code memstore.ingest.memories} set the runs
 * and the size.
 */
@Tag("benchmark")
class IngestBenchmark {
  private static final int BATCH = 1000;
  private static final Path DATA = BenchmarkReport.dataFolder();

  @TempDir Path folder;

  @Test
  void ingest() throws Exception {
    assumeTrue(
        Files.isRegularFile(DATA.resolve("scifact").resolve("corpus.jsonl")),
        "IngestBenchmark needs ../shared/bench-data beside the checkout; skipped");
    run(folder);
  }

  public static void main(String[] arguments) throws Exception {
    Path folder = Files.createTempDirectory(Path.of("target"), "ingest-bench");
    try {
      run(folder);
    } finally {
      try (var files = Files.walk(folder)) {
        files.sorted(Comparator.reverseOrder()).forEach(IngestBenchmark::deleteQuietly);
      }
    }
  }

  private static void run(Path folder) throws IOException {
    int memories = Integer.getInteger("memstore.ingest.memories", 100_000);
    int runs = Integer.getInteger("memstore.ingest.runs", 3);
    // The same corpus as SpeedBenchmark's (100k memories, 200 queries), so its cached vectors
    // serve.
    SpeedCorpus corpus =
        SpeedCorpus.load(DATA, Path.of("target", "bench-cache"), Math.max(memories, 100_000), 200);
    double[] batches = new double[runs];
    double[] withCheckpoint = new double[runs];
    for (int run = 0; run < runs; run++) {
      Path file = folder.resolve("ingest-" + run + ".db");
      try (MemoryStore store = MemoryStore.builder(file).embedder(new NoModel()).build()) {
        long[] ioBefore = io();
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        for (int from = 0; from < memories; from += BATCH) {
          List<NewMemory> batch = new ArrayList<>(BATCH);
          for (int memory = from; memory < Math.min(memories, from + BATCH); memory++) {
            batch.add(
                NewMemory.builder(corpus.texts.get(memory) + " #" + memory)
                    .embedding(corpus.vector(memory))
                    .tags(tags(corpus.buckets[memory]))
                    .build());
          }
          store.createAll(batch);
        }
        long batchesDone = System.nanoTime();
        long[] ioBatches = io();
        long cpuBatches = processCpuNanos();
        store.file().checkpoint();
        long end = System.nanoTime();
        long[] ioEnd = io();
        long cpuEnd = processCpuNanos();
        // CPU time of the whole process: steadier than wall time on a machine shared with others.
        System.out.printf(
            "  process CPU: batches %.2f s, checkpoint %.2f s%n",
            (cpuBatches - cpuBefore) / 1e9, (cpuEnd - cpuBatches) / 1e9);
        System.out.printf(
            "  written by the batches %,d MB (%,d write calls), by the checkpoint %,d MB (%,d)%n",
            (ioBatches[0] - ioBefore[0]) >> 20,
            ioBatches[1] - ioBefore[1],
            (ioEnd[0] - ioBatches[0]) >> 20,
            ioEnd[1] - ioBatches[1]);
        batches[run] = memories / ((batchesDone - start) / 1e9);
        withCheckpoint[run] = memories / ((end - start) / 1e9);
        System.out.printf(
            "run %d: %,.0f memories/s batches, %,.0f/s with the checkpoint (checkpoint %.2f s)%n",
            run, batches[run], withCheckpoint[run], (end - batchesDone) / 1e9);
      }
      deleteQuietly(file);
    }
    System.out.printf(
        "ingest median of %d: %,.0f memories/s batches, %,.0f/s with the checkpoint %s %s%n",
        runs,
        BenchmarkReport.median(batches),
        BenchmarkReport.median(withCheckpoint),
        Arrays.toString(Arrays.stream(batches).mapToLong(Math::round).toArray()),
        Arrays.toString(Arrays.stream(withCheckpoint).mapToLong(Math::round).toArray()));
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean bean
        ? bean.getProcessCpuTime()
        : 0;
  }

  /** Bytes and calls written by this process so far (Linux); zeros elsewhere. */
  private static long[] io() {
    Path file = Path.of("/proc/self/io");
    long[] counts = new long[2];
    if (!Files.isReadable(file)) {
      return counts;
    }
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith("wchar:")) {
          counts[0] = Long.parseLong(line.substring(6).strip());
        } else if (line.startsWith("syscw:")) {
          counts[1] = Long.parseLong(line.substring(6).strip());
        }
      }
    } catch (IOException e) {
      return counts;
    }
    return counts;
  }

  private static List<String> tags(int bucket) {
    return bucket < 1 ? List.of("p10", "p1") : bucket < 10 ? List.of("p10") : List.of();
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      System.err.println("could not delete " + path + ": " + e.getMessage());
    }
  }

  /** The corpus model's id and dimension; every memory brings its vector, so it never embeds. */
  private static final class NoModel implements Embedder {
    @Override
    public String modelId() {
      return SpeedCorpus.MODEL;
    }

    @Override
    public int dimension() {
      return SpeedCorpus.DIMENSION;
    }

    @Override
    public float[] embed(String text) {
      throw new UnsupportedOperationException("the ingest benchmark brings every vector");
    }
  }
}
