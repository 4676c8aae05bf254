package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.memstore.testing.MemoryStoreExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The views of a store: one instance each, working on the store's file, closed with it. */
class MemoryStoreViewsTest {
  @RegisterExtension final MemoryStoreExtension stores = MemoryStoreExtension.withoutModel();

  @Test
  void viewAccessors_calledTwice_returnTheSameInstance() {
    MemoryStore store = stores.store();

    assertSame(store.sessions(), store.sessions());
    assertSame(store.links(), store.links());
    assertSame(store.groups(), store.groups());
    assertSame(store.lifecycle(), store.lifecycle());
    assertSame(store.file(), store.file());
    assertSame(store.embeddings(), store.embeddings());
  }

  @Test
  void views_writeThroughToTheStore_andSeeItsMemories() {
    MemoryStore store = stores.store();
    Session session = store.sessions().create("user-1", null, Map.of());
    Memory first =
        store.create(NewMemory.builder("the car is blue").sessionId(session.id()).build());
    Memory second = store.create(NewMemory.of("the bike is red"));
    Relationship link = store.links().add(first.id(), second.id(), "mentions", 0.5);
    ContextGroup group = store.groups().create("vehicles", null);
    store.groups().add(group.id(), second.id());

    assertEquals(
        List.of(first.id()),
        store.sessions().conversationContext(session.id(), 10).stream().map(Memory::id).toList());
    assertEquals(link, store.links().related(second.id(), null).get(0).relationship());
    assertEquals(
        List.of(second.id()),
        store.groups().members(group.id(), 0, 10).items().stream().map(Memory::id).toList());
    assertEquals(2, store.file().stats().totalMemories());
  }

  @Test
  void views_afterTheStoreClosed_throwIllegalState() {
    MemoryStore store = stores.store();
    Sessions sessions = store.sessions();
    ContextGroups groups = store.groups();
    StoreFile file = store.file();
    store.close();

    assertThrows(IllegalStateException.class, () -> sessions.list(false, 0, 10));
    assertThrows(IllegalStateException.class, groups::list);
    assertThrows(IllegalStateException.class, file::stats);
  }
}
