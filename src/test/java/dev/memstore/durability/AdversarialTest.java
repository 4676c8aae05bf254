package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.testing.ChildJvm;
import dev.memstore.testing.RawDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Anomaly tests in the manner of SQLite's crash and concurrency testing, each between real
 * processes on one file: a writer killed with SIGKILL at random moments, round after round, and
 * writers, a pruner and a searcher at once. The short versions run in every build; the versions
 * tagged {@code long} (50 rounds, 2 minutes) run with {@code scripts/adversarial}. The system
 * properties {@code memstore.crash.rounds}, {@code memstore.crash.seed} and {@code
 * memstore.concurrency.seconds} override the sizes.
 */
class AdversarialTest {
  private static final int BATCH_SIZE = 50;

  @TempDir Path folder;

  @Test
  void createAll_killedAtRandomMoments_everyAcknowledgedBatchWholeNonePartial() throws Exception {
    killRounds(Integer.getInteger("memstore.crash.rounds", 5));
  }

  @Test
  @Tag("long")
  void createAll_killedAtRandomMoments_fiftyRounds() throws Exception {
    killRounds(Integer.getInteger("memstore.crash.rounds", 50));
  }

  @Test
  void fourWritersPrunerAndSearcher_noErrorsNoLostWrites() throws Exception {
    writersPrunerSearcher(Integer.getInteger("memstore.concurrency.seconds", 15));
  }

  @Test
  @Tag("long")
  void fourWritersPrunerAndSearcher_twoMinutes() throws Exception {
    writersPrunerSearcher(Integer.getInteger("memstore.concurrency.seconds", 120));
  }

