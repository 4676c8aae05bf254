package dev.memstore.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running a main class from the test classpath, for tests of what happens between
 * processes. Its standard output is read line by line on a background thread; its standard error
 * goes to a file for diagnosis.
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> allLines = new ArrayList<>();
  private final Path errors;

  /** memstore's cache folder, which the build points at its own folder for every test JVM. */
  private static final String CACHE_PROPERTY = "memstore.cache.dir";

  private ChildJvm(Process process, Path errors) {
    this.process = process;
    this.errors = errors;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader output =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = output.readLine()) != null) {
                  synchronized (allLines) {
                    allLines.add(line);
                  }
                  lines.add(line);
                }
              } catch (IOException ignored) {
                // The process was killed: its output simply ends.
              }
            },
            "child-jvm-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code java -cp <test classpath> mainClass arguments...}. */
  public static ChildJvm start(Path workFolder, Class<?> mainClass, String... arguments)
      throws IOException {
    return start(workFolder, List.of(), mainClass, arguments);
  }

  /** Starts {@code java <jvmOptions> -cp <test classpath> mainClass arguments...}. */
  public static ChildJvm start(
      Path workFolder, List<String> jvmOptions, Class<?> mainClass, String... arguments)
      throws IOException {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The build's temp folder is made by whichever test writes there first, maybe none before this.
    java.nio.file.Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    String cache = System.getProperty(CACHE_PROPERTY);
    if (cache != null) {
      command.add("-D" + CACHE_PROPERTY + "=" + cache);
    }
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass.getName());
    command.addAll(List.of(arguments));
    Path errors =
        workFolder.resolve(mainClass.getSimpleName() + "-" + System.nanoTime() + ".stderr");
    Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
    return new ChildJvm(process, errors);
  }

  /**
   * Returns the next line the child printed, waiting up to the timeout; null when it ended or the
   * wait ran out.
   */
  public String nextLine(long timeout, TimeUnit unit) throws InterruptedException {
    return lines.poll(timeout, unit);
  }

  /** Waits for the child to exit and returns its exit code. */
  public int waitFor(long timeout, TimeUnit unit) throws InterruptedException {
    if (!process.waitFor(timeout, unit)) {
      process.destroyForcibly();
      throw new AssertionError("child JVM did not finish in time; its stderr is in " + errors);
    }
    return process.exitValue();
  }

  /** Kills the child the hard way (SIGKILL on Unix): no shutdown hooks, no finally blocks. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Returns every line printed so far. */
  public List<String> lines() {
    synchronized (allLines) {
      return List.copyOf(allLines);
    }
  }

  public String errorOutput() {
    try {
      return java.nio.file.Files.readString(errors);
    } catch (IOException e) {
      return "(no stderr: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
