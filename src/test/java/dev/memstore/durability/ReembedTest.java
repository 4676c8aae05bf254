package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.ReembedProgress;
import dev.memstore.SearchMode;
import dev.memstore.SearchQuery;
import dev.memstore.StorageException;
import dev.memstore.StoreStats;
import dev.memstore.testing.ChildJvm;
import dev.memstore.testing.RawDatabase;
import dev.memstore.testing.WordHashEmbedder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moving a store to another embedding model: refused by default, done by reembed, resumable after a
 * kill.
 */
class ReembedTest {
  private static final int MEMORIES = 400;

  @TempDir Path folder;

  private Path storeWithModelA() {
    Path file = folder.resolve("memory.db");
    try (MemoryStore store =
        MemoryStore.builder(file).embedder(new WordHashEmbedder("hash-a", 4, 0)).build()) {
      List<NewMemory> memories = new ArrayList<>();
      for (int index = 0; index < MEMORIES; index++) {
        memories.add(
            NewMemory.of(
                "memory number " + index + (index == 7 ? " about tulips" : " about weather")));
      }
      store.createAll(memories);
    }
    return file;
  }

  @Test
  void open_withAnotherModel_refusedNamingBothModels() {
    Path file = storeWithModelA();
    StorageException refused =
        assertThrows(
            StorageException.class,
            () -> MemoryStore.builder(file).embedder(new WordHashEmbedder("hash-b", 6, 0)).build());
    assertTrue(
        refused.getMessage().contains("hash-a") && refused.getMessage().contains("hash-b"),
        refused.getMessage());
    assertTrue(refused.getMessage().contains("reembed"), refused.getMessage());
  }

  @Test
  void reembed_killedHalfwayThenRerun_finishesWithoutRedoingTheWork() throws Exception {
    Path file = storeWithModelA();
    long embeddedBeforeKill = 0;
    try (ChildJvm runner = ChildJvm.start(folder, ReembedRunner.class, file.toString())) {
      while (embeddedBeforeKill < 128) {
        String line = runner.nextLine(120, TimeUnit.SECONDS);
        assertNotNull(line, runner.errorOutput());
        embeddedBeforeKill = Long.parseLong(line.substring("embedded ".length()));
      }
      runner.kill();
    }
    try (RawDatabase raw = RawDatabase.open(file)) {
      assertEquals(
          List.of("hash-a"),
          raw.strings("select value from store_meta where key = 'embedding_model'"));
      assertTrue(raw.number("select count(*) from memory_embeddings_next") >= embeddedBeforeKill);
    }

    List<ReembedProgress> reports = new ArrayList<>();
    try (MemoryStore store =
        MemoryStore.builder(file)
            .embedder(new WordHashEmbedder("hash-b", 6, 0))
            .reembedIfModelChanged(reports::add)
            .build()) {
      assertTrue(
          reports.get(0).embedded() > embeddedBeforeKill,
          "went on from where the killed run stopped");
      assertEquals(MEMORIES, reports.get(reports.size() - 1).embedded());
      assertTrue(
          reports.size() <= (MEMORIES - embeddedBeforeKill) / 64 + 2,
          "only the missing batches: " + reports.size());
      StoreStats stats = store.file().stats();
      assertEquals("hash-b", stats.embeddingModel());
      assertEquals(6, stats.embeddingDimension());
      assertEquals(MEMORIES, stats.embeddedMemories());
      var result = store.search(SearchQuery.builder("tulips").mode(SearchMode.SEMANTIC).build());
      assertEquals(6, result.dimension());
      assertTrue(!result.degraded() && !result.hits().isEmpty());
    }
    try (RawDatabase raw = RawDatabase.open(file)) {
      assertEquals(MEMORIES, raw.number("select count(*) from memory_vectors"));
      assertEquals(
          0,
          raw.number("select count(*) from sqlite_schema where name = 'memory_embeddings_next'"));
      assertEquals(List.of(), raw.indexDisagreements());
      float[] expected = new WordHashEmbedder("hash-b", 6, 0).embed("memory number 7 about tulips");
      java.nio.ByteBuffer stored =
          java.nio.ByteBuffer.wrap(
                  raw.bytes(
                      "select vector from memory_embeddings e join memories m on m.seq = e.memory_seq"
                          + " where m.content = 'memory number 7 about tulips'"))
              .order(java.nio.ByteOrder.LITTLE_ENDIAN);
      for (float value : expected) {
        assertEquals(value, stored.getFloat(), "the stored vector is the new model's");
      }
    }
  }
}
