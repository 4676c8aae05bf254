package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.StoreHealth;
import dev.memstore.internal.store.StoreInternals;
import dev.memstore.testing.RawDatabase;
import dev.memstore.testing.WordHashEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: a plain copy of the store's folder, taken at any moment while the assistant writes,
 * with no lock and no API. The copy of {@code memory.db} must hold every write acknowledged 2 s or
 * more before the copy began; when it is torn (a checkpoint wrote pages while the copy read them)
 * the copied {@code memory.db.snapshot} must be sound.
 */
class PlainCopyTest {
  private static final long ACKNOWLEDGED_BEFORE_NANOS = TimeUnit.SECONDS.toNanos(2);

  @TempDir Path folder;

  @Test
  void plainCopy_whileSingleWritesContinue_copiesHoldEveryWriteAcknowledgedTwoSecondsBefore()
      throws Exception {
    Result result = run(Writer.SINGLE, 300, 20);
    assertEquals(0, result.missing, result.toString());
    assertEquals(0, result.withoutSoundFile, result.toString());
  }

  @Test
  void plainCopy_whileBatchesContinue_copiesHoldEveryWriteAcknowledgedTwoSecondsBefore()
      throws Exception {
    Result result = run(Writer.BATCH, 300, 20);
    assertEquals(0, result.missing, result.toString());
    assertEquals(0, result.withoutSoundFile, result.toString());
  }

  /** The measurement of issue 13: a 10k store, 200 copies under each writer. */
  @Test
  @Tag("benchmark")
  void plainCopy_tenThousandMemories_twoHundredCopiesUnderEachWriter() throws Exception {
    List<Result> results = new ArrayList<>();
    for (Writer writer : Writer.values()) {
      Path scenario =
          Files.createDirectories(folder.resolve(writer.name().toLowerCase(Locale.ROOT)));
      results.add(run(scenario, writer, 10_000, 200));
    }
    results.forEach(result -> System.out.println("plain copy: " + result));
    for (Result result : results) {
      assertEquals(0, result.missing, result.toString());
      assertEquals(0, result.withoutSoundFile, result.toString());
    }
  }

  enum Writer {
    /** One memory at a time, 20 a second. */
    SINGLE,
    /** Batches of 500 memories, one a second. */
    BATCH
  }