  /**
   * Each round starts a writer on the same file, kills it after a random number of acknowledged
   * batches plus a random delay (so the kill lands anywhere in a batch, or before the first), then
   * checks the file and reopens the store before the next round continues writing to it.
   */
  private void killRounds(int rounds) throws Exception {
    long seed = Long.getLong("memstore.crash.seed", System.nanoTime());
    Random random = new Random(seed);
    String context = "seed " + seed + " (rerun with -Dmemstore.crash.seed=" + seed + ")";
    Path file = folder.resolve("memory.db");
    Map<String, Integer> acknowledged = new HashMap<>();
    long started = System.nanoTime();
    for (int round = 0; round < rounds; round++) {
      String prefix = "round" + round;
      int waitFor = random.nextInt(6);
      long extraMillis = random.nextInt(150);
      int highest =
          BatchWriter.writeThenKill(folder, file, BATCH_SIZE, prefix, waitFor - 1, extraMillis);
      acknowledged.put(prefix, highest);
      String where = context + ", round " + round;
      long expected = acknowledged.values().stream().mapToLong(last -> last + 1L).sum();
      try (RawDatabase raw = RawDatabase.open(file)) {
        assertEquals(List.of("ok"), raw.strings("pragma integrity_check"), where);
        if (raw.number("select count(*) from sqlite_master where name = 'memory_tags'") == 0) {
          // Killed while the first writer was still starting: no store yet, which is only right
          // when nothing was ever acknowledged; the next open makes it.
          assertEquals(0, expected, where + ": acknowledged batches but no store");
          continue;
        }
        assertEquals(
            List.of(),
            raw.strings(
                "select tag || ': ' || count(*) from memory_tags where tag like 'round%-%'"
                    + " group by tag having count(*) <> "
                    + BATCH_SIZE),
            where + ": a batch is partly there");
        for (Map.Entry<String, Integer> entry : acknowledged.entrySet()) {
          for (int batch = 0; batch <= entry.getValue(); batch++) {
            String tag = entry.getKey() + "-" + batch;
            assertEquals(
                BATCH_SIZE,
                raw.number("select count(*) from memory_tags where tag = '" + tag + "'"),
                where + ": acknowledged batch " + tag + " lost");
          }
        }
        assertEquals(List.of(), raw.indexDisagreements(), where);
        assertEquals(
            raw.number("select count(*) from memories"),
            raw.number("select count(*) from memory_embeddings"),
            where);
      }
      try (MemoryStore store = MemoryStore.open(file)) {
        long total = store.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 0, 1).totalCount();
        assertTrue(total >= expected * BATCH_SIZE, where + ": total " + total);
        assertEquals(0, total % BATCH_SIZE, where + ": total " + total);
      }
    }
    long acknowledgedBatches =
        acknowledged.values().stream().mapToLong(highest -> highest + 1L).sum();
    try (RawDatabase raw = RawDatabase.open(file)) {
      // Opening the store filled the vector table with what the killed writers left behind.
      assertEquals(
          raw.number("select count(*) from memories"),
          raw.number("select count(*) from memory_vectors"),
          context);
      System.out.printf(
          "[adversarial] kill -9: %d rounds, %d batches acknowledged, %d memories on file,"
              + " 0 lost, 0 partial, %.1f s, %s%n",
          rounds,
          acknowledgedBatches,
          raw.number("select count(*) from memories"),
          (System.nanoTime() - started) / 1e9,
          context);
    }
  }

  /**
   * Four writers, one pruner deleting only memories tagged prunable, and one searcher, each its own
   * process on one file for the given time. Every process must finish without an error, and every
   * acknowledged write that the pruner may not delete must be there, with its update.
   */
  private void writersPrunerSearcher(int seconds) throws Exception {
    Path file = folder.resolve("memory.db");
    String millis = String.valueOf(seconds * 1000L);
    int batchSize = 10;
    // Create the file first, with the suite's model, so every process opens an existing store.
    try (MemoryStore store = MemoryStore.builder(file).embedder(TaggedWriter.embedder()).build()) {
      store.create(NewMemory.builder("the first memory").tags("setup").build());
    }
    long started = System.nanoTime();
    List<ChildJvm> writers = new ArrayList<>();
    ChildJvm pruner = null;
    ChildJvm searcher = null;
    try {
      for (int index = 0; index < 4; index++) {
        writers.add(
            ChildJvm.start(
                folder,
                TaggedWriter.class,
                file.toString(),
                "writer" + index,
                millis,
                String.valueOf(batchSize)));
      }
      pruner = ChildJvm.start(folder, TagPruner.class, file.toString(), millis);
      searcher = ChildJvm.start(folder, SearchLoop.class, file.toString(), millis);
      List<ChildJvm> all = new ArrayList<>(writers);
      all.add(pruner);
      all.add(searcher);
      for (ChildJvm child : all) {
        assertEquals(0, child.waitFor(seconds + 120L, TimeUnit.SECONDS), child.errorOutput());
        assertFalse(child.errorOutput().contains("Exception"), child.errorOutput());
      }
      double elapsed = (System.nanoTime() - started) / 1e9;

      long keptBatches = 0;
      long prunableBatches = 0;
      long updates = 0;
      try (MemoryStore store =
          MemoryStore.builder(file).embedder(TaggedWriter.embedder()).build()) {
        for (int index = 0; index < writers.size(); index++) {
          List<String> lines = writers.get(index).lines();
          assertEquals("done", lines.get(lines.size() - 1), "writer" + index);
          for (String line : lines) {
            String[] words = line.split(" ");
            if (words[0].equals("committed") && words[2].equals("kept")) {
              keptBatches++;
              String tag = "writer" + index + "-" + words[1];
              assertEquals(
                  batchSize,
                  store
                      .list(
                          MemoryFilter.builder().tagsAny(List.of(tag)).build(),
                          MemorySort.NEWEST_FIRST,
                          0,
                          1)
                      .totalCount(),
                  "acknowledged batch " + tag + " lost");
            } else if (words[0].equals("committed")) {
              prunableBatches++;
            } else if (words[0].equals("updated")) {
              updates++;
              assertTrue(store.get(words[1]).content().endsWith(" updated"), line);
            }
          }
        }
        assertTrue(keptBatches > 0 && updates == keptBatches, keptBatches + " " + updates);
      }
      String pruned = pruner.lines().get(pruner.lines().size() - 1);
      String searched = searcher.lines().get(searcher.lines().size() - 1);
      try (RawDatabase raw = RawDatabase.open(file)) {
        assertEquals(List.of("ok"), raw.strings("pragma integrity_check"));
        assertEquals(List.of(), raw.indexDisagreements());
        assertEquals(
            (keptBatches + prunableBatches) * batchSize + 1,
            raw.number("select count(*) from memories")
                + Long.parseLong(pruned.substring("pruned ".length())),
            "every memory written is on file or was pruned");
      }
      System.out.printf(
          "[adversarial] 4 writers + pruner + searcher for %d s (%.1f s in all): %d batches"
              + " acknowledged (%d kept, %d prunable), %d updates, %s, %s, 0 errors, 0 lost%n",
          seconds,
          elapsed,
          keptBatches + prunableBatches,
          keptBatches,
          prunableBatches,
          updates,
          pruned,
          searched);
    } finally {
      writers.forEach(ChildJvm::close);
      if (pruner != null) {
        pruner.close();
      }
      if (searcher != null) {
        searcher.close();
      }
    }
  }
}
