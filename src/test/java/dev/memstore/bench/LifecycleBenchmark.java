package dev.memstore.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.memstore.ConsolidationReport;
import dev.memstore.CreateResult;
import dev.memstore.MaintenanceReport;
import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.NewMemory;
import dev.memstore.RetentionPolicy;
import dev.memstore.SearchQuery;
import dev.memstore.Session;
import dev.memstore.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle at scale: consolidation of the REALTALK chats, and whether a maintenance run on
 * 100,000 memories holds up concurrent searches.
 */
@Tag("benchmark")
class LifecycleBenchmark {
  private static final Path DATA = BenchmarkReport.dataFolder();
  private static final Instant START = Instant.parse("2026-01-05T08:00:00Z");

  @TempDir Path folder;

  /** Stores every turn of each REALTALK chat (default model), then consolidates each chat. */
  @Test
  void consolidateRealtalk() throws Exception {
    assumeTrue(
        Files.isDirectory(DATA.resolve("realtalk")),
        "LifecycleBenchmark needs ../shared/bench-data/realtalk beside the checkout; skipped");
    List<QualityBenchmark.Chat> chats = QualityBenchmark.loadChats(DATA.resolve("realtalk"));
    BenchmarkReport report =
        new BenchmarkReport(
            "lifecycle-consolidation", "Lifecycle: consolidating the REALTALK chats");
    report.line(
        "Each chat in a store of its own (the default model, bge-small-en-v1.5-q): every turn one"
            + " memory, the speaker as its user, then `consolidate` with the defaults (threshold 0.95"
            + " for bge, window 30 days, which spans each 21-day chat).");
    report.line("");
    report.line(
        "| chat | turns | exact duplicates on create | memories | merged | groups | consolidate ms |");
    report.line("|---|---|---|---|---|---|---|");
    int totalTurns = 0;
    int totalDuplicates = 0;
    int totalMerged = 0;
    long totalMillis = 0;
    List<String> examples = new ArrayList<>();
    for (QualityBenchmark.Chat chat : chats) {
      try (MemoryStore store =
          MemoryStore.builder(folder.resolve("chat-" + chat.number() + ".db"))
              .maintenanceInterval(Duration.ZERO)
              .build()) {
        List<NewMemory> turns = new ArrayList<>();
        for (QualityBenchmark.Turn turn : chat.turns()) {
          turns.add(
              NewMemory.builder(turn.text())
                  .type(MemoryType.CONVERSATION)
                  .tier(MemoryTier.LONG_TERM)
                  .userId(turn.speaker())
                  .metadata(Map.of("dia_id", turn.diaId()))
                  .build());
        }
        int duplicates = 0;
        for (int from = 0; from < turns.size(); from += 500) {
          for (CreateResult result :
              store.createAllWithResults(turns.subList(from, Math.min(turns.size(), from + 500)))) {
            duplicates += result.duplicate() ? 1 : 0;
          }
        }
        long memories = store.file().stats().totalMemories();
        ConsolidationReport consolidation = store.lifecycle().consolidate(null, null, false);
        long millis = consolidation.took().toMillis();
        report.line(
            String.format(
                "| %d | %,d | %,d | %,d | %,d | %,d | %,d |",
                chat.number(),
                turns.size(),
                duplicates,
                memories,
                consolidation.merged(),
                consolidation.groups().size(),
                millis));
        totalTurns += turns.size();
        totalDuplicates += duplicates;
        totalMerged += consolidation.merged();
        totalMillis += millis;
        consolidation.groups().stream()
            .sorted(Comparator.comparingDouble(group -> group.similarities().get(0)))
            .limit(2)
            .forEach(
                group ->
                    examples.add(
                        String.format(
                            "\"%s\" kept, \"%s\" merged (%.3f)",
                            store.get(group.keptId()).content(),
                            store.get(group.mergedIds().get(0)).content(),
                            group.similarities().get(0))));
      }
    }
    report.line(
        String.format(
            "| all | %,d | %,d | | %,d | | %,d |",
            totalTurns, totalDuplicates, totalMerged, totalMillis));
    report.line("");
    report.line("The least similar merges of a few chats, to judge the threshold:");
    report.line("");
    examples.stream().limit(6).forEach(example -> report.line("- " + example));
    report.line("");
    report.line("Command: `scripts/bench 'dev.memstore.bench.LifecycleBenchmark'`.");
    report.write();
  }

