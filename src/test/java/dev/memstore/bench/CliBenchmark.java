package dev.memstore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.cli.Memctl;
import dev.memstore.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wall time of small memctl commands (stats, ls, search) on a store of 100,000 memories, JVM
 * included.
 */
@Tag("benchmark")
class CliBenchmark {
  private static final int MEMORIES = 100_000;

  @TempDir Path folder;

  @Test
  void smallCommandsOnALargeStore() throws Exception {
    Path file = folder.resolve("memory.db");
    Random random = new Random(3);
    try (MemoryStore store = MemoryStore.builder(file).maintenanceInterval(Duration.ZERO).build()) {
      List<NewMemory> batch = new ArrayList<>();
      for (int memory = 0; memory < MEMORIES; memory++) {
        float[] vector = new float[384];
        for (int index = 0; index < vector.length; index++) {
          vector[index] = (float) random.nextGaussian();
        }
        batch.add(
            NewMemory.builder("memory number " + memory + " about topic " + memory % 97)
                .tags("topic-" + memory % 97)
                .embedding(vector)
                .build());
        if (batch.size() == 1_000) {
          store.createAll(batch);
          batch.clear();
        }
      }
    }
    BenchmarkReport report =
        new BenchmarkReport("cli", "memctl: small commands on a store of 100,000 memories");
    report.line(
        "Wall time of a whole `memctl` process (JVM start to exit, the classpath of the tests"
            + " rather than the shaded jar), median of 5 runs; the store holds 100,000 memories with"
            + " 384-dimension vectors. `--version` opens no store: the JVM and class loading alone,"
            + " so a command's own time is its row minus that one. A search in a new process scans"
            + " the file (the index is not built for one search); the hybrid search also loads the"
            + " default model (bge-small-en-v1.5-q) to embed the query.");
    report.line("");
    report.line("| command | median ms | min ms |");
    report.line("|---|---|---|");
    for (String[] command :
        List.of(
            new String[] {"--version"},
            new String[] {"stats"},
            new String[] {"ls", "--limit", "20"},
            new String[] {"--json", "stats"},
            new String[] {"search", "--mode=keyword", "memory about topic 42"},
            new String[] {"search", "memory about topic 42"})) {
      double[] millis = new double[5];
      for (int run = 0; run < millis.length; run++) {
        List<String> arguments = new ArrayList<>(List.of("--db", file.toString()));
        arguments.addAll(List.of(command));
        long start = System.nanoTime();
        try (ChildJvm child =
            ChildJvm.start(folder, Memctl.class, arguments.toArray(String[]::new))) {
          assertEquals(0, child.waitFor(120, TimeUnit.SECONDS), child.errorOutput());
        }
        millis[run] = (System.nanoTime() - start) / 1e6;
      }
      Arrays.sort(millis);
      report.line(
          String.format(
              "| `memctl %s` | %.0f | %.0f |", String.join(" ", command), millis[2], millis[0]));
    }
    report.line("");
    report.line("Command: `scripts/bench 'dev.memstore.bench.CliBenchmark'`.");
    report.write();
  }
}
