package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.cli.Memctl;
import dev.memstore.testing.ChildJvm;
import dev.memstore.testing.RawDatabase;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** memctl against a locked file, a read-only file and a store another process keeps writing. */
class MemctlSafetyTest {
  @TempDir Path folder;

  private record Run(int exitCode, String out, String err) {}

  // memctl's lock wait, shortened from the store's default 10 s so the locked-file test is quick.
  private static final Map<String, String> ENVIRONMENT = Map.of("MEMSTORE_BUSY_TIMEOUT", "1s");

  private static Run memctl(String... arguments) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Memctl.run(
            arguments,
            new PrintWriter(out),
            new PrintWriter(err),
            new ByteArrayInputStream(new byte[0]),
            ENVIRONMENT);
    return new Run(code, out.toString(), err.toString());
  }

  private Path storeWithOneMemory() {
    Path file = folder.resolve("memory.db");
    try (MemoryStore store = MemoryStore.builder(file).embeddingModel("none").build()) {
      store.create(NewMemory.of("already here"));
    }
    return file;
  }

  @Test
  void lockedFile_writeWaitsThenFailsClearlyAndReadsGoOn() throws Exception {
    Path file = storeWithOneMemory();
    try (RawDatabase other = RawDatabase.open(file)) {
      other.execute("begin immediate");
      long start = System.nanoTime();
      Run add = memctl("--db", file.toString(), "add", "blocked");
      assertEquals(1, add.exitCode(), add.toString());
      assertTrue(add.err().contains("locked") || add.err().contains("busy"), add.err());
      long waited = System.nanoTime() - start;
      assertTrue(waited >= 900_000_000L, "it waited the busy timeout: " + waited + " ns");
      assertTrue(waited < 9_000_000_000L, "$MEMSTORE_BUSY_TIMEOUT replaced the default 10 s");
      Run list = memctl("--db", file.toString(), "ls");
      assertEquals(0, list.exitCode(), list.toString());
      assertTrue(list.out().contains("already here"));
      other.execute("rollback");
    }
    assertEquals(0, memctl("--db", file.toString(), "add", "after the lock").exitCode());
  }

  @Test
  void readOnlyOption_refusesWritesAndChangesNoByte() throws Exception {
    Path file = storeWithOneMemory();
    byte[] before = Files.readAllBytes(file);
    Run add = memctl("--db", file.toString(), "--read-only", "add", "refused");
    assertEquals(1, add.exitCode(), add.toString());
    assertTrue(add.err().contains("read-only"), add.err());
    Run prune =
        memctl("--db", file.toString(), "--read-only", "prune", "--older-than", "0s", "--yes");
    assertEquals(1, prune.exitCode(), prune.toString());
    assertEquals(0, memctl("--db", file.toString(), "--read-only", "ls").exitCode());
    assertEquals(0, memctl("--db", file.toString(), "--read-only", "stats").exitCode());
    assertArrayEquals(before, Files.readAllBytes(file));
  }

  @Test
  void readOnlyFile_refusesWritesAndStillReads() throws Exception {
    // The superuser may write any file: the permission check only means something without it.
    assumeFalse(
        "root".equals(System.getProperty("user.name")),
        "runs as root, for whom no file is read-only; --read-only is tested instead");
    Path file = storeWithOneMemory();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
    Run add = memctl("--db", file.toString(), "add", "refused");
    assertEquals(1, add.exitCode(), add.toString());
    assertTrue(add.err().contains("read-only"), add.err());
    assertEquals(0, memctl("--db", file.toString(), "ls").exitCode());
  }

  @Test
  void backup_whileAnotherProcessWrites_opensCleanlyAndPassesDoctor() throws Exception {
    Path file = folder.resolve("memory.db");
    try (MemoryStore store = MemoryStore.builder(file).build()) {
      store.create(NewMemory.of("seed"));
    }
    List<Path> backups = new ArrayList<>();
    try (ChildJvm writer =
        ChildJvm.start(folder, BatchWriter.class, file.toString(), "400", "25", "writer")) {
      assertTrue(
          writer.nextLine(60, TimeUnit.SECONDS).startsWith("committed"), writer.errorOutput());
      for (int copy = 0; copy < 3; copy++) {
        Path backup = folder.resolve("backup-" + copy + ".db");
        Run run = memctl("--db", file.toString(), "backup", backup.toString());
        assertEquals(0, run.exitCode(), run.toString());
        backups.add(backup);
      }
      assertEquals(0, writer.waitFor(120, TimeUnit.SECONDS), writer.errorOutput());
    }
    long previous = -1;
    for (Path backup : backups) {
      Run doctor = memctl("--db", backup.toString(), "doctor");
      // The writer stores random vectors, which doctor rightly finds unlike the model's; nothing
      // else may be wrong with a backup.
      assertTrue(doctor.out().contains("integrity:             ok"), doctor.toString());
      assertEquals(
          List.of(),
          doctor
              .out()
              .lines()
              .filter(line -> line.startsWith("problem:"))
              .filter(line -> !line.contains("sampled memories have vectors that do not match"))
              .toList(),
          doctor.toString());
      try (MemoryStore copy = MemoryStore.builder(backup).readOnly(true).build()) {
        long memories = copy.file().stats().totalMemories();
        assertEquals(0, (memories - 1) % 25, "whole batches only: " + memories);
        assertTrue(memories >= previous, "later copies hold at least as much");
        previous = memories;
      }
    }
  }
}
