package dev.memstore.bench;

import dev.memstore.Embedder;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.SearchMode;
import dev.memstore.SearchQuery;
import dev.memstore.internal.embed.BundledEmbedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("benchmark")
class LatencyProbe {
  @Test
  void probe() throws Exception {
    SpeedCorpus corpus =
        SpeedCorpus.load(
            Path.of("..", "shared", "bench-data"), Path.of("target", "bench-cache"), 100_000, 200);
    Path file = Path.of("target", "bench-cache", "latency-100k.db");
    Embedder model = BundledEmbedder.named(SpeedCorpus.MODEL).orElseThrow();
    if (!Files.exists(file)) {
      try (MemoryStore store = MemoryStore.builder(file).embedder(model).build()) {
        for (int from = 0; from < 100_000; from += 1000) {
          List<NewMemory> batch = new ArrayList<>();
          for (int m = from; m < from + 1000; m++) {
            int bucket = corpus.buckets[m];
            batch.add(
                NewMemory.builder(corpus.texts.get(m) + " #" + m)
                    .embedding(corpus.vector(m))
                    .tags(
                        bucket < 1
                            ? List.of("p10", "p1")
                            : bucket < 10 ? List.of("p10") : List.of())
                    .build());
          }
          store.createAll(batch);
        }
        store.checkpoint();
      }
    }
    String modes = System.getProperty("probe.modes", "MODEL,KEYWORD,SEMANTIC,HYBRID");
    java.util.Map<String, float[]> known = new java.util.HashMap<>();
    for (int q = 0; q < 200; q++) {
      known.put(corpus.queryTexts.get(q), corpus.query(q));
    }
    Embedder precomputed =
        new Embedder() {
          public String modelId() {
            return model.modelId();
          }

          public int dimension() {
            return 384;
          }

          public float[] embed(String text) {
            float[] v = known.get(text);
            return v != null ? v.clone() : model.embed(text);
          }
        };
    try (MemoryStore store = MemoryStore.builder(file).embedder(precomputed).build()) {
      store.search(SearchQuery.of("warm up"));
      Thread.sleep(8000);
      for (String mode : modes.split(",")) {
        double[][] passes = new double[4][200];
        for (int pass = 0; pass < 4; pass++) {
          for (int q = 0; q < 200; q++) {
            String text = corpus.queryTexts.get(q);
            long start = System.nanoTime();
            if (mode.equals("MODEL")) {
              model.embed(text);
            } else {
              store.search(SearchQuery.builder(text).mode(SearchMode.valueOf(mode)).build());
            }
            passes[pass][q] = (System.nanoTime() - start) / 1e6;
          }
        }
        for (int pass = 1; pass < 4; pass++) {
          double[] sorted = passes[pass].clone();
          Arrays.sort(sorted);
          System.out.printf(
              "PROBE %s pass %d: p50 %.2f p95 %.2f max %.2f%n",
              mode, pass, sorted[100], sorted[190], sorted[199]);
        }
      }
    }
  }
}
