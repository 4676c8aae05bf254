package dev.memstore.internal.embed;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.memstore.InternalErrorException;
import dev.memstore.internal.cache.KeptFiles;
import dev.memstore.internal.cache.ScopedProperties;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every use of onnxruntime's classes, kept out of {@link BundledEmbedder}: a class with a method
 * that catches an exception type missing from the class path cannot be linked (an instance of it
 * throws {@link NoClassDefFoundError}), and a host that brings its own {@code Embedder} may leave
 * onnxruntime out. This class loads only when a bundled model is first used.
 */
final class OnnxModels {
  private static final System.Logger LOG = System.getLogger(OnnxModels.class.getName());

  private static final String RUNTIME_PATH = "onnxruntime.native.path";

  private OnnxModels() {}

  /** Returns the model loaded from its class-path resources, tokenizer given. */
  static BertEncoder load(
      String name, String file, WordPieceTokenizer tokenizer, boolean meanPooling) {
    // First of all onnxruntime's classes: the first of them to load loads its native libraries.
    OrtEnvironment environment = environment();
    try (OrtSession.SessionOptions options = sessionOptions()) {
      Optional<Path> kept = KeptFiles.copies("model", List.of(file));
      OrtSession session;
      if (kept.isPresent()) {
        session = environment.createSession(kept.get().resolve(file).toString(), options);
      } else {
        try (InputStream weights = OnnxModels.class.getClassLoader().getResourceAsStream(file)) {
          if (weights == null) {
            throw new IOException(file + " is not on the class path (a LangChain4j model jar)");
          }
          session = environment.createSession(weights.readAllBytes(), options);
        }
      }
      return new BertEncoder(name, environment, session, tokenizer, meanPooling);
    } catch (OrtException | IOException e) {
      throw new InternalErrorException(
          "could not load the bundled model "
              + file
              + " from the class path; the model jar is missing or damaged, add it again or choose another model",
          e);
    }
  }

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
}
