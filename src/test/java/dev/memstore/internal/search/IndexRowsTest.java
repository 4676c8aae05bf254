package dev.memstore.internal.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.NewMemory;
import dev.memstore.SearchQuery;
import dev.memstore.StorageException;
import dev.memstore.internal.storage.Sql;
import dev.memstore.internal.store.StoreInternals;
import dev.memstore.testing.MemoryStoreExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The index build reads the file in chunks of row numbers on two threads: with chunks of a few
 * rows, over row numbers with gaps (deleted memories) and archived memories, it builds the same
 * index as the store's own single-chunk build.
 */
class IndexRowsTest {
  private static final int DIMENSION = 32;

  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withWordHashModel("word-hash", DIMENSION);

  private final MemoryStore store = stores.store();

  @Test
  void load_inSmallChunks_buildsTheIndexTheStoreBuilds() throws InterruptedException {
    Random random = new Random(3);
    String session = store.sessions().create("user-1", null, Map.of()).id();
    List<Memory> created = new ArrayList<>();
    for (int index = 0; index < 300; index++) {
      NewMemory.Builder memory =
          NewMemory.builder("note " + index + " word" + random.nextInt(40))
              .type(MemoryType.values()[index % MemoryType.values().length])
              .importance((index % 10) / 10.0)
              .tags("t" + index % 4, "u" + index % 3)
              .pinned(index % 9 == 0);
      if (index % 5 == 0) {
        memory.sessionId(session).tier(MemoryTier.SHORT_TERM);
      }
      if (index % 7 == 0) {
        memory.userId("user-" + index % 2).agentId("agent-" + index % 3);
      }
      if (index % 11 == 0 && !created.isEmpty()) {
        memory.parentId(created.get(0).id());
      }
      created.add(store.create(memory.build()));
    }
    for (int index = 3; index < 300; index += 13) {
      store.delete(created.get(index).id(), false);
    }
    // The session's short-term memories are archived when it ends.
    store.sessions().end(session, null, true);
    store.search(SearchQuery.of("note"));
    SearchInternals.awaitIndexes(store);
    SearchIndexes indexes = SearchInternals.indexes(store);
    indexes.refresh();
    VectorIndex built = indexes.vectorIndex();

    VectorIndex chunked = new VectorIndex(DIMENSION);
    AtomicInteger chunks = new AtomicInteger();
    ExecutorService helper = Executors.newSingleThreadExecutor();
    try {
      IndexRows.load(StoreInternals.database(store), chunked, helper, chunks::incrementAndGet, 7);
    } finally {
      helper.shutdownNow();
    }
    long rowNumbers =
        StoreInternals.database(store)
            .read(
                connection ->
                    Sql.queryLong(
                        connection,
                        "select max(memory_seq) - min(memory_seq) + 1 from memory_embeddings"));
    assertTrue(rowNumbers > 250, "row numbers " + rowNumbers);
    assertEquals((rowNumbers + 6) / 7, chunks.get(), "one call before each chunk");
    assertEquals(built.size(), chunked.size());
    assertTrue(built.size() < 300 - 20, "deleted and archived memories are left out");
    // The sign codes that pick the candidates of large stores are computed when the load
    // finishes: they then tell the memories apart.
    float[] probe = new float[DIMENSION];
    for (int index = 0; index < DIMENSION; index++) {
      probe[index] = (float) random.nextGaussian();
    }
    int[] slots =
        created.stream()
            .mapToInt(memory -> chunked.slotOf(memory.id()))
            .filter(slot -> slot >= 0)
            .toArray();
    float[] estimates = chunked.estimates(probe, slots);
    long distinct =
        IntStream.range(0, estimates.length).mapToObj(i -> estimates[i]).distinct().count();
    assertTrue(distinct > slots.length / 4, distinct + " distinct estimates of " + slots.length);

    long now = stores.clock().instant().toEpochMilli();
    List<MemoryFilter> filters =
        List.of(
            MemoryFilter.all(),
            MemoryFilter.builder().tagsAll(List.of("t1", "u2")).build(),
            MemoryFilter.builder().userId("user-0").agentId("agent-0").build(),
            MemoryFilter.builder().parentId(created.get(0).id()).build(),
            MemoryFilter.builder().types(MemoryType.SEMANTIC).minImportance(0.5).build(),
            MemoryFilter.builder().includeArchived(true).sessionId(session).build());
    for (int query = 0; query < 5; query++) {
      float[] vector = new float[DIMENSION];
      for (int index = 0; index < DIMENSION; index++) {
        vector[index] = (float) random.nextGaussian();
      }
      for (MemoryFilter filter : filters) {
        List<Scored> expected = built.search(vector, filter, now, 400);
        List<Scored> found = chunked.search(vector, filter, now, 400);
        assertEquals(
            expected.stream()
                .map(hit -> hit.seq() + " " + hit.pinned() + " " + hit.type())
                .toList(),
            found.stream().map(hit -> hit.seq() + " " + hit.pinned() + " " + hit.type()).toList(),
            filter.toString());
      }
    }
  }

  /** A failure while one thread reads a chunk stops both, and the build reports it. */
  @Test
  void load_aChunkThatFails_stopsBothReaders() {
    for (int index = 0; index < 100; index++) {
      store.create(NewMemory.of("note " + index));
    }
    AtomicInteger chunks = new AtomicInteger();
    ExecutorService helper = Executors.newSingleThreadExecutor();
    try {
      RuntimeException failure =
          assertThrows(
              RuntimeException.class,
              () ->
                  IndexRows.load(
                      StoreInternals.database(store),
                      new VectorIndex(DIMENSION),
                      helper,
                      () -> {
                        if (chunks.incrementAndGet() == 3) {
                          throw new IllegalStateException("the third chunk fails");
                        }
                      },
                      7));
      assertTrue(
          failure.getMessage().contains("the third chunk fails")
              || failure.getMessage().contains("failed in another thread"),
          failure.toString());
    } finally {
      helper.shutdownNow();
    }
    assertTrue(chunks.get() <= 4, "chunks begun: " + chunks.get() + " of 15");
  }

  /** A memory written by a newer version, of a type this one does not know, is named. */
  @Test
  void load_aTypeThisVersionDoesNotKnow_isAClearError() {
    Memory memory = store.create(NewMemory.of("from the future"));
    StoreInternals.database(store)
        .write(
            connection -> {
              return Sql.update(
                  connection, "update memories set type = 'dream' where id = ?", memory.id());
            });

    StorageException failure =
        assertThrows(
            StorageException.class,
            () ->
                IndexRows.load(
                    StoreInternals.database(store),
                    new VectorIndex(DIMENSION),
                    Executors.newSingleThreadExecutor(),
                    () -> {}));
    assertEquals(
        "memory " + memory.id() + " has a type or tier this version does not know",
        failure.getMessage());
    // Put back, so that the check after each test finds a sound file.
    StoreInternals.database(store)
        .write(
            connection ->
                Sql.update(
                    connection,
                    "update memories set type = ? where id = ?",
                    memory.type().wireName(),
                    memory.id()));
  }
}
