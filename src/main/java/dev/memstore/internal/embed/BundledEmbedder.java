package dev.memstore.internal.embed;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.memstore.Embedder;
import dev.memstore.InternalErrorException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedding models that ship inside the jar (ONNX, run in process by onnxruntime through
 * LangChain4j). A model is loaded on its first use, once per process, so commands that never embed
 * never pay for it (0.7 s and 200+ MB).
 *
 * <p>The tokenizer library (DJL) looks up a cloud-metadata address on its first load unless told it
 * is offline; the flag is set before any model class loads, because a private assistant's memory
 * makes no network calls.
 *
 * <p>The ONNX session is ours, not LangChain4j's: its default session runs every call on as many
 * spinning threads as there are cores, which on 2 shared cores took 10 ms per short query against
 * 4.6 ms for one thread (SpeedBenchmark). One thread per call, without spinning; {@link #embedAll}
 * runs the texts of a batch on several threads instead.
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
  private record Model(int dimension, String file, String tokenizer, PoolingMode pooling) {}

  private static final Map<String, Model> MODELS =
      Map.of(
          "all-minilm-l6-v2-q",
          new Model(
              384,
              "all-minilm-l6-v2-q.onnx",
              "all-minilm-l6-v2-q-tokenizer.json",
              PoolingMode.MEAN),
          "bge-small-en-v1.5-q",
          new Model(
              384,
              "bge-small-en-v1.5-q.onnx",
              "bge-small-en-v1.5-q-tokenizer.json",
              PoolingMode.CLS));

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
    return LOADED.computeIfAbsent(name, key -> load(model));
  }

  private static EmbeddingModel load(Model model) {
    System.setProperty("ai.djl.offline", "true");
    useKeptRuntime();
    try (OrtSession.SessionOptions options = sessionOptions();
        InputStream tokenizer = resource(model.tokenizer())) {
      OrtEnvironment environment = OrtEnvironment.getEnvironment();
      Optional<Path> kept = KeptFiles.copies("model", List.of(model.file()));
      OrtSession session;
      if (kept.isPresent()) {
        session = environment.createSession(kept.get().resolve(model.file()).toString(), options);
      } else {
        try (InputStream weights = resource(model.file())) {
          session = environment.createSession(weights.readAllBytes(), options);
        }
      }
      OnnxBertBiEncoder encoder =
          new OnnxBertBiEncoder(environment, session, tokenizer, model.pooling());
      // A null executor makes LangChain4j spread a batch's texts over one thread per core.
      return new AbstractInProcessEmbeddingModel(null) {
        @Override
        protected OnnxBertBiEncoder model() {
          return encoder;
        }

        @Override
        protected Integer knownDimension() {
          return model.dimension();
        }
      };
    } catch (OrtException | IOException e) {
      throw new InternalErrorException(
          "could not load the bundled model "
              + model.file()
              + " from the class path; the model jar is missing or damaged, add it again or choose another model",
          e);
    }
  }

  /**
   * Points onnxruntime at kept copies of its native libraries (see {@link KeptFiles}) unless the
   * application chose a folder itself or onnxruntime is already loaded.
   */
  private static void useKeptRuntime() {
    String folder = runtimeFolder();
    if (System.getProperty(RUNTIME_PATH) != null || folder == null) {
      return;
    }
    List<String> libraries =
        List.of(
            "ai/onnxruntime/native/" + folder + "/" + System.mapLibraryName("onnxruntime"),
            "ai/onnxruntime/native/" + folder + "/" + System.mapLibraryName("onnxruntime4j_jni"));
    KeptFiles.copies("onnxruntime", libraries)
        .ifPresent(kept -> System.setProperty(RUNTIME_PATH, kept.toString()));
  }

  private static final String RUNTIME_PATH = "onnxruntime.native.path";

  /** onnxruntime's folder in its jar for this platform (its own naming), or null. */
  private static String runtimeFolder() {
    String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(java.util.Locale.ROOT);
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
