package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.WordHashEmbedder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store's own answers at the edges of its calls, on a real file. */
class StoreEdgesTest {
  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withWordHashModel("word-hash", 32);

  private final MemoryStore store = stores.store();

  @Test
  void children_checkThePageAndTheParent() {
    Memory parent = store.create(NewMemory.of("the trip to Lisbon"));
    store.create(NewMemory.builder("the hotel by the river").parentId(parent.id()).build());
    assertEquals(1, store.children(parent.id(), MemorySort.NEWEST_FIRST, 0, 10).items().size());
    ValidationException badPage =
        assertThrows(
            ValidationException.class,
            () -> store.children(parent.id(), MemorySort.NEWEST_FIRST, -1, 10));
    assertEquals("offset", badPage.field());
    assertThrows(
        MemoryNotFoundException.class,
        () -> store.children("mem-unknown", MemorySort.NEWEST_FIRST, 0, 10));
  }

  @Test
  void history_ofAnUnknownMemory_isNotFound() {
    Memory memory = store.create(NewMemory.of("a note"));
    assertEquals(1, store.history(memory.id()).size());
    assertThrows(MemoryNotFoundException.class, () -> store.history("mem-unknown"));
  }

  @Test
  void contextPack_checksTheSessionId() {
    ValidationException refused =
        assertThrows(ValidationException.class, () -> store.contextPack("no spaces!", null, 500));
    assertEquals("session_id", refused.field());
  }

  /** Listeners hear every write's event before the file closes, and may still read it. */
  @Test
  void close_deliversTheEventsOfEveryWriteWhileTheFileIsOpen() {
    MemoryStore closing = stores.open(stores.file("closing.db"));
    List<String> read = new CopyOnWriteArrayList<>();
    List<Exception> failures = new CopyOnWriteArrayList<>();
    closing.addListener(
        event -> {
          if (event.type() == MemoryEvent.Type.STORED) {
            try {
              Thread.sleep(2); // a slow listener: events are still queued at close
              read.add(closing.get(event.memoryId()).content());
            } catch (Exception e) {
              failures.add(e);
            }
          }
        });
    for (int index = 0; index < 50; index++) {
      closing.create(NewMemory.of("note " + index));
    }
    closing.close();
    assertEquals(List.of(), failures);
    assertEquals(50, read.size());
  }

  /** Another process moved the file to another model: this store notices before it searches. */
  @Test
  void search_afterAnotherProcessChangedTheModel_degradesAndSaysWhy() {
    store.create(NewMemory.of("the user grows tomatoes"));
    try (MemoryStore moved =
        MemoryStore.builder(stores.file())
            .clock(stores.clock())
            .embedder(new WordHashEmbedder("other-hash", 32, 0))
            .reembedIfModelChanged(progress -> {})
            .build()) {
      assertEquals("other-hash", moved.file().stats().embeddingModel());
    }
    SearchResult result =
        store.search(SearchQuery.builder("tomatoes").mode(SearchMode.SEMANTIC).build());
    assertTrue(result.degraded());
    assertTrue(result.degradation().contains("another process moved"), result.degradation());
    assertTrue(
        store.file().health().issues().stream()
            .anyMatch(issue -> issue.contains("another process moved")),
        () -> store.file().health().issues().toString());
  }

  /**
   * Opened without a model, a store still names the file's model and stores without vectors, which
   * the model embeds once the file is opened with it again.
   */
  @Test
  void aStoreWithoutAModel_namesTheFilesModel() {
    store.create(NewMemory.of("the user grows tomatoes"));
    store.close();
    MemoryStore withoutModel =
        MemoryStore.builder(stores.file()).clock(stores.clock()).embeddingModel("none").build();
    try (withoutModel) {
      assertEquals("word-hash", withoutModel.file().stats().embeddingModel());
      Memory later = withoutModel.create(NewMemory.of("the user grows peppers"));
      assertEquals(Map.of(), withoutModel.embeddings().vectors(List.of(later.id())));
      assertEquals(1, withoutModel.file().stats().embeddedMemories());
    }
    // Opened again with the model, the store embeds what waits and says how many it embedded.
    MemoryStore withModel = stores.reopen();
    assertEquals(1, withModel.embeddings().embedPending());
    assertEquals(0, withModel.embeddings().embedPending());
    assertEquals(2, withModel.file().stats().embeddedMemories());
  }
}