  static final class Result {
    Writer writer;
    int copies;
    int torn;
    int missing;
    int withoutSoundFile;
    int snapshotsUsed;
    long writes;
    volatile long maxLogBytes;
    final List<Long> stepNanos = Collections.synchronizedList(new ArrayList<>());
    final List<Long> idleNanos = Collections.synchronizedList(new ArrayList<>());
    final List<Long> snapshotNanos = Collections.synchronizedList(new ArrayList<>());

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%s writer: %d copies, %d torn (%d of them restored from the snapshot), %d missing an"
              + " acknowledged write, %d without a sound file, %d writes, log at most %.1f MB;"
              + " writer held by periodic fold steps %s, by idle TRUNCATE checkpoints %s;"
              + " snapshots took %s",
          writer,
          copies,
          torn,
          snapshotsUsed,
          missing,
          withoutSoundFile,
          writes,
          maxLogBytes / 1e6,
          spread(stepNanos),
          spread(idleNanos),
          spread(snapshotNanos));
    }

    private static String spread(List<Long> nanos) {
      long[] sorted;
      synchronized (nanos) {
        sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
      }
      return String.format(
          Locale.ROOT,
          "(%d) p50 %.1f ms p95 %.1f ms max %.1f ms",
          sorted.length,
          percentile(sorted, 0.50),
          percentile(sorted, 0.95),
          sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
    }

    private static double percentile(long[] sorted, double fraction) {
      return sorted.length == 0
          ? 0
          : sorted[Math.min(sorted.length - 1, (int) (sorted.length * fraction))] / 1e6;
    }
  }

  private record Acknowledged(long nanos, List<String> ids) {}

  private Result run(Writer writer, int seed, int copies) throws Exception {
    return run(folder, writer, seed, copies);
  }

  private static Result run(Path folder, Writer writer, int seed, int copies) throws Exception {
    Result result = new Result();
    result.writer = writer;
    Path file = folder.resolve("memory.db");
    Path log = folder.resolve("memory.db-wal");
    List<Acknowledged> acknowledged = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<Throwable> writerFailure = new AtomicReference<>();
    AtomicLong writes = new AtomicLong();
    try (MemoryStore store =
        MemoryStore.builder(file).embedder(new WordHashEmbedder("word-hash", 384, 0)).build()) {
      for (int done = 0; done < seed; done += 1_000) {
        List<NewMemory> batch = new ArrayList<>();
        for (int index = done; index < Math.min(seed, done + 1_000); index++) {
          batch.add(
              NewMemory.builder("seed memory " + index + " about topic " + index % 97).build());
        }
        store.createAll(batch);
      }
      // The log of the seeding is not what is measured.
      store.file().checkpoint();
      StoreInternals.onCheckpoint(
          store,
          (kind, nanos) ->
              (switch (kind) {
                    case "step" -> result.stepNanos;
                    case "idle" -> result.idleNanos;
                    default -> result.snapshotNanos;
                  })
                  .add(nanos));
      Thread writing =
          new Thread(
              () -> {
                try {
                  write(store, writer, acknowledged, writes);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (Throwable failure) {
                  writerFailure.set(failure);
                }
              },
              "writer");
      AtomicBoolean watching = new AtomicBoolean();
      Thread logWatch =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  try {
                    if (watching.get()) {
                      result.maxLogBytes = Math.max(result.maxLogBytes, Files.size(log));
                    }
                    Thread.sleep(20);
                  } catch (IOException gone) {
                    // Between a truncate and the next write.
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "log watch");
      writing.start();
      logWatch.start();
      try {
        Random random = new Random(seed);
        // Copies count only once writes have gone on for longer than the 2 s of the guarantee.
        Thread.sleep(2_500);
        watching.set(true);
        for (int copy = 0; copy < copies && writerFailure.get() == null; copy++) {
          Thread.sleep(random.nextInt(300));
          check(folder, copy, acknowledged, result);
        }
      } finally {
        writing.interrupt();
        logWatch.interrupt();
        writing.join();
        logWatch.join();
      }
    }
    if (writerFailure.get() != null) {
      throw new AssertionError("the writer failed", writerFailure.get());
    }
    result.writes = writes.get();
    return result;
  }

  private static void write(
      MemoryStore store, Writer writer, List<Acknowledged> acknowledged, AtomicLong writes)
      throws InterruptedException {
    long next = System.nanoTime();
    for (int round = 0; !Thread.currentThread().isInterrupted(); round++) {
      List<String> ids;
      if (writer == Writer.SINGLE) {
        ids = List.of(store.create(NewMemory.builder("single write " + round).build()).id());
        next += TimeUnit.MILLISECONDS.toNanos(50);
      } else {
        List<NewMemory> batch = new ArrayList<>();
        for (int index = 0; index < 500; index++) {
          batch.add(NewMemory.builder("batch " + round + " memory " + index).build());
        }
        ids = store.createAll(batch).stream().map(memory -> memory.id()).toList();
        next += TimeUnit.SECONDS.toNanos(1);
      }
      acknowledged.add(new Acknowledged(System.nanoTime(), ids));
      writes.addAndGet(ids.size());
      long wait = next - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      } else {
        next = System.nanoTime();
      }
    }
  }

  /** Copies the folder as a user would, without the log, and checks what the copy holds. */
  private static void check(Path folder, int copy, List<Acknowledged> acknowledged, Result result)
      throws Exception {
    Path target = Files.createDirectories(folder.resolve("copy-" + copy));
    long started = System.nanoTime();
    Set<String> expected = new HashSet<>();
    synchronized (acknowledged) {
      for (Acknowledged write : acknowledged) {
        if (started - write.nanos() >= ACKNOWLEDGED_BEFORE_NANOS) {
          expected.addAll(write.ids());
        }
      }
    }
    for (String name : List.of("memory.db", "memory.db.snapshot")) {
      if (Files.exists(folder.resolve(name))) {
        plainCopy(folder.resolve(name), target.resolve(name));
      }
    }
    result.copies++;
    Path database = target.resolve("memory.db");
    boolean sound = sound(database);
    if (!sound) {
      result.torn++;
      if (sound(target.resolve("memory.db.snapshot"))) {
        result.snapshotsUsed++;
      } else {
        result.withoutSoundFile++;
      }
    } else {
      Set<String> present = new HashSet<>();
      try (RawDatabase raw = RawDatabase.open(database)) {
        present.addAll(raw.strings("select id from memories"));
      }
      if (!present.containsAll(expected)) {
        result.missing++;
      }
    }
    deleteFolder(target);
  }

  /** A copy with no lock, by the system's cp where there is one, as users copy. */
  private static void plainCopy(Path source, Path target) throws Exception {
    if (Files.isExecutable(Path.of("/bin/cp"))) {
      Process process = new ProcessBuilder("/bin/cp", source.toString(), target.toString()).start();
      assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, "cp failed");
    } else {
      Files.copy(source, target);
    }
  }

  /** Whether the file opens, passes SQLite's full integrity check and memstore's health check. */
  private static boolean sound(Path file) throws Exception {
    if (!Files.exists(file)) {
      return false;
    }
    try (RawDatabase raw = RawDatabase.open(file)) {
      if (!raw.strings("pragma integrity_check").equals(List.of("ok"))) {
        return false;
      }
    } catch (SQLException e) {
      return false;
    }
    try (MemoryStore store =
        MemoryStore.builder(file)
            .readOnly(true)
            .embedder(new WordHashEmbedder("word-hash", 384, 0))
            .build()) {
      StoreHealth health = store.file().health();
      return health.isHealthy();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void deleteFolder(Path target) throws IOException {
    try (var files = Files.list(target)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(target);
  }
}
