package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.internal.embed.BundledEmbedder;
import dev.memstore.testing.ChildJvm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store opened on a file builds its search index in chunks on background threads, and loads a
 * bundled model before the first search asks for it.
 */
class IndexBuildTest {
  private static final int MEMORIES = 25_000;
  private static final int DIMENSION = 16;

  @TempDir Path folder;

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
    Path file = folder.resolve("memory.db");
    List<String> ids = new ArrayList<>();
    try (MemoryStore store = MemoryStore.builder(file).embedder(new Numbered()).build()) {
      for (int from = 0; from < MEMORIES; from += 1000) {
        List<NewMemory> batch = new ArrayList<>();
        for (int number = from; number < from + 1000; number++) {
          batch.add(
              NewMemory.builder("vector " + number)
                  .tags(number % 100 == 0 ? List.of("hundreds") : List.of())
                  .build());
        }
        store.createAll(batch).forEach(memory -> ids.add(memory.id()));
      }
      // A gap across the first chunk boundary.
      for (int number = 9_990; number < 10_020; number++) {
        store.delete(ids.get(number), false);
      }
    }
    try (MemoryStore store = MemoryStore.builder(file).embedder(new Numbered()).build()) {
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
    }
  }

  private static List<SearchHit> semantic(MemoryStore store, int number, MemoryFilter filter) {
    return store
        .search(
            SearchQuery.builder("vector " + number)
                .mode(SearchMode.SEMANTIC)
                .minSimilarity(-1)
                .filter(filter)
                .limit(5)
                .build())
        .hits();
  }

  @Test
  void open_loadsTheBundledModelBeforeTheFirstSearch() throws Exception {
    try (ChildJvm child =
        ChildJvm.start(folder, OpenWithoutSearching.class, folder.resolve("m.db").toString())) {
      assertEquals("loaded", child.nextLine(120, TimeUnit.SECONDS), child.errorOutput());
    }
  }

  /** Opens a store with the default model, searches nothing, says whether the model loaded. */
  public static final class OpenWithoutSearching {
    private OpenWithoutSearching() {}

    public static void main(String[] arguments) throws InterruptedException {
      try (MemoryStore store = MemoryStore.open(Path.of(arguments[0]))) {
        store.create(
            NewMemory.builder("a store with one memory").embedding(new float[384]).build());
        for (int wait = 0; wait < 1200 && !loaded(); wait++) {
          Thread.sleep(50);
        }
        System.out.println(loaded() ? "loaded" : "not loaded");
        System.out.flush();
      }
    }

    private static boolean loaded() {
      return BundledEmbedder.isLoaded(BundledEmbedder.DEFAULT_MODEL);
    }
  }
}
