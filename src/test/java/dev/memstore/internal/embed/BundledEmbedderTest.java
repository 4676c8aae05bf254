package dev.memstore.internal.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.memstore.Embedder;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BundledEmbedderTest {
  private static final List<String> TEXTS =
      List.of(
          "The user's dog is called Biscuit.",
          "Prefers dark mode in every editor, and tea over coffee.",
          "x",
          "I do not like tea, and it's too late for coffee.",
          "Ærøskøbing, İstanbul, 東京タワー and Москва: naïve café 😀 [CLS] ~/.cache",
          "The user said: "
              + "espresso every morning, unaffable antidisestablishmentarianism. ".repeat(90),
          "word ".repeat(1200));

  @ParameterizedTest
  @ValueSource(strings = {"all-minilm-l6-v2-q", "bge-small-en-v1.5-q"})
  void embed_sameVectorsAsLangChain4jsOwnModel(String name) {
    Supplier<EmbeddingModel> reference =
        name.startsWith("all-minilm")
            ? AllMiniLmL6V2QuantizedEmbeddingModel::new
            : BgeSmallEnV15QuantizedEmbeddingModel::new;
    EmbeddingModel theirs = reference.get();
    Embedder ours = BundledEmbedder.named(name).orElseThrow();
    List<float[]> batch = ours.embedAll(TEXTS);
    assertEquals(TEXTS.size(), batch.size());
    for (int index = 0; index < TEXTS.size(); index++) {
      float[] expected = theirs.embed(TEXTS.get(index)).content().vector();
      assertEquals(ours.dimension(), expected.length);
      assertArrayEquals(expected, ours.embed(TEXTS.get(index)), 1e-4f, TEXTS.get(index));
      assertArrayEquals(expected, batch.get(index), 1e-4f, TEXTS.get(index));
    }
  }

  @Test
  void sessionOptions_threadsSleepInsteadOfSpinning() throws Exception {
    try (OrtSession.SessionOptions options = OnnxModels.sessionOptions()) {
      assertEquals("0", options.getConfigEntries().get("session.intra_op.allow_spinning"));
      assertEquals("0", options.getConfigEntries().get("session.inter_op.allow_spinning"));
    }
  }
}
