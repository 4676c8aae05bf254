package dev.memstore.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreAddAllContract;
import dev.langchain4j.store.embedding.EmbeddingStoreRemoveAllContract;
import dev.langchain4j.store.embedding.EmbeddingStoreWithFilteringIT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * LangChain4j's own tests of an embedding store with metadata and filters (which include those of
 * {@code EmbeddingStoreIT} and {@code EmbeddingStoreWithoutMetadataIT}), and its contracts of
 * {@code addAll} and {@code removeAll}, run on {@link MemstoreEmbeddingStore}.
 */
class MemstoreEmbeddingStoreIT extends EmbeddingStoreWithFilteringIT
    implements EmbeddingStoreAddAllContract, EmbeddingStoreRemoveAllContract {
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

  @AfterAll
  static void close() {
    stores.close();
  }

  @Override
  protected void clearStore() {
    embeddingStore.removeAll();
  }

  @Override
  public EmbeddingStore<TextSegment> embeddingStore() {
    return embeddingStore;
  }

  @Override
  protected EmbeddingModel embeddingModel() {
    return TestStores.MODEL;
  }

  /** memstore's filters compare whole values (see {@link MetadataFilters}). */
  @Override
  protected boolean supportsContains() {
    return false;
  }
}
