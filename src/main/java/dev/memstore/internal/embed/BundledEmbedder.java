package dev.memstore.internal.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.memstore.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The embedding models that ship inside the jar (ONNX, run in process by onnxruntime through
 * LangChain4j). A model is loaded on its first use, once per process, so commands that never embed
 * never pay for it (0.7 s and 200+ MB).
 *
 * <p>The tokenizer library (DJL) looks up a cloud-metadata address on its first load unless told it
 * is offline; the flag is set before any model class loads, because a private assistant's memory
 * makes no network calls.
 */
public final class BundledEmbedder implements Embedder {
  /**
   * The default model for new files: the more accurate bundled one. On the retrieval benchmarks
   * (BENCHMARKS.md) hybrid search with it ranks clearly better than with all-minilm-l6-v2-q
   * (SciFact nDCG@10 0.744 against 0.716, REALTALK recall@10 0.622 against 0.568), which embeds a
   * short query about twice as fast and long texts four to six times as fast.
   */
  public static final String DEFAULT_MODEL = "bge-small-en-v1.5-q";

  private record Model(int dimension, Supplier<EmbeddingModel> loader) {}

  private static final Map<String, Model> MODELS =
      Map.of(
          "all-minilm-l6-v2-q", new Model(384, AllMiniLmL6V2QuantizedEmbeddingModel::new),
          "bge-small-en-v1.5-q", new Model(384, BgeSmallEnV15QuantizedEmbeddingModel::new));

  private static final Map<String, EmbeddingModel> LOADED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final String name;
  private final Model model;

  private BundledEmbedder(String name, Model model) {
    this.name = name;
    this.model = model;
  }

  /** Returns the bundled model of that name, not yet loaded; empty names are not models. */
  public static java.util.Optional<Embedder> named(String name) {
    Model model = MODELS.get(name);
    return model == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(new BundledEmbedder(name, model));
  }

  /** Returns the names of the bundled models. */
  public static List<String> names() {
    return MODELS.keySet().stream().sorted().toList();
  }

  @Override
  public String modelId() {
    return name;
  }

  @Override
  public int dimension() {
    return model.dimension();
  }

  private EmbeddingModel loaded() {
    return LOADED.computeIfAbsent(
        name,
        key -> {
          System.setProperty("ai.djl.offline", "true");
          return model.loader().get();
        });
  }

  @Override
  public float[] embed(String text) {
    return loaded().embed(text).content().vector();
  }

  @Override
  public List<float[]> embedAll(List<String> texts) {
    List<TextSegment> segments = new ArrayList<>(texts.size());
    for (String text : texts) {
      segments.add(TextSegment.from(text));
    }
    List<Embedding> embeddings = loaded().embedAll(segments).content();
    List<float[]> vectors = new ArrayList<>(embeddings.size());
    for (Embedding embedding : embeddings) {
      vectors.add(embedding.vector());
    }
    return vectors;
  }
}
