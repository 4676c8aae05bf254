package dev.memstore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.memstore.Embedder;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.NewMemory;
import dev.memstore.SearchHit;
import dev.memstore.SearchMode;
import dev.memstore.SearchQuery;
import dev.memstore.internal.embed.BundledEmbedder;
import dev.memstore.internal.search.IndexBatch;
import dev.memstore.internal.search.KeywordQuery;
import dev.memstore.internal.search.Scored;
import dev.memstore.internal.search.SearchInternals;
import dev.memstore.internal.search.VectorIndex;
import dev.memstore.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Semantic search speed at 100k memories, ours against the peers named in the issue, in one run on
 * the same vectors and queries: latency (p50, p95) and recall@10 against exact search, unfiltered
 * and under filters that keep 10% and 1% of memories; the store's write rate with precomputed
 * vectors and with embedding (against the bare model); and opening a 100k store in a fresh JVM up
 * to its first answer.
 *
 * <p>Latencies are per query, single caller, after warm-up passes; each figure is the median over
 * several passes of all queries, because the machine runs other work at the same time.
 */
@Tag("benchmark")
class SpeedBenchmark {
  private static final int MEMORIES = 100_000;
  private static final int QUERIES = 200;
  private static final int K = 10;
  private static final int[] PERCENTS = {100, 10, 1};
  private static final int BATCH = 1000;
  private static final Path DATA = BenchmarkReport.dataFolder();
  private static final String OURS = "memstore VectorIndex.search (index only)";
  private static final String STORE = "memstore store.search, SEMANTIC, query vector precomputed";

  @TempDir Path folder;

  private SpeedCorpus corpus;

  /** Exact top-k per slice and query: {@code truth[slice][query]}. */
  private int[][][] truth;

  /** Latency and recall of one system on one slice: medians over the passes. */
  private record Measured(double p50, double p95, double recall) {}

  private final Map<String, Measured[]> rows = new LinkedHashMap<>();

