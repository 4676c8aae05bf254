package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.cli.Memctl;
import dev.memstore.testing.ManualScheduler;
import dev.memstore.testing.MutableClock;
import dev.memstore.testing.RawDatabase;
import dev.memstore.testing.WordHashEmbedder;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 and 19: the log is folded into the file while writes continue, and the store keeps a
 * verified snapshot beside its file.
 */
class CopySafetyTest {

  @TempDir Path folder;

  /** Runs the stores' background tasks when a test moves time on. */
  private final ManualScheduler scheduler =
      new ManualScheduler(new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));

  private MemoryStore open(Path file, Duration snapshotInterval) {
    return MemoryStore.builder(file)
        .embedder(new WordHashEmbedder("word-hash", 32, 0))
        .snapshotInterval(snapshotInterval)
        .clock(scheduler.clock())
        .scheduler(scheduler)
        .build();
  }

  private static List<String> ids(Path file) throws Exception {
    try (RawDatabase raw = RawDatabase.open(file)) {
      return raw.strings("select id from memories");
    }
  }

  /** Whether the file alone holds the memory (a copy taken before any fold holds no tables). */
  private static boolean holds(Path file, String id) throws Exception {
    try (RawDatabase raw = RawDatabase.open(file)) {
      return raw.strings("select id from memories").contains(id);
    } catch (SQLException notYet) {
      return false;
    }
  }

  private Path plainCopy(Path file) throws Exception {
    Path copy =
        Files.createDirectories(folder.resolve("copy-" + System.nanoTime())).resolve("memory.db");
    Files.copy(file, copy);
    return copy;
  }

  @Test
  void writesNeverPause_logIsFoldedIntoFileAnyway() throws Exception {
    Path file = folder.resolve("memory.db");
    // The idle checkpoint never comes, and these writes stay far below the 4,000 pages of SQLite's
    // autocheckpoint: only the periodic fold can bring a write into the file while they go on.
    try (MemoryStore store =
        MemoryStore.builder(file)
            .embedder(new WordHashEmbedder("word-hash", 32, 0))
            .checkpointDelay(Duration.ofHours(1))
            .snapshotInterval(Duration.ZERO)
            .clock(scheduler.clock())
            .scheduler(scheduler)
            .build()) {
      String first = store.create(NewMemory.of("the first write")).id();
      boolean folded = false;
      // A write every 100 ms; the copy is taken with the newest write in the log only.
      for (int index = 0; index < 15 && !folded; index++) {
        store.create(NewMemory.of("write " + index));
        scheduler.advance(Duration.ofMillis(100));
        folded = holds(plainCopy(file), first);
        assertTrue(
            folded || index < 9, "folded at the latest a second after the first write: " + index);
      }
      assertTrue(folded, "a plain copy of the file alone holds a write while writes go on");
    }
  }

  @Test
  void writes_snapshotIsWrittenBesideTheFileVerifiedAndOwnerOnly() throws Exception {
    Path file = folder.resolve("memory.db");
    Path snapshot = folder.resolve("memory.db.snapshot");
    try (MemoryStore store = open(file, Duration.ofMinutes(10))) {
      for (int index = 0; index < 30; index++) {
        store.create(NewMemory.of("memory " + index));
      }
      assertFalse(Files.exists(snapshot), "not at once: a burst of writes usually follows");
      scheduler.advance(Duration.ofMinutes(1));
      assertTrue(Files.exists(snapshot), "a snapshot follows the writes");
      assertEquals(30, ids(snapshot).size());
      try (RawDatabase raw = RawDatabase.open(snapshot)) {
        assertEquals(List.of("ok"), raw.strings("pragma integrity_check"));
      }
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        assertEquals(
            "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(snapshot)));
      }
      try (var files = Files.list(folder)) {
        assertEquals(
            List.of("memory.db", "memory.db-shm", "memory.db-wal", "memory.db.snapshot"),
            files.map(path -> path.getFileName().toString()).sorted().toList(),
            "no temporary file is left");
      }
    }
  }

  @Test
  void writesThenClose_snapshotMadeWhenDue() throws Exception {
    Path file = folder.resolve("memory.db");
    try (MemoryStore store = open(file, Duration.ofDays(30))) {
      store.create(NewMemory.of("before the first snapshot"));
    }
    assertEquals(1, ids(folder.resolve("memory.db.snapshot")).size(), "none existed: due");
    try (MemoryStore store = open(file, Duration.ofDays(30))) {
      store.create(NewMemory.of("after it"));
    }
    assertEquals(1, ids(folder.resolve("memory.db.snapshot")).size(), "at most one every 30 days");
    // The store takes a snapshot's age from its file: one written 31 days ago is due.
    Files.setLastModifiedTime(
        folder.resolve("memory.db.snapshot"),
        FileTime.from(Instant.now().minus(Duration.ofDays(31))));
    try (MemoryStore store = open(file, Duration.ofDays(30))) {
      store.create(NewMemory.of("after the interval"));
    }
    assertEquals(3, ids(folder.resolve("memory.db.snapshot")).size(), "due again: close makes one");
  }

  @Test
  void openAndCloseWithoutWrites_noNewSnapshot() throws Exception {
    Path file = folder.resolve("memory.db");
    try (MemoryStore store = open(file, Duration.ZERO)) {
      store.create(NewMemory.of("written without snapshots"));
    }
    assertFalse(Files.exists(folder.resolve("memory.db.snapshot")), "zero turns snapshots off");
    try (MemoryStore store = open(file, Duration.ofSeconds(1))) {
      assertEquals(1, store.file().stats().totalMemories());
    }
    assertFalse(Files.exists(folder.resolve("memory.db.snapshot")), "nothing was written");
  }

  @Test
  void damagedFile_doctorSaysToRestoreTheSnapshot_andTheRestoredFileOpens() throws Exception {
    Path file = folder.resolve("memory.db");
    Path snapshot = folder.resolve("memory.db.snapshot");
    try (MemoryStore store = open(file, Duration.ofSeconds(1))) {
      for (int index = 0; index < 200; index++) {
        store.create(NewMemory.of("memory number " + index + " with some words to fill pages"));
      }
      scheduler.advance(Duration.ofMinutes(1));
      assertEquals(200, ids(snapshot).size(), "the snapshot after the writes holds them all");
    }
    // A torn copy: pages past the first overwritten.
    try (RandomAccessFile damaged = new RandomAccessFile(file.toFile(), "rw")) {
      damaged.seek(16_384);
      damaged.write(new byte[3 * 16_384]);
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Memctl.run(
            new String[] {"--db", file.toString(), "doctor"},
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            new ByteArrayInputStream(new byte[0]));
    assertEquals(1, code, out + "\n" + err);
    assertTrue(
        out.toString().contains("memory.db.snapshot is sound and complete: 200 memories"),
        out.toString());
    assertTrue(out.toString().contains("restore it"), out.toString());

    Files.copy(snapshot, file, StandardCopyOption.REPLACE_EXISTING);
    try (MemoryStore restored = open(file, Duration.ZERO)) {
      assertEquals(200, restored.file().stats().totalMemories());
      assertTrue(
          restored.file().health().isHealthy(), restored.file().health().issues().toString());
    }
  }

  @Test
  void healthyFile_doctorSaysNothingOfTheSnapshot() throws Exception {
    Path file = folder.resolve("memory.db");
    try (MemoryStore store = open(file, Duration.ofMinutes(10))) {
      store.create(NewMemory.of("one"));
    }
    StringWriter out = new StringWriter();
    int code =
        Memctl.run(
            new String[] {"--db", file.toString(), "doctor"},
            new PrintWriter(out, true),
            new PrintWriter(new StringWriter(), true),
            new ByteArrayInputStream(new byte[0]));
    assertEquals(0, code, out.toString());
    assertFalse(out.toString().contains("snapshot"), out.toString());
  }

  @Test
  void snapshotInterval_fromConfigFile_noneTurnsSnapshotsOff() throws Exception {
    Path config = folder.resolve("memory_config.yaml");
    Files.writeString(config, "snapshot_interval: 5m\n");
    assertEquals(
        Duration.ofMinutes(5),
        MemoryStore.builder(folder.resolve("a.db")).configFile(config).config().snapshotInterval());
    Files.writeString(config, "snapshot_interval: none\n");
    assertEquals(
        Duration.ZERO,
        MemoryStore.builder(folder.resolve("b.db")).configFile(config).config().snapshotInterval());
    assertEquals(
        Duration.ofMinutes(10),
        MemoryStore.builder(folder.resolve("c.db")).config().snapshotInterval());
  }
}
