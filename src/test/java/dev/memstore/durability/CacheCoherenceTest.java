package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryUpdate;
import dev.memstore.NewMemory;
import dev.memstore.StoreStats;
import dev.memstore.testing.ChildJvm;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read cache never answers with what another process (or this one) has since changed. */
class CacheCoherenceTest {
  @TempDir Path folder;

  @Test
  void get_seesAnUpdateByAnotherProcessOnTheNextRead() throws Exception {
    Path file = folder.resolve("memory.db");
    try (MemoryStore store = MemoryStore.builder(file).embeddingModel("none").build()) {
      Memory memory = store.create(NewMemory.of("the car is blue"));
      assertEquals("the car is blue", store.get(memory.id()).content());
      assertEquals("the car is blue", store.get(memory.id()).content());
      StoreStats cached = store.stats();
      assertTrue(cached.cacheHits() >= 1, "the second read came from the cache");

      try (ChildJvm other =
          ChildJvm.start(
              folder, MemoryUpdater.class, file.toString(), memory.id(), "the car is red")) {
        assertEquals(0, other.waitFor(60, TimeUnit.SECONDS), other.errorOutput());
        assertEquals("updated", other.lines().get(0));
      }
      assertEquals("the car is red", store.get(memory.id()).content());
    }
  }

  @Test
  void get_seesThisProcessesOwnUpdateAtOnce() {
    Path file = folder.resolve("memory.db");
    try (MemoryStore store = MemoryStore.builder(file).embeddingModel("none").build()) {
      Memory memory = store.create(NewMemory.of("version one"));
      store.get(memory.id());
      store.update(memory.id(), MemoryUpdate.builder().content("version two").build());
      assertEquals("version two", store.get(memory.id()).content());
      store.delete(memory.id(), true);
      assertEquals(
          dev.memstore.MemoryNotFoundException.class,
          org.junit.jupiter.api.Assertions.assertThrows(
                  RuntimeException.class, () -> store.get(memory.id()))
              .getClass());
    }
  }
}