  @Test
  void searchIngestAndOpen() throws Exception {
    assumeTrue(
        Files.isDirectory(DATA.resolve("realtalk"))
            && Files.isRegularFile(DATA.resolve("scifact").resolve("corpus.jsonl")),
        "SpeedBenchmark needs REALTALK and SciFact in ../shared/bench-data beside the checkout"
            + " (see its README); skipped");
    long loadStart = System.nanoTime();
    corpus = SpeedCorpus.load(DATA, Path.of("target", "bench-cache"), MEMORIES, QUERIES);
    double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
    assertEquals(QUERIES, corpus.queryCount(), "query texts found");
    truth = exactTopK();
    log("corpus ready in %.1f s: %,d real texts, %,d queries", loadSeconds, corpus.real, QUERIES);

    BenchmarkReport report =
        new BenchmarkReport("speed", "Speed: semantic search, ingest and open at 100k memories");
    List<String> notes = new ArrayList<>();

    // Ours: the store, written through the public API.
    Path storeFile = folder.resolve("speed.db");
    QueryVectors embedder = new QueryVectors(corpus);
    Map<String, Integer> memoryById = new HashMap<>();
    double ingestRate;
    double ingestAndFillRate;
    double firstSearchMillis;
    double indexesReadySeconds;
    double[] endToEnd;
    double[] endToEndSemantic;
    double[] endToEndKeyword;
    try (MemoryStore store = MemoryStore.builder(storeFile).embedder(embedder).build()) {
      long ingestStart = System.nanoTime();
      ingestRate = ingest(store, memoryById);
      // The vec0 table gets the batches' vectors before a checkpoint: counted separately.
      store.file().checkpoint();
      ingestAndFillRate = MEMORIES / ((System.nanoTime() - ingestStart) / 1e9);
      log(
          "ingest with precomputed vectors: %,.0f memories/s, %,.0f/s with the checkpoint",
          ingestRate, ingestAndFillRate);
      embedder.precomputed = true;
      long start = System.nanoTime();
      store.search(semantic(corpus.queryTexts.get(0), 100));
      firstSearchMillis = (System.nanoTime() - start) / 1e6;
      // The search started the index build and, after it, the keyword index load: measuring while
      // they run would measure them too.
      indexesReadySeconds = SearchInternals.awaitIndexes(store).toMillis() / 1e3;

      try (OurIndex index = new OurIndex(corpus)) {
        notes.add(
            String.format(
                "Our index built from the 100k vectors in %.0f ms (VectorIndex.upsertAll).",
                index.buildMillis));
        measure(OURS, index, false);
      }
      measure(
          STORE, (query, percent, k) -> storeSearch(store, memoryById, query, percent, k), false);
      embedder.precomputed = false;
      endToEnd = endToEnd(store, SearchMode.HYBRID);
      endToEndSemantic = endToEnd(store, SearchMode.SEMANTIC);
      endToEndKeyword = endToEnd(store, SearchMode.KEYWORD);
    }
    double[] fullText = fullTextBm25(storeFile);

    // Peers.
    try (Vec0Knn onStore = Vec0Knn.floatOnStore(storeFile, memoryById, MEMORIES)) {
      double[] buildSeconds = new double[2];
      Vec0Knn[] separate =
          Vec0Knn.separateFile(folder.resolve("vec0-peers.db"), corpus, buildSeconds);
      try (Vec0Knn floats = separate[0];
          Vec0Knn bits = separate[1]) {
        measure(
            "sqlite-vec vec0 float KNN",
            (query, percent, k) ->
                percent >= 100
                    ? onStore.search(query, percent, k)
                    : floats.search(query, percent, k),
            true);
        measure("sqlite-vec vec0 bit KNN k=100 + float rescore", bits, true);
      }
      notes.add(
          String.format(
              "vec0 float KNN unfiltered runs on the store's own memory_vectors table; filtered, on a"
                  + " vec0 table with the bucket as a metadata column (filled in %.0f s) in a separate file,"
                  + " like the bit table (filled in %.0f s).",
              buildSeconds[0], buildSeconds[1]));
    }
    try (FloatScan scan = new FloatScan(corpus.vectors, corpus.buckets, SpeedCorpus.DIMENSION)) {
      measure("plain Java float scan, 2 threads", scan, false);
    }
    measure("LangChain4j InMemoryEmbeddingStore", new LangChain4jStore(corpus), true);
    try (LuceneHnsw lucene = LuceneHnsw.build(corpus, folder.resolve("lucene"))) {
      notes.add(
          String.format(
              "Lucene 9.12 HNSW (M 16, beam 100, %d candidates) took %.0f s to build for 100k"
                  + " vectors (one thread, one segment).",
              LuceneHnsw.CANDIDATES, lucene.buildSeconds));
      measure("Lucene 9.12 HNSW, 100 candidates", lucene, false);
    }

    double[] open = openInFreshJvm(storeFile);
    double[] ingestWithModel = ingestWithModel();

    report
        .line(
            String.format(
                "%,d memories: %,d distinct real texts (REALTALK turns, SciFact titles and abstract"
                    + " sentences) embedded by %s, padded with %,d copies of random real vectors plus"
                    + " Gaussian noise (sigma %.4f per component, about %.2f in norm), renormalised. %d"
                    + " queries: SciFact claims and REALTALK questions, none in the corpus. Truth: exact"
                    + " top-%d by cosine. Filters keep the memories of a random bucket below 10 (10%%)"
                    + " or 1 (1%%): tags for the store, a term or metadata field for the peers.",
                MEMORIES,
                corpus.real,
                SpeedCorpus.MODEL,
                MEMORIES - corpus.real,
                SpeedCorpus.NOISE,
                SpeedCorpus.NOISE * Math.sqrt(SpeedCorpus.DIMENSION),
                corpus.queryCount(),
                K))
        .line("")
        .line(
            "Top-10 latency per query (p50 / p95 ms, one caller, query vector given) and recall@10;"
                + " medians over passes. The machine has 2 cores and runs other work at the same time.")
        .line("")
        .line(
            "| system | all: p50 / p95 | recall | 10%: p50 / p95 | recall | 1%: p50 / p95 | recall |")
        .line("|---|---|---|---|---|---|---|");
    rows.forEach((name, measured) -> report.line(row(name, measured)));
    report
        .line("")
        .line("Ratio of each system's p50 (p95) to ours, `" + OURS + "`:")
        .line("")
        .line("| system | all | 10% | 1% |")
        .line("|---|---|---|---|");
    Measured[] ours = rows.get(OURS);
    rows.forEach(
        (name, measured) -> {
          StringBuilder line = new StringBuilder("| " + name + " |");
          for (int slice = 0; slice < PERCENTS.length; slice++) {
            line.append(
                measured[slice] == null
                    ? " n/a |"
                    : String.format(
                        " %.1fx (%.1fx) |",
                        measured[slice].p50 / ours[slice].p50,
                        measured[slice].p95 / ours[slice].p95));
          }
          report.line(line.toString());
        });
    report.line("");
    notes.forEach(note -> report.line("- " + note));
    report
        .line(
            String.format(
                "- End-to-end `store.search(SearchQuery.of(text))` (hybrid, embeds the query with the"
                    + " bundled model, keyword search, fusion, reads the rows): p50 %.2f ms, p95 %.2f ms;"
                    + " in SEMANTIC mode p50 %.2f ms, p95 %.2f ms; KEYWORD mode (BM25 alone, through the"
                    + " in-memory keyword index) p50 %.2f ms, p95 %.2f ms, where FTS5's own bm25() ranking"
                    + " the best 300 matches of the same queries takes p50 %.2f ms, p95 %.2f ms. The bare"
                    + " model alone embeds one query in p50 %.2f ms, p95"
                    + " %.2f ms: our overhead over it is p50 %.2f ms, p95 %.2f ms in hybrid mode, p50"
                    + " %.2f ms, p95 %.2f ms in semantic mode.",
                endToEnd[0],
                endToEnd[1],
                endToEndSemantic[0],
                endToEndSemantic[1],
                endToEndKeyword[0],
                endToEndKeyword[1],
                fullText[0],
                fullText[1],
                endToEnd[2],
                endToEnd[3],
                endToEnd[0] - endToEnd[2],
                endToEnd[1] - endToEnd[3],
                endToEndSemantic[0] - endToEnd[2],
                endToEndSemantic[1] - endToEnd[3]))
        .line(
            String.format(
                "- The first search after the ingest, answered by scanning the file with sqlite-vec"
                    + " (the index is not built yet): %.0f ms. It starts the index build and then the"
                    + " keyword index load in the background, which were done %.1f s later; the"
                    + " measurements above started after that.",
                firstSearchMillis, indexesReadySeconds))
        .line("")
        .line(
            String.format(
                "Ingest through `MemoryStore.createAll`, batches of %,d, synchronous=FULL, into the file"
                    + " above (memories table, tags, FTS5, embeddings BLOB table, change log): %,.0f"
                    + " memories/s with precomputed vectors; %,.0f memories/s counting the"
                    + " `checkpoint()` after the last batch, which copies the vectors into the vec0"
                    + " table (done before every checkpoint, backup and at open, not per batch).",
                BATCH, ingestRate, ingestAndFillRate))
        .line(
            String.format(
                "With embedding by the default model (%,d real texts, batches of %,d): the store %,.0f"
                    + " memories/s, the bare model (`embedAll` on the same batches) %,.0f texts/s:"
                    + " %.1f%% of the model's throughput (medians of alternating runs).",
                (int) ingestWithModel[2],
                BATCH,
                ingestWithModel[0],
                ingestWithModel[1],
                100 * ingestWithModel[0] / ingestWithModel[1]))
        .line("")
        .line(
            String.format(
                "Open the 100k file in a fresh JVM and answer the first `search(text)` (hybrid; the"
                    + " search loads the model and, the index not being built yet, scans the file"
                    + " with sqlite-vec): %.0f"
                    + " ms from `MemoryStore.open` (open itself %.0f ms);"
                    + " median of %d runs. The whole child process, JVM start to exit: %.0f ms. Broken down"
                    + " in one more run that loads the model before opening: JVM start to main %.0f"
                    + " ms, model load (with its first embedding) %.0f ms, open %.0f ms, then the"
                    + " first search %.0f ms.",
                open[1], open[0], (int) open[3], open[2], open[4], open[5], open[6], open[7]))
        .line("")
        .line("The issue's goals against this run:")
        .line("")
        .line("| goal | measured | met |")
        .line("|---|---|---|");
    String[] sliceNames = {"all memories", "10% filter", "1% filter"};
    Measured[] store = rows.get(STORE);
    for (int slice = 0; slice < PERCENTS.length; slice++) {
      for (Measured[] measured : List.of(ours, store)) {
        String path = measured == ours ? "index" : "store";
        goal(
            report,
            "semantic top-10 p50 <= 1 ms, p95 <= 2 ms, recall@10 >= 0.99, "
                + sliceNames[slice]
                + " ("
                + path
                + ")",
            String.format(
                "%.2f / %.2f ms, %.3f",
                measured[slice].p50, measured[slice].p95, measured[slice].recall),
            measured[slice].p50 <= 1 && measured[slice].p95 <= 2 && measured[slice].recall >= 0.99);
      }
    }
    goal(
        report,
        "end-to-end search(text) p95 <= 5 ms",
        String.format("%.1f ms (the model alone: %.1f ms)", endToEnd[1], endToEnd[3]),
        endToEnd[1] <= 5);
    goal(
        report,
        "ingest with embedding >= 90% of the bare model",
        String.format("%.1f%%", 100 * ingestWithModel[0] / ingestWithModel[1]),
        ingestWithModel[0] >= 0.9 * ingestWithModel[1]);
    goal(
        report,
        "ingest with precomputed vectors >= 25,000 memories/s (vec0 table filled)",
        String.format(
            "%,.0f/s with the checkpoint that fills vec0 (%,.0f/s the batches alone)",
            ingestAndFillRate, ingestRate),
        ingestAndFillRate >= 25_000);
    goal(
        report,
        "open a 100k store and answer the first search < 1.5 s",
        String.format("%.2f s", open[1] / 1000),
        open[1] < 1500);
    report
        .line("")
        .line(
            "Command: `scripts/bench 'dev.memstore.bench.SpeedBenchmark'` (the embedded vectors are"
                + " cached in target/bench-cache/).");
    report.write();
  }

