package dev.memstore.durability;

import dev.memstore.Embedder;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.SearchQuery;
import java.nio.file.Path;

/**
 * A host that left the model stack out of its class path (onnxruntime, the model jars, all of
 * LangChain4j): it uses the store with an embedder of its own, then asks for a bundled model.
 * Prints one line per step. Argument: a folder for the store files.
 */
public final class WithoutModelStackProbe {
  private WithoutModelStackProbe() {}

  /** Letter counts: enough to tell the probe's two texts apart. */
  private static final class LetterEmbedder implements Embedder {
    @Override
    public String modelId() {
      return "letters";
    }

    @Override
    public int dimension() {
      return 26;
    }

    @Override
    public float[] embed(String text) {
      float[] vector = new float[26];
      for (char letter : text.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
        if (letter >= 'a' && letter <= 'z') {
          vector[letter - 'a']++;
        }
      }
      return vector;
    }
  }

  public static void main(String[] arguments) {
    Path folder = Path.of(arguments[0]);
    try {
      Class.forName("ai.onnxruntime.OrtEnvironment");
      System.out.println("onnxruntime present");
    } catch (ClassNotFoundException e) {
      System.out.println("onnxruntime absent");
    }
    try (MemoryStore store =
        MemoryStore.builder(folder.resolve("own.db")).embedder(new LetterEmbedder()).build()) {
      store.create(NewMemory.of("The user drinks an espresso every morning"));
      store.create(NewMemory.of("Sam's birthday is on March 15th"));
      String top = store.search(SearchQuery.of("espresso")).hits().get(0).memory().content();
      String context =
          store.contextPack(null, "espresso", 500).relevant().get(0).memory().content();
      System.out.println("own embedder: " + top + "; context: " + context);
    }
    try {
      MemoryStore.open(folder.resolve("default.db")).close();
      System.out.println("default model opened");
    } catch (IllegalStateException e) {
      System.out.println("default model: " + e.getMessage());
    }
  }
}
