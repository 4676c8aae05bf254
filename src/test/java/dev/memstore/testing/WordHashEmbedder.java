package dev.memstore.testing;

import dev.memstore.Embedder;
import java.util.Locale;

/**
 * A small deterministic embedder for tests that need a second model: each word adds to the
 * dimension its hash picks, so texts sharing words are similar. Optionally slow, to give a test
 * time to interrupt it.
 */
public final class WordHashEmbedder implements Embedder {
  private final String modelId;
  private final int dimension;
  private final long millisPerText;

  public WordHashEmbedder(String modelId, int dimension, long millisPerText) {
    this.modelId = modelId;
    this.dimension = dimension;
    this.millisPerText = millisPerText;
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
    if (millisPerText > 0) {
      try {
        Thread.sleep(millisPerText);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    float[] vector = new float[dimension];
    for (String word : text.toLowerCase(Locale.ROOT).split("\\W+")) {
      if (!word.isEmpty()) {
        vector[Math.floorMod(word.hashCode(), dimension)] += 1;
      }
    }
    vector[0] += 0.01f;
    return vector;
  }
}
