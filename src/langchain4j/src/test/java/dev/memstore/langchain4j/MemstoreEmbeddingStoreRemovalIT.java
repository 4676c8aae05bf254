package dev.memstore.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreWithRemovalIT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * LangChain4j's own tests of removal from an embedding store, run on {@link
 * MemstoreEmbeddingStore}.
 */
class MemstoreEmbeddingStoreRemovalIT extends EmbeddingStoreWithRemovalIT {
  /**
   * One file for the class, as LangChain4j's tests expect: they empty the store before each test.
   */
  private static TestStores stores;

  private static MemstoreEmbeddingStore embeddingStore;

  @BeforeAll
  static void open() {
    stores = new TestStores();
    embeddingStore = MemstoreEmbeddingStore.from(stores.store());
  }

  @BeforeEach
  void empty() {
    embeddingStore.removeAll();
  }

  @AfterAll
  static void close() {
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