  /**
   * 100,000 memories with real vectors, a maintenance run with work of every kind, and searches by
   * text from another thread all through it: how long does a search wait?
   */
  @Test
  void maintenanceBesideSearches() throws Exception {
    assumeTrue(
        Files.isDirectory(DATA.resolve("realtalk"))
            && Files.isRegularFile(DATA.resolve("scifact").resolve("corpus.jsonl")),
        "LifecycleBenchmark needs REALTALK and SciFact in ../shared/bench-data; skipped");
    int size = 100_000;
    SpeedCorpus corpus = SpeedCorpus.load(DATA, Path.of("target", "bench-cache"), size, 200);
    MutableClock clock = new MutableClock(START);
    Random random = new Random(7);
    try (MemoryStore store =
        MemoryStore.builder(folder.resolve("maintenance.db"))
            .embeddingModel(SpeedCorpus.MODEL)
            .clock(clock)
            .maintenanceInterval(Duration.ZERO)
            .retention(RetentionPolicy.DEFAULT.withMaxMemories(70_000))
            .build()) {
      List<Session> sessions = new ArrayList<>();
      for (int session = 0; session < 250; session++) {
        sessions.add(store.sessions().create("user-" + session % 10, null, Map.of()));
      }
      List<NewMemory> batch = new ArrayList<>();
      List<String> conversationIds = new ArrayList<>();
      for (int memory = 0; memory < size; memory++) {
        int kind = memory % 10;
        NewMemory.Builder builder =
            NewMemory.builder(corpus.texts.get(memory) + " #" + memory)
                .embedding(corpus.vector(memory))
                .importance(0.02 + 0.96 * random.nextDouble());
        if (kind < 3) {
          builder.type(MemoryType.CONVERSATION).sessionId(sessions.get(memory % 250).id());
        } else if (kind == 3) {
          builder.ttl(Duration.ofHours(1));
        }
        batch.add(builder.build());
        if (batch.size() == 1_000) {
          for (Memory created : store.createAll(batch)) {
            if (created.type() == MemoryType.CONVERSATION) {
              conversationIds.add(created.id());
            }
          }
          batch.clear();
        }
      }
      for (int read = 0; read < 3_000; read++) {
        store.get(conversationIds.get(read % 1_000));
      }
      clock.advance(Duration.ofDays(6));

      List<String> queries = corpus.queryTexts;
      searchLatencies(store, queries, 50, null); // builds the index and warms the model
      double[] alone = searchLatencies(store, queries, 200, null);
      ExecutorService runner = Executors.newSingleThreadExecutor();
      long runStart = System.nanoTime();
      Future<MaintenanceReport> run = runner.submit(store.lifecycle()::runMaintenance);
      double[] beside = searchLatencies(store, queries, Integer.MAX_VALUE, run);
      MaintenanceReport report = run.get();
      double runSeconds = (System.nanoTime() - runStart) / 1e9;
      runner.shutdown();

      BenchmarkReport out =
          new BenchmarkReport(
              "lifecycle-maintenance", "Lifecycle: a maintenance run beside searches");
      out.line(
          String.format(
              "100,000 memories (real MiniLM vectors as in the speed section): 30%% conversation turns"
                  + " in 250 sessions (window 100), 10%% with a 1-hour time to live, importance uniform"
                  + " in 0.02..0.98, 1,000 turns read 3 times; then 6 days pass and `runMaintenance()`"
                  + " runs with `maxMemories` 70,000 while one thread searches by text (hybrid, the"
                  + " model embeds each query) back to back."));
      out.line("");
      out.line(
          String.format(
              "The run: %,d expired, %,d promoted, %,d folded into %,d summaries, %,d pruned, %,d"
                  + " evicted, in %.1f s (%,d ms by its own clock).",
              report.expired(),
              report.promoted(),
              report.folded(),
              report.summaries(),
              report.pruned(),
              report.evicted(),
              runSeconds,
              report.took().toMillis()));
      out.line("");
      out.line("| searches | count | p50 ms | p95 ms | p99 ms | max ms |");
      out.line("|---|---|---|---|---|---|");
      out.line(row("alone, before the run", alone));
      out.line(row("during the run", beside));
      out.line("");
      out.line(
          String.format(
              "Load average when the run ended: %s. The slowest search during the run took %.1f ms"
                  + " more than the slowest of the 200 alone, p99 %.1f ms more (goal: a run never"
                  + " holds a search up by more than 50 ms).",
              loadAverage(),
              max(beside) - max(alone),
              percentile(sorted(beside), 0.99) - percentile(sorted(alone), 0.99)));
      out.line("");
      out.line("Command: `scripts/bench 'dev.memstore.bench.LifecycleBenchmark'`.");
      out.write();
    }
  }

  /** Searches back to back until the count is reached or the future is done; latencies in ms. */
  private static double[] searchLatencies(
      MemoryStore store, List<String> queries, int count, Future<?> until) {
    List<Double> latencies = new ArrayList<>();
    int query = 0;
    while (latencies.size() < count && (until == null || !until.isDone())) {
      long start = System.nanoTime();
      store.search(SearchQuery.builder(queries.get(query++ % queries.size())).limit(10).build());
      latencies.add((System.nanoTime() - start) / 1e6);
    }
    return latencies.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static String row(String name, double[] latencies) {
    double[] sorted = latencies.clone();
    Arrays.sort(sorted);
    return String.format(
        "| %s | %,d | %.1f | %.1f | %.1f | %.1f |",
        name,
        sorted.length,
        percentile(sorted, 0.50),
        percentile(sorted, 0.95),
        percentile(sorted, 0.99),
        sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
  }

  private static double[] sorted(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static double max(double[] values) {
    return Arrays.stream(values).max().orElse(0);
  }

  private static double percentile(double[] sorted, double fraction) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.max(0, (int) Math.ceil(fraction * sorted.length) - 1)];
  }
}
