package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.CreateResult;
import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.UnsupportedSchemaException;
import dev.memstore.testing.RawDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file of schema version 1 (issue 2's format) opens, migrates and keeps its memories. */
class MigrationTest {
  @TempDir Path folder;

  /** Turns a new file back into version 2: without the column version 3 added. */
  private static void downgradeToVersion2(Path file) throws Exception {
    try (RawDatabase raw = RawDatabase.open(file)) {
      raw.execute("alter table memory_changes drop column access_only");
      raw.execute("pragma user_version = 2");
    }
  }

  /** Turns a new file back into version 1: without the columns and table versions 2 and 3 added. */
  private static void downgradeToVersion1(Path file) throws Exception {
    downgradeToVersion2(file);
    try (RawDatabase raw = RawDatabase.open(file)) {
      raw.execute("drop index memories_by_content_key");
      raw.execute("alter table memories drop column content_key");
      raw.execute("alter table memories drop column archived_at");
      raw.execute("alter table memories drop column pinned");
      raw.execute("drop table maintenance_runs");
      raw.execute("delete from store_meta where key = 'content_keys_complete'");
      raw.execute("pragma user_version = 1");
    }
  }

  @Test
  void open_versionOneFile_migratesAndKeysTheOldMemories() throws Exception {
    Path file = folder.resolve("memory.db");
    String id;
    try (MemoryStore store = MemoryStore.builder(file).embeddingModel("none").build()) {
      id = store.create(NewMemory.of("The user likes tea.")).id();
    }
    downgradeToVersion1(file);
    assertThrows(
        UnsupportedSchemaException.class,
        () -> MemoryStore.builder(file).readOnly(true).build(),
        "a read-only open cannot migrate");
    try (MemoryStore store = MemoryStore.builder(file).embeddingModel("none").build()) {
      assertEquals(3, store.stats().schemaVersion());
      Memory old = store.get(id);
      assertFalse(old.pinned());
      assertNull(old.archivedAt());
      CreateResult again =
          store.createAllWithResults(List.of(NewMemory.of("the user likes tea"))).get(0);
      assertTrue(again.duplicate(), "the old memory got its duplicate key at open");
      assertEquals(id, again.memory().id());
      assertTrue(store.health().isHealthy(), () -> store.health().issues().toString());
    }
  }

  @Test
  void open_versionTwoFile_migratesAndLogsAccessesApartFromChanges() throws Exception {
    Path file = folder.resolve("memory.db");
    String id;
    try (MemoryStore store = MemoryStore.builder(file).embeddingModel("none").build()) {
      id = store.create(NewMemory.of("The user likes tea.")).id();
    }
    downgradeToVersion2(file);
    try (MemoryStore store = MemoryStore.builder(file).embeddingModel("none").build()) {
      assertEquals(3, store.stats().schemaVersion());
      assertEquals("The user likes tea.", store.get(id).content());
    } // closing writes the access that get counted
    try (RawDatabase raw = RawDatabase.open(file)) {
      assertEquals(1, raw.number("select count(*) from memory_changes where access_only"));
      assertEquals(1, raw.number("select count(*) from memory_changes where not access_only"));
    }
  }
}
