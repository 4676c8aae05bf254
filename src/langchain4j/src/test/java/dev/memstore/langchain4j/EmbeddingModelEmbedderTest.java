package dev.memstore.langchain4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.memstore.NewMemory;
import dev.memstore.SearchQuery;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A LangChain4j embedding model as memstore's embedder. */
class EmbeddingModelEmbedderTest {
  private final TestStores stores = new TestStores();

  @AfterEach
  void close() {
    stores.close();
  }

  @Test
  void store_withALangChain4jModel_embedsAndFindsByMeaning() {
    stores.store().create(NewMemory.of("The user's dog is called Rex"));
    stores.store().create(NewMemory.of("Invoices are due on the first of the month"));

    assertEquals(
        "The user's dog is called Rex",
        stores
            .store()
            .search(SearchQuery.of("what is the pet's name"))
            .hits()
            .get(0)
            .memory()
            .content());
  }

  @Test
  void embedAll_returnsTheModelsVectorsInOrder() {
    List<float[]> vectors = TestStores.EMBEDDER.embedAll(List.of("one", "two"));

    assertArrayEquals(TestStores.MODEL.embed("one").content().vector(), vectors.get(0));
    assertArrayEquals(TestStores.MODEL.embed("two").content().vector(), vectors.get(1));
    assertEquals(384, TestStores.EMBEDDER.dimension());
  }

  @Test
  void of_withoutAnId_namesTheModelByItsClassWhenItHasNoName() {
    EmbeddingModel unnamed = new FixedModel();

    assertEquals(FixedModel.class.getName(), EmbeddingModelEmbedder.of(unnamed).modelId());
    assertEquals(2, EmbeddingModelEmbedder.of(unnamed).dimension());
  }

  @Test
  void of_withABlankId_isRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> EmbeddingModelEmbedder.of(new FixedModel(), " "));
  }

  @Test
  void embedAll_whenTheModelReturnsTooFewVectors_fails() {
    EmbeddingModelEmbedder embedder = EmbeddingModelEmbedder.of(new FixedModel(), "fixed");

    assertThrows(IllegalStateException.class, () -> embedder.embedAll(List.of("a", "b")));
  }

  /** A model of two dimensions that answers one vector, however many texts it is given. */
  private static final class FixedModel implements EmbeddingModel {
    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
      return Response.from(List.of(Embedding.from(new float[] {1, 0})));
    }
  }
}
