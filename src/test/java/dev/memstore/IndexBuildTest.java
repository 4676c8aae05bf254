package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.testing.MemoryStoreExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A store opened on a file builds its search index in chunks on background threads. */
class IndexBuildTest {
  private static final int MEMORIES = 25_000;
  private static final int DIMENSION = 16;

  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withEmbedder(Numbered::new).onSystemClock();

  /** Maps "vector N" to a fixed random vector, so a search can ask for one memory's vector. */
  private static final class Numbered implements Embedder {
    @Override
    public String modelId() {
      return "numbered";
    }

    @Override
    public int dimension() {
      return DIMENSION;
    }

    @Override
    public float[] embed(String text) {
      Random random = new Random(Long.parseLong(text.substring("vector ".length())));
      float[] vector = new float[DIMENSION];
      for (int index = 0; index < DIMENSION; index++) {
        vector[index] = (float) random.nextGaussian();
      }
      return vector;
    }
  }

  @Test
  void open_buildsTheIndexAcrossChunksAndGaps() {
    List<String> ids = new ArrayList<>();
    try (MemoryStore store = stores.open()) {
      for (int from = 0; from < MEMORIES; from += 1000) {
        List<NewMemory> batch = new ArrayList<>();
        for (int number = from; number < from + 1000; number++) {
          NewMemory.Builder memory =
              NewMemory.builder("vector " + number)
                  .tags(number % 100 == 0 ? List.of("hundreds") : List.of());
          if (number % 1000 == 7) {
            // The columns the index reads only when set, in every chunk.
            memory
                .type(MemoryType.EPISODIC)
                .tier(MemoryTier.WORKING)
                .userId("user-" + number)
                .agentId("agent")
                .pinned(true);
          }
          batch.add(memory.build());
        }
        store.createAll(batch).forEach(memory -> ids.add(memory.id()));
      }
      // A gap across the first chunk boundary.
      for (int number = 9_990; number < 10_020; number++) {
        store.delete(ids.get(number), false);
      }
    }
    MemoryStore store = stores.open();
    for (int number :
        new int[] {0, 1, 9_989, 10_020, 19_999, 20_000, 20_001, 24_998, MEMORIES - 1}) {
      List<SearchHit> hits = semantic(store, number, MemoryFilter.all());
      assertEquals(ids.get(number), hits.get(0).memory().id(), "memory " + number);
    }
    for (int number = 9_990; number < 10_020; number++) {
      String deleted = ids.get(number);
      assertFalse(
          semantic(store, number, MemoryFilter.all()).stream()
              .anyMatch(hit -> hit.memory().id().equals(deleted)),
          "deleted memory " + number);
    }
    List<SearchHit> tagged =
        semantic(store, 20_000, MemoryFilter.builder().tagsAny(List.of("hundreds")).build());
    assertEquals(ids.get(20_000), tagged.get(0).memory().id());
    assertTrue(tagged.stream().allMatch(hit -> hit.memory().tags().contains("hundreds")));
    MemoryFilter owned =
        MemoryFilter.builder()
            .userId("user-15007")
            .agentId("agent")
            .types(MemoryType.EPISODIC)
            .tiers(MemoryTier.WORKING)
            .build();
    assertEquals(
        List.of(ids.get(15_007)),
        semantic(store, 20_000, owned).stream().map(hit -> hit.memory().id()).toList());
    MemoryFilter agent = MemoryFilter.builder().agentId("agent").build();
    // One of them (number 10,007) is in the deleted gap.
    assertEquals(MEMORIES / 1000 - 1, semantic(store, 7, agent, 100).size());
  }

  private static List<SearchHit> semantic(MemoryStore store, int number, MemoryFilter filter) {
    return semantic(store, number, filter, 5);
  }

  private static List<SearchHit> semantic(
      MemoryStore store, int number, MemoryFilter filter, int limit) {
    return store
        .search(
            SearchQuery.builder("vector " + number)
                .mode(SearchMode.SEMANTIC)
                .minSimilarity(-1)
                .filter(filter)
                .limit(limit)
                .build())
        .hits();
  }
}
