package dev.memstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.Session;
import dev.memstore.testing.WordHashEmbedder;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 19 item 11: doctor said healthy about files that export could not read. Whenever export
 * fails on a damaged file, a plain {@code memctl doctor} must not say healthy.
 */
class DoctorCorruptionTest {
  @TempDir Path folder;

  /** A small store of every kind of row export reads, closed (so all of it is in the .db). */
  private Path smallStore() {
    Path file = folder.resolve("original.db");
    try (MemoryStore store =
        MemoryStore.builder(file)
            .embedder(new WordHashEmbedder("words", 16, 0))
            .maintenanceInterval(Duration.ZERO)
            .build()) {
      Session session = store.sessions().create("ada", null, Map.of());
      for (int index = 0; index < 5; index++) {
        store.sessions().create("user" + index, null, Map.of());
      }
      Memory previous = null;
      for (int index = 0; index < 150; index++) {
        Memory memory =
            store.create(
                NewMemory.builder(
                        "memory number "
                            + index
                            + " about the garden, the weather and the week's plans"
                            + " with enough words to fill pages")
                    .sessionId(index % 3 == 0 ? session.id() : null)
                    .tags("tag" + index % 7, "garden")
                    .metadata(Map.of("index", index))
                    .build());
        if (previous != null) {
          store.links().add(previous.id(), memory.id(), "follows", 0.5);
        }
        previous = memory;
      }
    }
    return file;
  }

  private CliRun memctl(Path file, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--db";
    all[1] = file.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.memctl(folder.resolve("home"), all);
  }

  private CliRun export(Path file) {
    Path out = folder.resolve("export-" + file.getFileName() + ".jsonl");
    return memctl(file, "export", out.toString(), "--force");
  }

  /**
   * The issue's case, made on purpose: an index entry whose row is gone (and a row without its
   * entry, so the counts agree). quick_check does not compare indexes with their tables and passes;
   * export, which reads sessions in the order of their creation index, fails with SQLITE_CORRUPT.
   */
  @Test
  void doctor_issue19_indexEntryWithoutItsRow_isNotHealthy() throws Exception {
    Path file = smallStore();
    String index = "memory_history_by_memory";
    try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement sql = raw.createStatement()) {
      Object[] schemaRow;
      try (ResultSet row =
          sql.executeQuery(
              "select type, name, tbl_name, rootpage, sql from sqlite_schema where name = '"
                  + index
                  + "'")) {
        assertTrue(row.next(), "the history has its index by memory");
        schemaRow =
            new Object[] {
              row.getString(1), row.getString(2), row.getString(3), row.getLong(4), row.getString(5)
            };
      }
      // Hide the index from SQLite, move a row (the index keeps its old place), show it again.
      sql.execute("pragma writable_schema = on");
      sql.execute("delete from sqlite_schema where name = '" + index + "'");
      sql.execute("pragma writable_schema = reset");
      sql.execute(
          "update memory_history set seq = seq + 1000000"
              + " where seq = (select min(seq) from memory_history)");
      sql.execute("pragma writable_schema = on");
      sql.execute(
          "insert into sqlite_schema (type, name, tbl_name, rootpage, sql) values ('"
              + schemaRow[0]
              + "', '"
              + schemaRow[1]
              + "', '"
              + schemaRow[2]
              + "', "
              + schemaRow[3]
              + ", '"
              + schemaRow[4]
              + "')");
      sql.execute("pragma writable_schema = reset");
    }
    try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement sql = raw.createStatement();
        ResultSet quick = sql.executeQuery("pragma quick_check")) {
      assertTrue(quick.next());
      assertEquals("ok", quick.getString(1), "quick_check passes this damage");
    }
    CliRun export = export(file);
    assertNotEquals(0, export.exitCode(), "export cannot read this file: " + export);

    CliRun doctor = memctl(file, "doctor");
    assertNotEquals(0, doctor.exitCode(), doctor::toString);
    assertFalse(doctor.out().endsWith("healthy\n"), doctor::toString);
    assertFalse(doctor.out().contains("Exception"), doctor::toString);
    CliRun full = memctl(file, "doctor", "--full");
    assertTrue(full.out().contains("integrity check failed"), full::toString);
  }

  /**
   * Random damage: a seeded run of 16 random bytes written over a random page of a copy. Whenever
   * export fails, doctor must not say healthy. The seeds are fixed, so each run checks the same
   * files; a longer run with more seeds is tagged.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 100})
  void doctor_randomPageDamage_neverHealthyWhenExportFails(int seed) throws Exception {
    checkRandomDamage(seed);
  }

  @Tag("benchmark")
  @Test
  void doctor_randomPageDamage_thirtyMoreSeeds() throws Exception {
    int exportFailed = 0;
    for (int seed = 100; seed < 130; seed++) {
      if (checkRandomDamage(seed)) {
        exportFailed++;
      }
    }
    System.out.println("random page damage: export failed on " + exportFailed + " of 30 copies");
  }

  /** How long a plain doctor takes on a store of 10,000 memories with the bundled model. */
  @Tag("benchmark")
  @Test
  void doctor_tenThousandMemories_time() {
    Path file = folder.resolve("large.db");
    try (MemoryStore store =
        MemoryStore.builder(file)
            .embeddingModel("all-minilm-l6-v2-q")
            .maintenanceInterval(Duration.ZERO)
            .build()) {
      List<NewMemory> batch = new java.util.ArrayList<>();
      for (int index = 0; index < 10_000; index++) {
        batch.add(
            NewMemory.builder("memory " + index + " about the garden and the weather")
                .tags("tag" + index % 7)
                .build());
        if (batch.size() == 500) {
          store.createAll(batch);
          batch.clear();
        }
      }
    }
    for (String mode : List.of("plain", "full")) {
      long started = System.nanoTime();
      CliRun doctor =
          mode.equals("plain") ? memctl(file, "doctor") : memctl(file, "doctor", "--full");
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertEquals(0, doctor.exitCode(), doctor::toString);
      System.out.println("doctor " + mode + " on 10,000 memories: " + millis + " ms");
    }
  }

  /** Damages a copy; returns whether export failed on it. */
  private boolean checkRandomDamage(int seed) throws Exception {
    Path original = folder.resolve("original.db");
    if (!Files.exists(original)) {
      smallStore();
    }
    Path copy = folder.resolve("damaged-" + seed + ".db");
    Files.copy(original, copy);
    Random random = new Random(seed);
    try (RandomAccessFile bytes = new RandomAccessFile(copy.toFile(), "rw")) {
      int pageSize = 4096;
      long pages = bytes.length() / pageSize;
      // Page 1 holds the header and schema: damage there only stops every open, which is clear.
      long page = 1 + random.nextInt((int) pages - 1);
      long offset = page * pageSize + random.nextInt(pageSize - 16);
      byte[] noise = new byte[16];
      random.nextBytes(noise);
      bytes.seek(offset);
      bytes.write(noise);
    }
    CliRun export = export(copy);
    CliRun doctor = memctl(copy, "doctor");
    if (export.exitCode() != 0) {
      assertNotEquals(
          0, doctor.exitCode(), "seed " + seed + ": export failed but doctor said " + doctor);
    }
    for (String output : List.of(doctor.out(), doctor.err())) {
      assertFalse(output.contains("Exception"), "seed " + seed + ": " + doctor);
    }
    return export.exitCode() != 0;
  }
}
