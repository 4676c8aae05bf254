package dev.memstore.langchain4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.langchain4j.data.embedding.Embedding;
import dev.memstore.MemoryStore;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** An embedding added without a segment is the caller's: the store's repair keeps it. */
class EmbeddingWithoutTextTest {
  @Test
  void addWithoutSegment_survivesRepairAndReopen() {
    try (TestStores stores = new TestStores()) {
      MemstoreEmbeddingStore embeddings = MemstoreEmbeddingStore.from(stores.store());
      float[] vector = new float[384];
      Random random = new Random(3);
      double norm = 0;
      for (int index = 0; index < vector.length; index++) {
        vector[index] = (float) random.nextGaussian();
        norm += vector[index] * vector[index];
      }
      for (int index = 0; index < vector.length; index++) {
        vector[index] /= (float) Math.sqrt(norm);
      }
      String id = embeddings.add(Embedding.from(vector));

      MemoryStore store = stores.reopen();
      assertEquals(List.of(), store.file().repair().issues());
      float[] kept =
          store.embeddings().vectors(List.of(MemstoreEmbeddingStore.memoryId(id))).values().stream()
              .findFirst()
              .orElseThrow();
      assertArrayEquals(vector, kept, 1e-6f);
    }
  }
}
