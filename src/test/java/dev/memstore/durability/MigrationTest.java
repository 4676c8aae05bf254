package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.CreateResult;
import dev.memstore.HistoryEntry;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.UnsupportedSchemaException;
import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.RawDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Files of every older schema version open, migrate and keep their memories. */
class MigrationTest {
  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withoutModel().onSystemClock();

  /** Turns a new file back into version 6: without the mark of vectors given by the caller. */
  private static void downgradeToVersion6(Path file) throws Exception {
    try (RawDatabase raw = RawDatabase.open(file)) {
      raw.execute("alter table memory_embeddings drop column given");
      raw.execute("pragma user_version = 6");
    }
  }

  /**
   * Turns a new file back into version 5: without what version 6 (facts) added. Every change to
   * version 6 is undone here.
   */
  private static void downgradeToVersion5(Path file) throws Exception {
    downgradeToVersion6(file);
    try (RawDatabase raw = RawDatabase.open(file)) {
      raw.execute("drop index memories_by_fact_key");
      for (String column : List.of("fact_key", "valid_from", "valid_to", "superseded_by")) {
        raw.execute("alter table memories drop column " + column);
      }
      raw.execute("pragma user_version = 5");
    }
  }

  /**
   * Turns a new file back into version 4: without what version 5 (privacy and security) added.
   * Every change to version 5 is undone here.
   */
  private static void downgradeToVersion4(Path file) throws Exception {
    downgradeToVersion5(file);
    try (RawDatabase raw = RawDatabase.open(file)) {
      for (String table : List.of("audit_log", "tombstones", "forget_receipts", "backups")) {
        raw.execute("drop table " + table);
      }
      raw.execute("alter table memories drop column sensitive");
      raw.execute("alter table memories drop column content_encoding");
      raw.execute("alter table memory_embeddings drop column sealed");
      raw.execute("pragma user_version = 4");
    }
  }

  /**
   * Turns a new file back into version 3: history entries numbered as plain row numbers, without
   * the writer.
   */
  private static void downgradeToVersion3(Path file) throws Exception {
    downgradeToVersion4(file);
    try (RawDatabase raw = RawDatabase.open(file)) {
      raw.execute(
          """
          create table memory_history_plain (
            seq integer primary key,
            memory_id text not null,
            action text not null,
            at integer not null,
            changes text
          )""");
      raw.execute(
          "insert into memory_history_plain select seq, memory_id, action, at, changes"
              + " from memory_history");
      raw.execute("drop table memory_history");
      raw.execute("alter table memory_history_plain rename to memory_history");
      raw.execute("create index memory_history_by_memory on memory_history (memory_id, seq)");
      raw.execute("pragma user_version = 3");
    }
  }

  /** Turns a new file back into version 2: without the column version 3 added. */
  private static void downgradeToVersion2(Path file) throws Exception {
    downgradeToVersion3(file);
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
    Path file = stores.file();
    String id;
    try (MemoryStore store = stores.open()) {
      id = store.create(NewMemory.of("The user likes tea.")).id();
    }
    downgradeToVersion1(file);
    assertThrows(
        UnsupportedSchemaException.class,
        () -> MemoryStore.builder(file).readOnly(true).build(),
        "a read-only open cannot migrate");
    try (MemoryStore store = stores.open()) {
      assertEquals(7, store.file().stats().schemaVersion());
      Memory old = store.get(id);
      assertFalse(old.pinned());
      assertNull(old.archivedAt());
      CreateResult again =
          store.createAllWithResults(List.of(NewMemory.of("the user likes tea"))).get(0);
      assertTrue(again.duplicate(), "the old memory got its duplicate key at open");
      assertEquals(id, again.memory().id());
      assertTrue(
          store.file().health().isHealthy(), () -> store.file().health().issues().toString());
    }
  }

