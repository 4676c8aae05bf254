package dev.memstore.langchain4j;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.memstore.MemoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The fixture of the adapter's tests: LangChain4j's own all-MiniLM-L6-v2 model (the model memstore
 * bundles, run by LangChain4j), loaded once, and stores on files in fresh folders.
 */
final class TestStores implements AutoCloseable {
  /** Loaded once per test JVM: the ONNX session takes a second to start. */
  static final EmbeddingModel MODEL = new AllMiniLmL6V2QuantizedEmbeddingModel();

  static final EmbeddingModelEmbedder EMBEDDER =
      EmbeddingModelEmbedder.of(MODEL, "langchain4j-all-minilm-l6-v2-q");

  private final Path folder;
  private MemoryStore store;

  TestStores() {
    try {
      folder = Files.createTempDirectory("memstore-langchain4j");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    store = open();
  }

  /** Returns the store of this fixture. */
  MemoryStore store() {
    return store;
  }

  /** Closes the store and opens its file again, as a restarted process would. */
  MemoryStore reopen() {
    store.close();
    store = open();
    return store;
  }

  private MemoryStore open() {
    return MemoryStore.builder(folder.resolve("memory.db")).embedder(EMBEDDER).build();
  }

  @Override
  public void close() {
    store.close();
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
