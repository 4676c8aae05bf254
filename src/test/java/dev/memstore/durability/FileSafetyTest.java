package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.UnsupportedSchemaException;
import dev.memstore.ValidationException;
import dev.memstore.testing.ChildJvm;
import dev.memstore.testing.ManualScheduler;
import dev.memstore.testing.MutableClock;
import dev.memstore.testing.RawDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file on disk: what a copy holds, which files are refused, and backups. */
class FileSafetyTest {
  @TempDir Path folder;

  private static long count(MemoryStore store) {
    return store.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 0, 1).totalCount();
  }

  private static void fill(MemoryStore store, int count) {
    for (int index = 0; index < count; index++) {
      store.create(NewMemory.builder("memory " + index).tags("fill").build());
    }
  }

  /**
   * Copies only the database file, as a user backing up by hand would, into a folder of its own.
   */
  private Path copyDatabaseFileOnly(Path file) throws Exception {
    Path copy =
        Files.createDirectories(folder.resolve("copy-" + System.nanoTime())).resolve("copy.db");
    Files.copy(file, copy);
    return copy;
  }

  @Test
  void close_thenCopyDatabaseFileOnly_copyIsComplete() throws Exception {
    Path file = folder.resolve("memory.db");
    try (MemoryStore store = MemoryStore.open(file)) {
      fill(store, 120);
    }
    assertFalse(Files.exists(folder.resolve("memory.db-wal")), "the log is gone after close");
    try (MemoryStore copy = MemoryStore.open(copyDatabaseFileOnly(file))) {
      assertEquals(120, count(copy));
    }
  }

  @Test
  void idleForCheckpointDelay_thenCopyDatabaseFileOnly_copyIsCompleteWhileStoreStaysOpen()
      throws Exception {
    Path file = folder.resolve("memory.db");
    Path log = folder.resolve("memory.db-wal");
    ManualScheduler scheduler =
        new ManualScheduler(new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
    try (MemoryStore store =
        MemoryStore.builder(file)
            .checkpointDelay(Duration.ofMillis(200))
            .clock(scheduler.clock())
            .scheduler(scheduler)
            .build()) {
      fill(store, 80);
      assertTrue(Files.size(log) > 0, "writes go to the log first");
      scheduler.advance(Duration.ofMillis(199));
      assertTrue(Files.size(log) > 0, "no idle checkpoint before the checkpoint delay");
      scheduler.advance(Duration.ofMillis(1));
      assertEquals(0, Files.size(log), "the idle checkpoint truncates the log");
      try (MemoryStore copy = MemoryStore.open(copyDatabaseFileOnly(file))) {
        assertEquals(80, count(copy));
      }
      assertEquals(80, count(store));
    }
  }

  @Test
  void open_newFile_takesSixteenKibPages() throws Exception {
    Path file = folder.resolve("memory.db");
    MemoryStore.open(file).close();
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        var statement = connection.createStatement();
        var rows = statement.executeQuery("pragma page_size")) {
      assertTrue(rows.next());
      assertEquals(16_384, rows.getInt(1));
    }
  }

  @Test
  void open_newerSchemaVersion_refusedAndFileBytesUnchanged() throws Exception {
    Path file = folder.resolve("memory.db");
    MemoryStore.open(file).close();
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      connection.createStatement().execute("pragma user_version = 99");
    }
    byte[] before = Files.readAllBytes(file);
    UnsupportedSchemaException refused =
        assertThrows(UnsupportedSchemaException.class, () -> MemoryStore.open(file));
    assertTrue(refused.getMessage().contains("schema version 99"), refused.getMessage());
    assertArrayEquals(before, Files.readAllBytes(file));
  }

  @Test
  void open_someOtherSqliteDatabase_refusedAndFileBytesUnchanged() throws Exception {
    Path file = folder.resolve("other.db");
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      connection
          .createStatement()
          .execute("create table invoices (id integer primary key, amount real)");
    }
    byte[] before = Files.readAllBytes(file);
    assertThrows(UnsupportedSchemaException.class, () -> MemoryStore.open(file));
    assertArrayEquals(before, Files.readAllBytes(file));
  }

  @Test
  void open_notADatabase_refusedAndFileBytesUnchanged() throws Exception {
    Path file = folder.resolve("notes.db");
    Files.writeString(file, "these are not the bytes of a database ".repeat(200));
    byte[] before = Files.readAllBytes(file);
    assertThrows(UnsupportedSchemaException.class, () -> MemoryStore.open(file));
    assertArrayEquals(before, Files.readAllBytes(file));
  }

  @Test
  void open_missingFileWithoutCreate_refusedAndNothingCreated() {
    Path file = folder.resolve("absent.db");
    assertThrows(
        dev.memstore.StorageException.class,
        () -> MemoryStore.builder(file).createIfMissing(false).build());
    assertFalse(Files.exists(file));
  }

  @Test
  void backup_whileAnotherProcessWrites_copyIsConsistentAndComplete() throws Exception {
    Path file = folder.resolve("memory.db");
    MemoryStore.open(file).close();
    try (ChildJvm writer =
            ChildJvm.start(folder, BatchWriter.class, file.toString(), "60", "20", "busy");
        MemoryStore store = MemoryStore.open(file)) {
      assertEquals("committed 0", writer.nextLine(60, TimeUnit.SECONDS), writer.errorOutput());
      Path backup = folder.resolve("backups/backup.db");
      store.file().backup(backup);
      assertEquals(0, writer.waitFor(120, TimeUnit.SECONDS), writer.errorOutput());
      try (RawDatabase raw = RawDatabase.open(backup)) {
        assertEquals(List.of("ok"), raw.strings("pragma integrity_check"));
        assertEquals(List.of(), raw.indexDisagreements());
        assertEquals(
            List.of(),
            raw.strings(
                "select tag from memory_tags where tag like 'busy-%' group by tag having count(*) <> 20"));
      }
      try (MemoryStore copy = MemoryStore.open(backup)) {
        assertTrue(count(copy) >= 20, "the batch acknowledged before the backup is in it");
      }
      ValidationException exists =
          assertThrows(ValidationException.class, () -> store.file().backup(backup));
      assertEquals("target", exists.field());
    }
  }
}
