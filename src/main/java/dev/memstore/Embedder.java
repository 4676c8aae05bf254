package dev.memstore;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns text into vectors for semantic search. Implementations must be thread-safe and must not use
 * the network. The store records {@link #modelId()} and {@link #dimension()} in its file and
 * refuses to mix vectors of different models.
 */
public interface Embedder {
  /** Returns a stable name of the model, for example {@code all-minilm-l6-v2-q}. */
  String modelId();

  /** Returns the length of every vector this embedder produces. */
  int dimension();

  /**
   * Returns the embedding of one text.
   *
   * @throws RuntimeException when the model fails; the store keeps the memory and embeds it later
   */
  float[] embed(String text);

  /**
   * Returns the embeddings of several texts, in order. Override when the model is faster in
   * batches.
   */
  default List<float[]> embedAll(List<String> texts) {
    List<float[]> vectors = new ArrayList<>(texts.size());
    for (String text : texts) {
      vectors.add(embed(text));
    }
    return vectors;
  }
}
