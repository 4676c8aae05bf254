package dev.memstore.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreWithRemovalIT;
import org.junit.jupiter.api.AfterEach;

/**
 * LangChain4j's own tests of removal from an embedding store, run on {@link
 * MemstoreEmbeddingStore}.
 */
class MemstoreEmbeddingStoreRemovalIT extends EmbeddingStoreWithRemovalIT {
  private final TestStores stores = new TestStores();
  private final MemstoreEmbeddingStore embeddingStore = MemstoreEmbeddingStore.from(stores.store());

  @AfterEach
  void close() {
    stores.close();
  }

  @Override
  protected EmbeddingStore<TextSegment> embeddingStore() {
    return embeddingStore;
  }

  @Override
  protected EmbeddingModel embeddingModel() {
    return TestStores.MODEL;
  }
}