  /**
   * FTS5's own BM25 ranking, as the keyword side ran before the in-memory keyword index: the best
   * 300 matches of each query by bm25(), on a connection of its own; p50 and p95 ms, medians of 3
   * passes.
   */
  private double[] fullTextBm25(Path storeFile) throws Exception {
    double[][] passes = new double[3][];
    try (java.sql.Connection connection =
            java.sql.DriverManager.getConnection("jdbc:sqlite:" + storeFile);
        java.sql.PreparedStatement statement =
            connection.prepareStatement(
                "select rowid, bm25(memory_fts) as score from memory_fts where memory_fts match ?"
                    + " order by score limit 300")) {
      for (int pass = -1; pass < passes.length; pass++) {
        double[] latencies = new double[QUERIES];
        for (int query = 0; query < QUERIES; query++) {
          long start = System.nanoTime();
          statement.setString(1, KeywordQuery.of(corpus.queryTexts.get(query)));
          try (java.sql.ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              rows.getLong(1);
            }
          }
          latencies[query] = (System.nanoTime() - start) / 1e6;
        }
        if (pass >= 0) {
          passes[pass] = latencies;
        }
      }
    }
    double[] p50 = Arrays.stream(passes).mapToDouble(pass -> percentile(pass, 0.50)).toArray();
    double[] p95 = Arrays.stream(passes).mapToDouble(pass -> percentile(pass, 0.95)).toArray();
    return new double[] {BenchmarkReport.median(p50), BenchmarkReport.median(p95)};
  }

  private static void goal(BenchmarkReport report, String goal, String measured, boolean met) {
    report.line("| " + goal + " | " + measured + " | " + (met ? "yes" : "**no**") + " |");
  }

  // Ours

  private double ingest(MemoryStore store, Map<String, Integer> memoryById) {
    long start = System.nanoTime();
    for (int from = 0; from < MEMORIES; from += BATCH) {
      List<NewMemory> batch = new ArrayList<>(BATCH);
      for (int memory = from; memory < from + BATCH; memory++) {
        // The padding repeats real texts; numbering them keeps the store from reinforcing an
        // exact duplicate instead of storing it.
        batch.add(
            NewMemory.builder(corpus.texts.get(memory) + " #" + memory)
                .embedding(corpus.vector(memory))
                .tags(tags(corpus.buckets[memory]))
                .build());
      }
      List<Memory> created = store.createAll(batch);
      for (int index = 0; index < created.size(); index++) {
        memoryById.put(created.get(index).id(), from + index);
      }
    }
    return MEMORIES / ((System.nanoTime() - start) / 1e9);
  }

  private static List<String> tags(int bucket) {
    return bucket < 1 ? List.of("p10", "p1") : bucket < 10 ? List.of("p10") : List.of();
  }

  private static MemoryFilter slice(int percent) {
    return percent >= 100
        ? MemoryFilter.all()
        : MemoryFilter.builder().tagsAny(List.of("p" + percent)).build();
  }

  private static SearchQuery semantic(String text, int percent) {
    return SearchQuery.builder(text)
        .mode(SearchMode.SEMANTIC)
        .minSimilarity(-1)
        .filter(slice(percent))
        .limit(K)
        .build();
  }

  private int[] storeSearch(
      MemoryStore store, Map<String, Integer> memoryById, float[] query, int percent, int k) {
    String text = corpus.queryTexts.get(queryNumber(query));
    List<SearchHit> hits = store.search(semantic(text, percent)).hits();
    int[] memories = new int[Math.min(k, hits.size())];
    for (int index = 0; index < memories.length; index++) {
      memories[index] = memoryById.get(hits.get(index).memory().id());
    }
    return memories;
  }

  /** The query's number, from its vector's identity (the store path searches by text). */
  private final Map<float[], Integer> queryNumbers = new java.util.IdentityHashMap<>();

  private int queryNumber(float[] query) {
    return queryNumbers.get(query);
  }

  /**
   * p50 and p95 of {@code store.search} with the real model embedding each query; p50 of it bare.
   */
  private double[] endToEnd(MemoryStore store, SearchMode mode) {
    Embedder model = BundledEmbedder.named(SpeedCorpus.MODEL).orElseThrow();
    double[][] passes = new double[3][];
    double[] modelOnly = new double[QUERIES];
    for (int pass = -1; pass < passes.length; pass++) {
      double[] latencies = new double[QUERIES];
      for (int query = 0; query < QUERIES; query++) {
        String text = corpus.queryTexts.get(query);
        long start = System.nanoTime();
        store.search(SearchQuery.builder(text).mode(mode).build());
        latencies[query] = (System.nanoTime() - start) / 1e6;
        if (pass == 0) {
          start = System.nanoTime();
          model.embed(text);
          modelOnly[query] = (System.nanoTime() - start) / 1e6;
        }
      }
      if (pass >= 0) {
        passes[pass] = latencies;
      }
    }
    double[] p50 = Arrays.stream(passes).mapToDouble(pass -> percentile(pass, 0.50)).toArray();
    double[] p95 = Arrays.stream(passes).mapToDouble(pass -> percentile(pass, 0.95)).toArray();
    log(
        "end-to-end %s: p50 %.2f p95 %.2f ms",
        mode, BenchmarkReport.median(p50), BenchmarkReport.median(p95));
    return new double[] {
      BenchmarkReport.median(p50),
      BenchmarkReport.median(p95),
      percentile(modelOnly, 0.5),
      percentile(modelOnly, 0.95)
    };
  }

  /** Our index on its own, fed the same entries the store's index holds. */
  private static final class OurIndex implements KnnSearch, AutoCloseable {
    final VectorIndex index = new VectorIndex(SpeedCorpus.DIMENSION);
    final double buildMillis;

    OurIndex(SpeedCorpus corpus) {
      List<VectorIndex.Entry> entries = new ArrayList<>(corpus.size());
      long now = System.currentTimeMillis();
      for (int memory = 0; memory < corpus.size(); memory++) {
        entries.add(
            new VectorIndex.Entry(
                new IndexBatch.Row(
                    memory + 1,
                    "mem-" + memory,
                    MemoryType.SEMANTIC,
                    MemoryTier.LONG_TERM,
                    0.5,
                    now,
                    Long.MAX_VALUE,
                    0,
                    null,
                    null,
                    null,
                    null,
                    tags(corpus.buckets[memory]),
                    false),
                corpus.vector(memory)));
      }
      long start = System.nanoTime();
      index.upsertAll(entries);
      buildMillis = (System.nanoTime() - start) / 1e6;
    }

    @Override
    public int[] search(float[] query, int percent, int k) {
      List<Scored> hits = index.search(query, slice(percent), System.currentTimeMillis(), k);
      int[] memories = new int[hits.size()];
      for (int index = 0; index < memories.length; index++) {
        memories[index] = (int) hits.get(index).seq() - 1;
      }
      return memories;
    }

    @Override
    public void close() {}
  }

  /**
   * The default model, except that the benchmark's query texts can be answered from the cache while
   * {@link #precomputed} is set, so the store's own search path is timed without embedding.
   */
  private static final class QueryVectors implements Embedder {
    private final Embedder model = BundledEmbedder.named(SpeedCorpus.MODEL).orElseThrow();
    private final Map<String, float[]> known = new HashMap<>();
    volatile boolean precomputed;

    QueryVectors(SpeedCorpus corpus) {
      for (int query = 0; query < corpus.queryCount(); query++) {
        known.put(corpus.queryTexts.get(query), corpus.query(query));
      }
    }

    @Override
    public String modelId() {
      return model.modelId();
    }

    @Override
    public int dimension() {
      return model.dimension();
    }

    @Override
    public float[] embed(String text) {
      float[] vector = precomputed ? known.get(text) : null;
      return vector != null ? vector.clone() : model.embed(text);
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
      if (precomputed && texts.stream().allMatch(known::containsKey)) {
        return texts.stream().map(this::embed).toList();
      }
      return model.embedAll(texts);
    }
  }

  // Measuring

  private void measure(String name, KnnSearch search, boolean slow) throws Exception {
    int warmups = slow ? 1 : 3;
    int passes = slow ? 2 : 7;
    float[][] queries = new float[QUERIES][];
    for (int query = 0; query < QUERIES; query++) {
      queries[query] = corpus.query(query);
      queryNumbers.put(queries[query], query);
    }
    Measured[] measured = new Measured[PERCENTS.length];
    // What the systems measured before left on the heap (our index alone is 200 MB) is collected
    // now rather than by a concurrent cycle on the second core during this system's passes.
    System.gc();
    for (int slice = 0; slice < PERCENTS.length; slice++) {
      int percent = PERCENTS[slice];
      long collectingBefore = collectionMillis();
      int[][] answers = new int[QUERIES][];
      double[] p50 = new double[passes];
      double[] p95 = new double[passes];
      for (int pass = -warmups; pass < passes; pass++) {
        int count = slow && pass < 0 ? QUERIES / 4 : QUERIES;
        double[] latencies = new double[count];
        for (int query = 0; query < count; query++) {
          long start = System.nanoTime();
          answers[query] = search.search(queries[query], percent, K);
          latencies[query] = (System.nanoTime() - start) / 1e6;
        }
        if (pass >= 0) {
          p50[pass] = percentile(latencies, 0.50);
          p95[pass] = percentile(latencies, 0.95);
        }
      }
      measured[slice] =
          new Measured(
              BenchmarkReport.median(p50), BenchmarkReport.median(p95), recall(answers, slice));
      log(
          "%s, %d%%: p50 %.3f ms, p95 %.3f ms, recall %.4f (collections %d ms meanwhile)",
          name,
          percent,
          measured[slice].p50,
          measured[slice].p95,
          measured[slice].recall,
          collectionMillis() - collectingBefore);
    }
    rows.put(name, measured);
  }

  /**
   * The time this JVM's garbage collectors report so far: their collections, not the concurrent
   * marking that G1 does beside the application on JDK 17.
   */
  private static long collectionMillis() {
    return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(collector -> Math.max(0, collector.getCollectionTime()))
        .sum();
  }

  private double recall(int[][] answers, int slice) {
    double sum = 0;
    for (int query = 0; query < QUERIES; query++) {
      int found = 0;
      for (int memory : answers[query]) {
        for (int expected : truth[slice][query]) {
          if (memory == expected) {
            found++;
            break;
          }
        }
      }
      sum += found / (double) K;
    }
    return sum / QUERIES;
  }

  /** Exact top-k by cosine (double sums) for every slice and query. */
  private int[][][] exactTopK() {
    int[][][] result = new int[PERCENTS.length][QUERIES][];
    IntStream.range(0, QUERIES)
        .parallel()
        .forEach(
            query -> {
              float[] vector = corpus.query(query);
              FloatScan.TopK[] best = new FloatScan.TopK[PERCENTS.length];
              for (int slice = 0; slice < PERCENTS.length; slice++) {
                best[slice] = new FloatScan.TopK(K);
              }
              for (int memory = 0; memory < MEMORIES; memory++) {
                double sum = 0;
                int base = memory * SpeedCorpus.DIMENSION;
                for (int index = 0; index < SpeedCorpus.DIMENSION; index++) {
                  sum += (double) vector[index] * corpus.vectors[base + index];
                }
                for (int slice = 0; slice < PERCENTS.length; slice++) {
                  if (corpus.buckets[memory] < PERCENTS[slice]) {
                    best[slice].offer(memory, (float) sum);
                  }
                }
              }
              for (int slice = 0; slice < PERCENTS.length; slice++) {
                result[slice][query] = best[slice].memories();
              }
            });
    return result;
  }

  static double percentile(double[] values, double fraction) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.max(0, (int) Math.ceil(fraction * sorted.length) - 1)];
  }

  private static String row(String name, Measured[] measured) {
    StringBuilder line = new StringBuilder("| " + name + " |");
    for (Measured slice : measured) {
      line.append(
          slice == null
              ? " n/a | n/a |"
              : String.format(" %s / %s | %.3f |", ms(slice.p50), ms(slice.p95), slice.recall));
    }
    return line.toString();
  }

  private static String ms(double millis) {
    return millis >= 10 ? String.format("%.0f", millis) : String.format("%.2f", millis);
  }

  // Open and ingest with the model

  /**
   * Open-to-answer, open alone and whole-process milliseconds (medians), the run count, and from
   * one more run that loads the model before opening: JVM start to main, model load, open, and the
   * first search with the model loaded (what is left of the index build).
   */
  private double[] openInFreshJvm(Path storeFile) throws Exception {
    int runs = 3;
    double[] opened = new double[runs];
    double[] answered = new double[runs];
    double[] process = new double[runs];
    double[] breakdown = new double[4];
    for (int run = 0; run <= runs; run++) {
      long start = System.nanoTime();
      boolean modelFirst = run == runs;
      try (ChildJvm child =
          ChildJvm.start(
              folder,
              OpenAndSearch.class,
              storeFile.toString(),
              corpus.queryTexts.get(run),
              modelFirst ? "model-first" : "plain",
              // The file's model: loading the default one instead left the file's model for the
              // search to load, which made "what is left of the index build" include a model load.
              SpeedCorpus.MODEL)) {
        String line = child.nextLine(120, TimeUnit.SECONDS);
        if (line == null || !line.startsWith("opened ")) {
          throw new AssertionError("the child said " + line + "; stderr: " + child.errorOutput());
        }
        if (child.waitFor(60, TimeUnit.SECONDS) != 0) {
          throw new AssertionError("the child failed: " + child.errorOutput());
        }
        String[] words = line.split(" ");
        log("fresh JVM: %s (process %.0f ms)", line, (System.nanoTime() - start) / 1e6);
        if (modelFirst) {
          breakdown =
              new double[] {
                Double.parseDouble(words[9]),
                Double.parseDouble(words[7]),
                Double.parseDouble(words[1]),
                Double.parseDouble(words[3]) - Double.parseDouble(words[1])
              };
        } else {
          process[run] = (System.nanoTime() - start) / 1e6;
          opened[run] = Double.parseDouble(words[1]);
          answered[run] = Double.parseDouble(words[3]);
        }
      }
    }
    return new double[] {
      BenchmarkReport.median(opened),
      BenchmarkReport.median(answered),
      BenchmarkReport.median(process),
      runs,
      breakdown[0],
      breakdown[1],
      breakdown[2],
      breakdown[3]
    };
  }

  /** The store's memories/s with embedding, the bare model's texts/s, and the text count. */
  private double[] ingestWithModel() {
    int count = 3 * BATCH;
    List<String> texts = new ArrayList<>(count);
    for (int index = 0; index < count; index++) {
      texts.add(corpus.texts.get((int) ((long) index * corpus.real / count)));
    }
    Embedder model = BundledEmbedder.named(SpeedCorpus.MODEL).orElseThrow();
    model.embedAll(texts.subList(0, 100));
    // Five: from one round to the next the ratio ranged from 87% to 104% on this machine.
    int rounds = 5;
    double[] storeRates = new double[rounds];
    double[] modelRates = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      long start = System.nanoTime();
      for (int from = 0; from < count; from += BATCH) {
        model.embedAll(texts.subList(from, from + BATCH));
      }
      modelRates[round] = count / ((System.nanoTime() - start) / 1e9);
      try (MemoryStore store =
          MemoryStore.builder(folder.resolve("with-model-" + round + ".db"))
              .embeddingModel(SpeedCorpus.MODEL)
              .build()) {
        start = System.nanoTime();
        for (int from = 0; from < count; from += BATCH) {
          store.createAll(texts.subList(from, from + BATCH).stream().map(NewMemory::of).toList());
        }
        storeRates[round] = count / ((System.nanoTime() - start) / 1e9);
      }
      log("with the model: store %.0f/s, bare model %.0f/s", storeRates[round], modelRates[round]);
    }
    return new double[] {
      BenchmarkReport.median(storeRates), BenchmarkReport.median(modelRates), count
    };
  }

  private static void log(String format, Object... arguments) {
    System.out.printf(format + "%n", arguments);
    System.out.flush();
  }
}
