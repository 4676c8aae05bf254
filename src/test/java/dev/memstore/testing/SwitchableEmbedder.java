package dev.memstore.testing;

import dev.memstore.Embedder;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link WordHashEmbedder} of 16 dimensions that fails while {@link #failing} is set, and counts
 * the texts it is asked to embed, failing or not.
 */
public final class SwitchableEmbedder implements Embedder {
  public final AtomicBoolean failing;
  public final AtomicInteger calls = new AtomicInteger();
  private final Embedder words;

  public SwitchableEmbedder(String modelId, boolean failing) {
    this.words = new WordHashEmbedder(modelId, 16, 0);
    this.failing = new AtomicBoolean(failing);
  }

  @Override
  public String modelId() {
    return words.modelId();
  }

  @Override
  public int dimension() {
    return words.dimension();
  }

  @Override
  public float[] embed(String text) {
    calls.incrementAndGet();
    if (failing.get()) {
      throw new IllegalStateException("model crashed");
    }
    return words.embed(text);
  }
}
