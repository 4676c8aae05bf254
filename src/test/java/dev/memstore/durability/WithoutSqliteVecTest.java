package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.testing.ChildJvm;
import dev.memstore.testing.RawDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A platform without sqlite-vec: the store still opens, writes and searches; the vec0 table catches
 * up later.
 */
class WithoutSqliteVecTest {
  @TempDir Path folder;

  @Test
  void storeWithoutSqliteVec_searchesAndTheVectorTableIsRebuiltLater() throws Exception {
    Path file = folder.resolve("memory.db");
    Memory doomed;
    try (MemoryStore store = MemoryStore.open(file)) {
      store.create(NewMemory.of("The user likes hiking in the mountains"));
      doomed = store.create(NewMemory.of("The user's old phone number was 555-0100"));
    }
    try (ChildJvm probe =
        ChildJvm.start(
            folder,
            List.of("-Dmemstore.sqlite-vec.path=none"),
            WithoutSqliteVecProbe.class,
            file.toString(),
            doomed.id())) {
      assertEquals(0, probe.waitFor(120, TimeUnit.SECONDS), probe.errorOutput());
      assertEquals(
          List.of("sqlite-vec null", "degraded false", "top added"),
          probe.lines(),
          probe.errorOutput());
    }
    try (RawDatabase raw = RawDatabase.open(file)) {
      assertEquals(
          List.of("1"),
          raw.strings("select value from store_meta where key = 'vector_table_stale'"));
    }
    MemoryStore.open(file).close();
    try (RawDatabase raw = RawDatabase.open(file)) {
      assertEquals(2, raw.number("select count(*) from memory_vectors"));
      assertEquals(List.of(), raw.indexDisagreements());
      assertEquals(
          0, raw.number("select count(*) from store_meta where key = 'vector_table_stale'"));
    }
  }
}
