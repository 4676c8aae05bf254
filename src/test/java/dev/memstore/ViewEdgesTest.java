package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.WordHashEmbedder;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The checks the store's views make before they write or read: context groups, sessions,
 * relationships, and opening a file with another model.
 */
class ViewEdgesTest {
  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withWordHashModel("word-hash", 32);

  private final MemoryStore store = stores.store();

  @Test
  void groups_checkNameGroupMemoryAndPage() {
    for (String blank : List.of("", "   ")) {
      ValidationException refused =
          assertThrows(ValidationException.class, () -> store.groups().create(blank, null));
      assertEquals("name", refused.field());
    }
    long group = store.groups().create("trip", null).id();
    Memory memory = store.create(NewMemory.of("the hotel"));
    store.groups().add(group, memory.id());
    assertEquals(
        "group_id",
        assertThrows(ValidationException.class, () -> store.groups().remove(group + 1, memory.id()))
            .field());
    assertThrows(MemoryNotFoundException.class, () -> store.groups().remove(group, "mem-unknown"));
    assertEquals(
        "group_id",
        assertThrows(ValidationException.class, () -> store.groups().members(group + 1, 0, 10))
            .field());
    assertEquals(
        "limit",
        assertThrows(ValidationException.class, () -> store.groups().members(group, 0, 0)).field());
    assertEquals(1, store.groups().members(group, 0, 10).totalCount());
  }

  @Test
  void sessions_withoutMetadata_andTheirPages() {
    Session session = store.sessions().create(null, null, null);
    assertEquals(Map.of(), session.metadata());
    assertEquals("conversation", session.sessionType());
    assertEquals(
        "offset",
        assertThrows(ValidationException.class, () -> store.sessions().list(true, -1, 10)).field());
  }

  @Test
  void related_checksTheTypeAndTheMemory() {
    Memory first = store.create(NewMemory.of("first"));
    Memory second = store.create(NewMemory.of("second"));
    store.links().add(first.id(), second.id(), "related_to", 0.5);
    assertEquals(1, store.links().related(first.id(), "related_to").size());
    assertEquals(0, store.links().related(first.id(), "causes").size());
    assertThrows(ValidationException.class, () -> store.links().related(first.id(), "not a type!"));
    assertThrows(MemoryNotFoundException.class, () -> store.links().related("mem-unknown", null));
  }

  /** A file keeps its model: another one, of its dimension or not, is refused unless moving. */
  @Test
  void open_withAnotherModel_isRefusedUnlessMovingToIt() {
    store.create(NewMemory.of("a note"));
    store.close();
    for (WordHashEmbedder other :
        List.of(
            new WordHashEmbedder("other-hash", 32, 0), new WordHashEmbedder("word-hash", 16, 0))) {
      StorageException refused =
          assertThrows(
              StorageException.class,
              () -> MemoryStore.builder(stores.file()).embedder(other).build());
      assertTrue(refused.getMessage().contains("holds vectors of model word-hash with 32"));
    }
    // Read-only, a move cannot happen: refused too.
    assertThrows(
        StorageException.class,
        () ->
            MemoryStore.builder(stores.file())
                .embedder(new WordHashEmbedder("other-hash", 32, 0))
                .readOnly(true)
                .reembedIfModelChanged(progress -> {})
                .build());
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> MemoryStore.builder(stores.file()).embeddingModel("no-such-model").build());
    assertTrue(unknown.getMessage().contains("bundled models: "), unknown.getMessage());
  }

  /** A file written before content keys existed gets them at open: duplicates fold again. */
  @Test
  void open_fillsMissingContentKeys() throws Exception {
    Memory first = store.create(NewMemory.of("the user drinks tea"));
    store.close();
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + stores.file())) {
      connection.createStatement().executeUpdate("update memories set content_key = null");
      connection
          .createStatement()
          .executeUpdate("delete from store_meta where key = 'content_keys_complete'");
    }
    MemoryStore reopened = stores.reopen();
    Memory again = reopened.create(NewMemory.of("the user drinks tea"));
    assertEquals(first.id(), again.id());
  }
}
