package dev.memstore.internal.embed;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.memstore.Embedder;
import dev.memstore.InternalErrorException;
import dev.memstore.internal.cache.KeptFiles;
import dev.memstore.internal.cache.ScopedProperties;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
 */
public final class BundledEmbedder implements Embedder {
  /**
   * The default model for new files: the more accurate bundled one. On the retrieval benchmarks
   * (BENCHMARKS.md) hybrid search with it ranks clearly better than with all-minilm-l6-v2-q
   * (SciFact nDCG@10 0.752 against 0.729, REALTALK recall@10 0.624 against 0.569), which embeds a
   * short query about twice as fast and long texts four to six times as fast.
   */
  public static final String DEFAULT_MODEL = "bge-small-en-v1.5-q";

  /** A model's files inside its LangChain4j jar and how its token vectors become one. */
  private record Model(int dimension, String file, String tokenizer, boolean meanPooling) {}

  private static final Map<String, Model> MODELS =
      Map.of(
          "all-minilm-l6-v2-q",
          new Model(384, "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json", true),
          "bge-small-en-v1.5-q",
          new Model(384, "bge-small-en-v1.5-q.onnx", "bge-small-en-v1.5-q-tokenizer.json", false));

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

  private BertEncoder loaded() {
    return LOADED.computeIfAbsent(name, key -> load(model));
  }

  private static BertEncoder load(Model model) {
    // First of all onnxruntime's classes: the first of them to load loads its native libraries.
    OrtEnvironment environment = environment();
    try (OrtSession.SessionOptions options = sessionOptions();
        InputStream tokenizer = resource(model.tokenizer())) {
      Optional<Path> kept = KeptFiles.copies("model", List.of(model.file()));
      OrtSession session;
      if (kept.isPresent()) {
        session = environment.createSession(kept.get().resolve(model.file()).toString(), options);
      } else {
        try (InputStream weights = resource(model.file())) {
          session = environment.createSession(weights.readAllBytes(), options);
        }
      }
      return new BertEncoder(
          environment, session, WordPieceTokenizer.read(tokenizer), model.meanPooling());
    } catch (OrtException | IOException e) {
      throw new InternalErrorException(
          "could not load the bundled model "
              + model.file()
              + " from the class path; the model jar is missing or damaged, add it again or choose another model",
          e);
    }
  }

  private static final String RUNTIME_PATH = "onnxruntime.native.path";

  /**
   * Loads onnxruntime from kept copies of its native libraries (see {@link KeptFiles}): onnxruntime
   * reads the folder from a system property when it loads, which is set for that moment only.
   * Without kept copies, or when the application chose a folder itself, onnxruntime loads as it
   * would.
   */
  private static OrtEnvironment environment() {
    String folder = runtimeFolder();
    if (System.getProperty(RUNTIME_PATH) != null || folder == null) {
      return OrtEnvironment.getEnvironment();
    }
    List<String> libraries =
        List.of(
            "ai/onnxruntime/native/" + folder + "/" + System.mapLibraryName("onnxruntime"),
            "ai/onnxruntime/native/" + folder + "/" + System.mapLibraryName("onnxruntime4j_jni"));
    Optional<Path> kept = KeptFiles.copies("onnxruntime", libraries);
    if (kept.isEmpty()) {
      return OrtEnvironment.getEnvironment();
    }
    OrtEnvironment environment;
    try {
      environment =
          ScopedProperties.with(
              Map.of(RUNTIME_PATH, kept.get().toString()), OrtEnvironment::getEnvironment);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("getEnvironment throws no checked exception", e);
    }
    removeRuntimeTemporaryFolder();
    return environment;
  }

  /**
   * onnxruntime makes a folder in the temp directory as it loads, even when it loads its libraries
   * from elsewhere, and leaves it empty until the process exits (where it outlived the process in
   * the tests). Removed here once onnxruntime has loaded, if still empty.
   */
  private static void removeRuntimeTemporaryFolder() {
    try {
      Field field = Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("tempDirectory");
      field.setAccessible(true);
      if (field.get(null) instanceof Path folder && Files.isDirectory(folder)) {
        try (Stream<Path> files = Files.list(folder)) {
          if (files.findAny().isEmpty()) {
            Files.delete(folder);
          }
        }
      }
    } catch (ReflectiveOperationException | IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "onnxruntime's temporary folder is left to it", e);
    }
  }

  /** onnxruntime's folder in its jar for this platform (its own naming), or null. */
  private static String runtimeFolder() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String osName =
        os.contains("mac") || os.contains("darwin")
            ? "osx"
            : os.startsWith("win") ? "win" : os.contains("nux") ? "linux" : null;
    String archName =
        arch.equals("amd64") || arch.equals("x86_64")
            ? "x64"
            : arch.equals("aarch64") ? "aarch64" : null;
    return osName == null || archName == null ? null : osName + "-" + archName;
  }

  /** One thread per call that sleeps instead of spinning while it waits. */
  static OrtSession.SessionOptions sessionOptions() throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(1);
    options.setInterOpNumThreads(1);
    options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    options.addConfigEntry("session.intra_op.allow_spinning", "0");
    options.addConfigEntry("session.inter_op.allow_spinning", "0");
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    return options;
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
    try {
      return loaded().embed(text);
    } catch (OrtException e) {
      throw new InternalErrorException("the bundled model " + name + " failed to embed a text", e);
    }
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