  @Test
  void open_versionFiveFile_migratesAndItsMemoriesAreCurrent() throws Exception {
    Path file = stores.file();
    String id;
    try (MemoryStore store = stores.open()) {
      id = store.create(NewMemory.of("The user lives in Paris.")).id();
    }
    downgradeToVersion5(file);
    try (MemoryStore store = stores.open()) {
      assertEquals(7, store.file().stats().schemaVersion());
      Memory old = store.get(id);
      assertEquals("The user lives in Paris.", old.content());
      assertNull(old.factKey());
      assertNull(old.validFrom());
      assertEquals(
          List.of(id),
          store.list(MemoryFilter.all(), MemorySort.OLDEST_FIRST, 0, 10).items().stream()
              .map(Memory::id)
              .toList(),
          "a memory from before facts is current");
      Memory fact =
          store.create(
              NewMemory.builder("The user lives in Berlin.").factKey("user:home_city").build());
      Memory next =
          store.create(
              NewMemory.builder("The user lives in Rome.").factKey("user:home_city").build());
      assertEquals(next.id(), store.get(fact.id()).supersededBy());
      assertNull(store.get(id).validTo(), "a memory without a key is never superseded");
    }
    try (RawDatabase raw = RawDatabase.open(file)) {
      assertEquals(2, raw.number("select count(*) from memories where valid_to is null"));
    }
  }

  @Test
  void open_versionFourFile_migratesAndKeepsItsMemoriesInClear() throws Exception {
    Path file = stores.file();
    String id;
    try (MemoryStore store = stores.open()) {
      id = store.create(NewMemory.of("The user likes tea.")).id();
    }
    downgradeToVersion4(file);
    try (MemoryStore store = stores.open()) {
      assertEquals(7, store.file().stats().schemaVersion());
      assertEquals("The user likes tea.", store.get(id).content());
      assertTrue(
          store.file().health().isHealthy(), () -> store.file().health().issues().toString());
    }
    try (RawDatabase raw = RawDatabase.open(file)) {
      assertEquals(0, raw.number("select count(*) from memories where content_encoding != 0"));
      assertEquals(0, raw.number("select count(*) from audit_log"));
    }
  }

  @Test
  void open_versionTwoFile_migratesAndLogsAccessesApartFromChanges() throws Exception {
    Path file = stores.file();
    String id;
    try (MemoryStore store = stores.open()) {
      id = store.create(NewMemory.of("The user likes tea.")).id();
    }
    downgradeToVersion2(file);
    try (MemoryStore store = stores.open()) {
      assertEquals(7, store.file().stats().schemaVersion());
      assertEquals("The user likes tea.", store.get(id).content());
    } // closing writes the access that get counted
    try (RawDatabase raw = RawDatabase.open(file)) {
      assertEquals(1, raw.number("select count(*) from memory_changes where access_only"));
      assertEquals(1, raw.number("select count(*) from memory_changes where not access_only"));
    }
  }

  @Test
  void open_versionThreeFile_migratesAndNeverNumbersTwoHistoryEntriesAlike() throws Exception {
    Path file = stores.file();
    String kept;
    String removed;
    try (MemoryStore store = stores.open()) {
      kept = store.create(NewMemory.of("The user likes tea.")).id();
      removed = store.create(NewMemory.of("A passing remark.")).id();
    }
    downgradeToVersion3(file);
    try (MemoryStore store = stores.open()) {
      assertEquals(7, store.file().stats().schemaVersion());
      List<HistoryEntry> history = store.history(kept);
      assertEquals(HistoryEntry.Action.CREATED, history.get(0).action());
      long newest = store.history(removed).get(0).sequence();
      // The deletion replaces the removed memory's entries, the newest of them included: it must
      // take a new number, or a store reading past that number would never see the deletion.
      store.delete(removed, false);
      List<HistoryEntry> deletion = store.history(removed);
      assertEquals(HistoryEntry.Action.DELETED, deletion.get(0).action());
      assertTrue(deletion.get(0).sequence() > newest, deletion::toString);
    }
  }
}
