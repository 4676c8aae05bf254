package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryNotFoundException;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryUpdate;
import dev.memstore.NewMemory;
import dev.memstore.testing.ChildJvm;
import dev.memstore.testing.RawDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What survives a second process and a kill -9: the store's promises between processes. */
class CrashAndConcurrencyTest {
  private static final int BATCH_SIZE = 50;

  @TempDir Path folder;

  @Test
  void createAll_processKilledMidBatch_everyAcknowledgedBatchWholeAndIndexesAgree()
      throws Exception {
    Path file = folder.resolve("memory.db");
    int acknowledged = BatchWriter.writeThenKill(folder, file, BATCH_SIZE, "crash", 40, 0);

    try (RawDatabase raw = RawDatabase.open(file)) {
      assertEquals(List.of("ok"), raw.strings("pragma integrity_check"));
      List<String> batchCounts =
          raw.strings(
              "select count(*) from memory_tags where tag like 'crash-%' group by tag having count(*) <> "
                  + BATCH_SIZE);
      assertEquals(List.of(), batchCounts, "a batch is half there");
      for (int batch = 0; batch <= acknowledged; batch++) {
        assertEquals(
            BATCH_SIZE,
            raw.number("select count(*) from memory_tags where tag = 'crash-" + batch + "'"),
            "acknowledged batch " + batch + " lost");
      }
      assertEquals(List.of(), raw.indexDisagreements());
      assertEquals(
          raw.number("select count(*) from memories"),
          raw.number("select count(*) from memory_embeddings"));
    }
    try (MemoryStore store = MemoryStore.open(file)) {
      long total = store.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 0, 1).totalCount();
      assertTrue(total >= (acknowledged + 1L) * BATCH_SIZE, "total " + total);
    }
    // The batches since the last checkpoint reach the vector table when the file is next opened.
    try (RawDatabase raw = RawDatabase.open(file)) {
      assertEquals(
          raw.number("select count(*) from memories"),
          raw.number("select count(*) from memory_vectors"));
      assertEquals(0, raw.number("select count(*) from store_meta where key like 'vector_table%'"));
    }
  }

  @Test
  void twoProcesses_oneWritesBatchesOtherUpdatesAndDeletes_noErrorsNoLostWrites() throws Exception {
    Path file = folder.resolve("memory.db");
    int batches = 30;
    // Create the file first so both processes open an existing store.
    MemoryStore.open(file).close();
    List<String> kept = new ArrayList<>();
    Set<String> deleted = new HashSet<>();
    try (ChildJvm writer =
            ChildJvm.start(
                folder,
                BatchWriter.class,
                file.toString(),
                String.valueOf(batches),
                "20",
                "child");
        MemoryStore store = MemoryStore.open(file)) {
      int round = 0;
      while (writer.lines().stream().noneMatch("done"::equals) && round < 5_000) {
        Memory memory =
            store.create(NewMemory.builder("parent memory " + round).tags("parent").build());
        store.update(
            memory.id(),
            MemoryUpdate.builder().content("parent memory " + round + " updated").build());
        if (round % 2 == 0) {
          store.delete(memory.id(), true);
          deleted.add(memory.id());
        } else {
          kept.add(memory.id());
        }
        round++;
      }
      assertEquals(0, writer.waitFor(120, TimeUnit.SECONDS), writer.errorOutput());
      assertFalse(writer.errorOutput().contains("Exception"), writer.errorOutput());

      MemoryFilter childMemories = MemoryFilter.builder().tagsAny(List.of("child")).build();
      assertEquals(
          batches * 20L, store.list(childMemories, MemorySort.NEWEST_FIRST, 0, 1).totalCount());
      for (String id : kept) {
        assertTrue(store.get(id).content().endsWith(" updated"));
      }
      for (String id : deleted) {
        assertThrows(MemoryNotFoundException.class, () -> store.get(id));
      }
      assertTrue(round > 0);
    }
    try (RawDatabase raw = RawDatabase.open(file)) {
      assertEquals(List.of("ok"), raw.strings("pragma integrity_check"));
      assertEquals(List.of(), raw.indexDisagreements());
    }
  }
}
