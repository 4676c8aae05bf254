package dev.memstore.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.internal.embed.BundledEmbedder;
import dev.memstore.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a 100k store in a fresh JVM up to the answer of its first hybrid {@code search(text)}, on
 * its own: the part of {@link SpeedBenchmark} that a change to opening or to the index build needs,
 * in a minute instead of ten. The store (SpeedBenchmark's corpus, ingested the same way) is built
 * once and kept in {@code target/bench-cache/}; each run opens a copy in a new child process.
 *
 * <p>Prints the medians of {@code open.runs} plain runs (default 7) and of two runs that load the
 * file's model before opening, which leaves the index build as what the search waits for. System
 * properties: {@code open.runs}, {@code open.jvmOptions} (space-separated options for the child,
 * e.g. a flight recording), {@code open.log=true} (the child logs the store's debug messages).
 */
@Tag("benchmark")
class OpenBenchmark {
  private static final int MEMORIES = 100_000;
  private static final int BATCH = 1000;
  private static final Path DATA = BenchmarkReport.dataFolder();
  private static final Path CACHE = Path.of("target", "bench-cache");

  @TempDir Path folder;

  @Test
  void openAndFirstSearch() throws Exception {
    assumeTrue(
        Files.isDirectory(DATA.resolve("realtalk"))
            && Files.isRegularFile(DATA.resolve("scifact").resolve("corpus.jsonl")),
        "OpenBenchmark needs REALTALK and SciFact in ../shared/bench-data beside the checkout");
    Path cached = CACHE.resolve("open-" + MEMORIES + "-" + SpeedCorpus.MODEL + ".db");
    if (!Files.exists(cached)) {
      build(cached);
    }
    List<String> corpusTexts = SpeedCorpus.corpusTexts(DATA);
    List<String> queries = SpeedCorpus.queryTexts(DATA, 200, Set.copyOf(corpusTexts));
    Path file = folder.resolve("open.db");
    Files.copy(cached, file);

    int runs = Integer.getInteger("open.runs", 7);
    List<String> options = new ArrayList<>();
    String extra = System.getProperty("open.jvmOptions", "").strip();
    if (!extra.isEmpty()) {
      options.addAll(Arrays.asList(extra.split("\\s+")));
    }
    if (Boolean.getBoolean("open.log")) {
      options.add("-Dmemstore.bench.log=true");
    }
    double[] opened = new double[runs];
    double[] answered = new double[runs];
    for (int run = 0; run < runs; run++) {
      String[] words = runChild(file, options, queries.get(run), "plain");
      opened[run] = Double.parseDouble(words[1]);
      answered[run] = Double.parseDouble(words[3]);
    }
    int modelRuns = 2;
    double[] model = new double[modelRuns];
    double[] modelOpened = new double[modelRuns];
    double[] rest = new double[modelRuns];
    for (int run = 0; run < modelRuns; run++) {
      String[] words = runChild(file, options, queries.get(runs + run), "model-first");
      model[run] = Double.parseDouble(words[7]);
      modelOpened[run] = Double.parseDouble(words[1]);
      rest[run] = Double.parseDouble(words[3]) - Double.parseDouble(words[1]);
    }
    System.out.printf(
        "OPEN RESULT: open + first search median %.0f ms (runs %s), open alone %.0f ms;"
            + " model first: model %.0f ms, open %.0f ms, first search %.0f ms%n",
        BenchmarkReport.median(answered),
        Arrays.toString(answered),
        BenchmarkReport.median(opened),
        BenchmarkReport.median(model),
        BenchmarkReport.median(modelOpened),
        BenchmarkReport.median(rest));
  }

  private String[] runChild(Path file, List<String> options, String query, String mode)
      throws Exception {
    try (ChildJvm child =
        ChildJvm.start(
            folder,
            options,
            OpenAndSearch.class,
            file.toString(),
            query,
            mode,
            SpeedCorpus.MODEL)) {
      String line = child.nextLine(120, TimeUnit.SECONDS);
      if (line == null || !line.startsWith("opened ")) {
        throw new AssertionError("the child said " + line + "; stderr: " + child.errorOutput());
      }
      if (child.waitFor(60, TimeUnit.SECONDS) != 0) {
        throw new AssertionError("the child failed: " + child.errorOutput());
      }
      System.out.printf("%s: %s%n", mode, line);
      if (Boolean.getBoolean("open.log")) {
        System.out.print(child.errorOutput());
      }
      return line.split(" ");
    }
  }

  /** Ingests SpeedBenchmark's corpus into a new file through the public API. */
  private static void build(Path cached) throws Exception {
    SpeedCorpus corpus = SpeedCorpus.load(DATA, CACHE, MEMORIES, 200);
    Path building = cached.resolveSibling(cached.getFileName() + ".building");
    Files.deleteIfExists(building);
    try (MemoryStore store =
        MemoryStore.builder(building)
            .embedder(BundledEmbedder.named(SpeedCorpus.MODEL).orElseThrow())
            .build()) {
      for (int from = 0; from < MEMORIES; from += BATCH) {
        List<NewMemory> batch = new ArrayList<>(BATCH);
        for (int memory = from; memory < from + BATCH; memory++) {
          int bucket = corpus.buckets[memory];
          batch.add(
              NewMemory.builder(corpus.texts.get(memory) + " #" + memory)
                  .embedding(corpus.vector(memory))
                  .tags(
                      bucket < 1 ? List.of("p10", "p1") : bucket < 10 ? List.of("p10") : List.of())
                  .build());
        }
        List<Memory> created = store.createAll(batch);
        if (created.size() != BATCH) {
          throw new AssertionError("created " + created.size() + " of " + BATCH);
        }
      }
    }
    Files.move(building, cached, StandardCopyOption.REPLACE_EXISTING);
  }
}
