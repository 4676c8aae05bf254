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
 * nothing outside the store's folder but its one cache folder, which a second process reuses.
 * Proven on separate JVMs whose home, temp and cache folders are fresh, so that every file the
 * library or its dependencies write can be listed.
 */
class HostFootprintTest {
  @TempDir Path folder;

  @Test
  void defaultStart_printsNothingWritesOnlyItsCacheFolderAndChangesNoProperty() throws Exception {
    Path home = Files.createDirectory(folder.resolve("home"));
    Path temporary = Files.createDirectory(folder.resolve("tmp"));
    Path cacheHome = Files.createDirectory(folder.resolve("cache-home"));
    Path store = Files.createDirectory(folder.resolve("store"));
    String withoutBackend =
        Arrays.stream(classpath().split(File.pathSeparator))
            .filter(entry -> !entry.contains("slf4j-nop"))
            .collect(Collectors.joining(File.pathSeparator));

    Run first = run(withoutBackend, home, temporary, cacheHome, store);
    assertEquals("", first.output(), "output of a default start without an SLF4J backend");
    assertEquals(0, first.exitCode());
    assertEquals(List.of(), files(home), "written to the home folder");
    assertEquals(List.of(), files(temporary), "written to the temp folder");
    Map<String, Long> cache = sizes(cacheHome);
    assertTrue(
        cache.keySet().stream().allMatch(path -> path.startsWith("memstore/")),
        "only memstore/ in the platform cache folder: " + cache.keySet());
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
        run(withoutBackend + File.pathSeparator + slf4jSimple, home, temporary, cacheHome, store);
    assertEquals("", second.output(), "output of a default start with an SLF4J backend");
    assertEquals(0, second.exitCode());
    assertEquals(List.of(), files(home), "written to the home folder");
    assertEquals(List.of(), files(temporary), "written to the temp folder");
    assertEquals(modified, modificationTimes(cacheHome), "the second process reuses the cache");
  }

  private record Run(int exitCode, String output) {}

  private Run run(String classpath, Path home, Path temporary, Path cacheHome, Path store)
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
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
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
