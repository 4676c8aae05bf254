package dev.memstore.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.testing.RawDatabase;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What compressing large content saves and costs, on SciFact's abstracts (title and text, 5,183
 * texts, median about 1.5 KB): file size after close, and the median time of a get of a memory not
 * in the read cache, at thresholds off, 512 B, 1 KiB and 4 KiB. No embedding model.
 */
@Tag("benchmark")
class CompressionBenchmark {
  private static final Path DATA = BenchmarkReport.dataFolder();
  private static final int[] THRESHOLDS = {0, 512, 1024, 4096};
  private static final int READS = 1_000;

  @TempDir Path folder;

  @Test
  void fileSizeAndReadCost() throws Exception {
    Path corpus = DATA.resolve("scifact").resolve("corpus.jsonl");
    assumeTrue(
        Files.isRegularFile(corpus),
        "CompressionBenchmark needs SciFact (scifact/corpus.jsonl) in ../shared/bench-data"
            + " beside the checkout, or -Dmemstore.bench.data; skipped, nothing changed");
    List<String> texts = abstracts(corpus);
    BenchmarkReport report =
        new BenchmarkReport("compression", "Compression of large content (SciFact abstracts)");
    report.line(
        texts.size()
            + " abstracts, "
            + texts.stream().mapToLong(text -> text.getBytes(StandardCharsets.UTF_8).length).sum()
                / 1024
            + " KiB of UTF-8; no embedding model. Read: median of "
            + READS
            + " gets of distinct random ids, none cached.");
    report.line("");
    report.line("| threshold | compressed | file size | saved | median get |");
    report.line("|---|---|---|---|---|");
    long baseline = 0;
    List<Path> files = new ArrayList<>();
    List<List<String>> idsPerFile = new ArrayList<>();
    List<String> rows = new ArrayList<>();
    for (int threshold : THRESHOLDS) {
      Path file = folder.resolve("compression-" + threshold + ".db");
      List<String> ids = new ArrayList<>();
      try (MemoryStore store = open(file, threshold)) {
        for (int from = 0; from < texts.size(); from += 500) {
          List<NewMemory> batch =
              texts.subList(from, Math.min(texts.size(), from + 500)).stream()
                  .map(NewMemory::of)
                  .toList();
          store.createAll(batch).forEach(memory -> ids.add(memory.id()));
        }
        store.file().optimize(true);
      }
      long size = Files.size(file);
      baseline = threshold == 0 ? size : baseline;
      long compressed;
      try (RawDatabase raw = RawDatabase.open(file)) {
        compressed = raw.number("select count(*) from memories where content_encoding = 1");
      }
      files.add(file);
      Collections.shuffle(ids, new Random(42));
      idsPerFile.add(ids);
      rows.add(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.2f MiB | %.1f%% |",
              THRESHOLDS[files.size() - 1] == 0 ? "off" : THRESHOLDS[files.size() - 1] + " B",
              compressed,
              size / 1048576.0,
              100.0 * (baseline - size) / baseline));
    }
    // The stores read in turns, 100 gets each, after a warm-up of each: the order of the
    // thresholds must not decide which one the JIT favours.
    List<MemoryStore> stores = new ArrayList<>();
    double[][] micros = new double[THRESHOLDS.length][READS];
    try {
      for (int index = 0; index < THRESHOLDS.length; index++) {
        MemoryStore store = open(files.get(index), THRESHOLDS[index]);
        stores.add(store);
        for (String id : idsPerFile.get(index).subList(READS, READS + 1_000)) {
          store.get(id);
        }
      }
      for (int from = 0; from < READS; from += 100) {
        for (int index = 0; index < THRESHOLDS.length; index++) {
          for (int read = from; read < from + 100; read++) {
            long start = System.nanoTime();
            Memory memory = stores.get(index).get(idsPerFile.get(index).get(read));
            micros[index][read] = (System.nanoTime() - start) / 1_000.0;
            if (memory.content().isEmpty()) {
              throw new IllegalStateException("empty read");
            }
          }
        }
      }
    } finally {
      stores.forEach(MemoryStore::close);
    }
    for (int index = 0; index < THRESHOLDS.length; index++) {
      report.line(
          rows.get(index)
              + String.format(Locale.ROOT, " %.0f µs |", BenchmarkReport.median(micros[index])));
    }
    report.write();
  }

  private static MemoryStore open(Path file, int threshold) {
    return MemoryStore.builder(file)
        .embeddingModel("none")
        .compressionThreshold(threshold)
        .maintenanceInterval(java.time.Duration.ZERO)
        .build();
  }

  private static List<String> abstracts(Path corpus) throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<String> texts = new ArrayList<>();
    try (BufferedReader lines = Files.newBufferedReader(corpus)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        JsonNode node = json.readTree(line);
        String text = (node.path("title").asText("") + "\n" + node.path("text").asText("")).strip();
        if (!text.isEmpty()) {
          texts.add(text);
        }
      }
    }
    return texts;
  }
}
