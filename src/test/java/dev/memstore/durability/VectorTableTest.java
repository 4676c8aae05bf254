package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryUpdate;
import dev.memstore.NewMemory;
import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.RawDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sqlite-vec table gets new memories' vectors before every checkpoint, backup and at open, and
 * then agrees with the embeddings table row for row, including vectors changed or deleted before.
 */
class VectorTableTest {
  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withWordHashModel("words", 8).onSystemClock();

  private MemoryStore open(Path file) {
    return stores.open(file);
  }

  private static void assertAgrees(RawDatabase raw) throws Exception {
    assertEquals(
        raw.number("select count(*) from memory_embeddings"),
        raw.number("select count(*) from memory_vectors"));
    assertEquals(
        0,
        raw.number(
            "select count(*) from memory_embeddings e where not exists (select 1 from memory_vectors v"
                + " where v.rowid = e.memory_seq and v.embedding = e.vector)"));
    assertEquals(0, raw.number("select count(*) from store_meta where key like 'vector_table%'"));
  }

  @Test
  void checkpoint_fillsTheVectorTableWithChangedAndWithoutDeletedMemories() throws Exception {
    Path file = stores.file();
    try (MemoryStore store = open(file)) {
      store.createAll(List.of(NewMemory.of("tea in the morning"), NewMemory.of("a hike")));
      store.file().checkpoint();
      List<Memory> later =
          store.createAll(
              List.of(
                  NewMemory.of("the dentist on Tuesday"),
                  NewMemory.of("the kitchen light"),
                  NewMemory.of("coffee at noon")));
      try (RawDatabase raw = RawDatabase.open(file)) {
        assertEquals(5, raw.number("select count(*) from memory_embeddings"));
        assertEquals(2, raw.number("select count(*) from memory_vectors"), "not filled yet");
      }
      store.update(
          later.get(0).id(), MemoryUpdate.builder().content("the dentist on Friday").build());
      store.delete(later.get(1).id(), false);
      store.file().checkpoint();
      try (RawDatabase raw = RawDatabase.open(file)) {
        assertEquals(4, raw.number("select count(*) from memory_vectors"));
        assertAgrees(raw);
      }
      store.create(NewMemory.of("a backup holds every vector"));
      Path copy = stores.file("copy.db");
      store.file().backup(copy);
      try (RawDatabase raw = RawDatabase.open(copy)) {
        assertEquals(5, raw.number("select count(*) from memory_vectors"));
        assertAgrees(raw);
      }
    }
  }

  @Test
  void close_andOpen_fillTheVectorTable() throws Exception {
    Path file = stores.file();
    try (MemoryStore store = open(file)) {
      store.createAll(List.of(NewMemory.of("one"), NewMemory.of("two"), NewMemory.of("three")));
    }
    try (RawDatabase raw = RawDatabase.open(file)) {
      assertAgrees(raw);
      // As a process killed before its checkpoint leaves it.
      raw.execute("delete from memory_vectors where rowid > 1");
      raw.execute("insert into store_meta (key, value) values ('vector_table_filled_to', '1')");
    }
    try (MemoryStore store = open(file)) {
      try (RawDatabase raw = RawDatabase.open(file)) {
        assertAgrees(raw);
      }
      assertEquals(3, store.file().stats().embeddedMemories());
    }
  }
}
