package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * memstore lives inside someone else's process (issue 13, part 4): a default open, create and
 * search prints nothing, with or without an SLF4J backend, changes no system property, and writes
 * nothing outside the store's files but its one cache folder, which a second process reuses. Proven
 * on separate JVMs whose home, temp, cache and working folders are fresh, so that every file the
 * library or its dependencies write can be listed. The cache folder holds only what the README
 * documents (issue 17: onnxruntime 1.29 would add a device id and a telemetry queue there).
 */
class HostFootprintTest {
  @TempDir Path folder;

  @Test
  void defaultStart_printsNothingWritesOnlyItsCacheFolderAndChangesNoProperty() throws Exception {
    Path home = Files.createDirectory(folder.resolve("home"));
    Path temporary = Files.createDirectory(folder.resolve("tmp"));
    Path cacheHome = Files.createDirectory(folder.resolve("cache-home"));
    Path store = Files.createDirectory(folder.resolve("store"));
    Path working = Files.createDirectory(folder.resolve("working"));
    String withoutBackend =
        Arrays.stream(classpath().split(File.pathSeparator))
            .filter(entry -> !entry.contains("slf4j-nop"))
            .collect(Collectors.joining(File.pathSeparator));

    Run first = run(withoutBackend, home, temporary, cacheHome, store, working);
    assertEquals("", first.output(), "output of a default start without an SLF4J backend");
    assertEquals(0, first.exitCode());
    assertEquals(List.of(), files(home), "written to the home folder");
    assertEquals(List.of(), files(temporary), "written to the temp folder");
    assertEquals(List.of(), files(working), "written to the working folder");
    assertTrue(
        files(store).stream().allMatch(name -> name.startsWith("memory.db")),
        "only the store's own files beside it: " + files(store));
    Map<String, Long> cache = sizes(cacheHome);
    assertTrue(
        cache.keySet().stream().allMatch(path -> path.startsWith("memstore/")),
        "only memstore/ in the platform cache folder: " + cache.keySet());
    // What the README's "What memstore writes outside the store" documents, and nothing else.
    assertEquals(
        Stream.of(
                "memstore",
                "memstore/model",
                "memstore/model/bge-small-en-v1.5-q.onnx",
                "memstore/onnxruntime",
                "memstore/onnxruntime/" + System.mapLibraryName("onnxruntime"),
                "memstore/onnxruntime/" + System.mapLibraryName("onnxruntime4j_jni"),
                "memstore/sqlite-jdbc",
                "memstore/sqlite-jdbc/" + System.mapLibraryName("sqlitejdbc"),
                "memstore/sqlite-vec",
                "memstore/sqlite-vec/" + System.mapLibraryName("vec0").replaceFirst("^lib", ""))
            .sorted()
            .toList(),
        withoutContentKeys(cacheHome),
        "the cache folder's files: " + files(cacheHome));
    assertTrue(cache.keySet().stream().anyMatch(path -> path.endsWith(".onnx")), cache.toString());
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(cacheHome.resolve("memstore"))));
    System.out.printf(
        "cache folder: %d files, %d bytes%n",
        cache.size(), cache.values().stream().mapToLong(Long::longValue).sum());
    Map<String, Long> modified = modificationTimes(cacheHome);

    String slf4jSimple = System.getProperty("memstore.test.slf4j-simple");
    assertTrue(
        slf4jSimple != null && Files.isRegularFile(Path.of(slf4jSimple)),
        "the build names slf4j-simple's jar: " + slf4jSimple);
    Run second =
        run(
            withoutBackend + File.pathSeparator + slf4jSimple,
            home,
            temporary,
            cacheHome,
            store,
            working);
    assertEquals("", second.output(), "output of a default start with an SLF4J backend");
    assertEquals(0, second.exitCode());
    assertEquals(List.of(), files(home), "written to the home folder");
    assertEquals(List.of(), files(temporary), "written to the temp folder");
    assertEquals(List.of(), files(working), "written to the working folder");
    assertEquals(modified, modificationTimes(cacheHome), "the second process reuses the cache");
  }

  private record Run(int exitCode, String output) {}

  private Run run(
      String classpath, Path home, Path temporary, Path cacheHome, Path store, Path working)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (Runtime.version().feature() >= 22) {
      // From JDK 22 the JVM itself warns when code on the class path loads a native library (as
      // sqlite-jdbc does) unless the host allows it, as a host on such a JDK does.
      command.add("--enable-native-access=ALL-UNNAMED");
    }
    command.add("-Duser.home=" + home);
    command.add("-Djava.io.tmpdir=" + temporary);
    command.add("-cp");
    command.add(classpath);
    command.add(FootprintProbe.class.getName());
    command.add(store.resolve("memory.db").toString());
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).directory(working.toFile());
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("MEMSTORE_") || name.startsWith("DJL"));
    environment.put("HOME", home.toString());
    environment.put("TMPDIR", temporary.toString());
    environment.put("XDG_CACHE_HOME", cacheHome.toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertTrue(process.waitFor(180, TimeUnit.SECONDS), "probe did not finish");
    return new Run(process.exitValue(), output);
  }

  private static String classpath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  /** Every file and folder under root, as paths relative to it. */
  private static List<String> files(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths
          .filter(path -> !path.equals(root))
          .map(path -> root.relativize(path).toString())
          .sorted()
          .toList();
    }
  }

  /**
   * Every file and folder in the cache folder, with the content key that ends the name of each
   * folder of kept files taken off ({@code memstore/model-1f2e.../x.onnx} is {@code
   * memstore/model/x.onnx}).
   */
  private static List<String> withoutContentKeys(Path cacheHome) throws IOException {
    return files(cacheHome).stream()
        .map(path -> path.replaceFirst("^(memstore/[a-z-]+)-[^/]+", "$1"))
        .distinct()
        .sorted()
        .toList();
  }

  private static Map<String, Long> sizes(Path root) throws IOException {
    Map<String, Long> sizes = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.filter(Files::isRegularFile).toList()) {
        sizes.put(root.relativize(path).toString(), Files.size(path));
      }
    }
    return sizes;
  }

  private static Map<String, Long> modificationTimes(Path root) throws IOException {
    Map<String, Long> times = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.toList()) {
        times.put(root.relativize(path).toString(), Files.getLastModifiedTime(path).toMillis());
      }
    }
    return times;
  }
}
