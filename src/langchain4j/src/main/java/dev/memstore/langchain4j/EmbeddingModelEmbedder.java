package dev.memstore.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.memstore.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A LangChain4j {@link EmbeddingModel} as a store's {@link Embedder}: {@code
 * MemoryStore.builder(path).embedder(EmbeddingModelEmbedder.of(model)).build()}. Thread-safe when
 * the model is.
 *
 * <p>The store records the model id and dimension in its file and refuses vectors of another model,
 * so give a model the same id every time it is used on a file (and another id after changing the
 * model). A model behind the network (a hosted API) makes the store depend on that service: while
 * it fails, memories are stored without their embedding and semantic search falls back to words, as
 * with any failing model, until the store's circuit breaker lets it try again.
 */
public final class EmbeddingModelEmbedder implements Embedder {
  private final EmbeddingModel model;
  private final String modelId;
  private final int dimension;

  private EmbeddingModelEmbedder(EmbeddingModel model, String modelId, int dimension) {
    this.model = model;
    this.modelId = modelId;
    this.dimension = dimension;
  }

  /**
   * Returns the model as an embedder whose id is the model's name ({@link
   * EmbeddingModel#modelName()}), or its class's name when it has none.
   *
   * @throws IllegalArgumentException when the model does not know its dimension
   */
  public static EmbeddingModelEmbedder of(EmbeddingModel model) {
    Objects.requireNonNull(model, "model");
    String name = model.modelName();
    return of(
        model,
        name == null || name.isBlank() || name.equals("unknown")
            ? model.getClass().getName()
            : name);
  }

  /**
   * Returns the model as an embedder with the given id.
   *
   * @throws IllegalArgumentException when the id is blank or the model does not know its dimension
   */
  public static EmbeddingModelEmbedder of(EmbeddingModel model, String modelId) {
    Objects.requireNonNull(model, "model");
    if (modelId == null || modelId.isBlank()) {
      throw new IllegalArgumentException("the model id must not be blank");
    }
    // LangChain4j's default dimension() embeds a short text when the model does not know it.
    int dimension = model.dimension();
    if (dimension <= 0) {
      throw new IllegalArgumentException(
          "embedding model " + modelId + " reports dimension " + dimension);
    }
    return new EmbeddingModelEmbedder(model, modelId, dimension);
  }

  /** Returns the LangChain4j model this embedder runs. */
  public EmbeddingModel model() {
    return model;
  }

  @Override
  public String modelId() {
    return modelId;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public float[] embed(String text) {
    return model.embed(text).content().vector();
  }

  @Override
  public List<float[]> embedAll(List<String> texts) {
    List<TextSegment> segments = new ArrayList<>(texts.size());
    for (String text : texts) {
      segments.add(TextSegment.from(text));
    }
    List<Embedding> embeddings = model.embedAll(segments).content();
    if (embeddings.size() != texts.size()) {
      throw new IllegalStateException(
          "embedding model "
              + modelId
              + " returned "
              + embeddings.size()
              + " embeddings for "
              + texts.size()
              + " texts");
    }
    List<float[]> vectors = new ArrayList<>(embeddings.size());
    for (Embedding embedding : embeddings) {
      vectors.add(embedding.vector());
    }
    return vectors;
  }
}
