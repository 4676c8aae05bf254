package dev.memstore.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes one benchmark's results as a Markdown fragment, and gathers the fragments into
 * BENCHMARKS.md for {@code scripts/bench} ({@link #main}): only when a benchmark produced results,
 * so that a run whose benchmarks lacked their data changes no file.
 */
final class BenchmarkReport {
  /**
   * Where the benchmarks find their data: {@code -Dmemstore.bench.data}, else beside the checkout.
   */
  static Path dataFolder() {
    return Path.of(System.getProperty("memstore.bench.data", "../shared/bench-data"));
  }

  private final StringBuilder text = new StringBuilder();
  private final String name;

  BenchmarkReport(String name, String title) {
    this.name = name;
    text.append("## ").append(title).append("\n\n");
  }

  BenchmarkReport line(String line) {
    text.append(line).append('\n');
    return this;
  }

  void write() throws IOException {
    Path folder = Files.createDirectories(Path.of("target", "bench"));
    Files.writeString(folder.resolve(name + ".md"), text.toString());
    System.out.println(text);
  }

  /**
   * Gathers the fragments into BENCHMARKS.md. Arguments: the fragments' folder and the file to
   * write; the header comes on standard input. Exits 1, leaving the file as it was, when no
   * benchmark wrote a fragment, and says why each skipped benchmark skipped.
   */
  public static void main(String[] args) throws IOException {
    String header = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
    Path target = Path.of(args[1]);
    if (!gather(Path.of(args[0]), target, header)) {
      System.err.println("No benchmark produced results, so " + target + " is unchanged.");
      for (String reason : skipReasons(Path.of("target", "surefire-reports"))) {
        System.err.println("  skipped: " + reason);
      }
      System.exit(1);
    }
    System.err.println("wrote " + target);
  }

  /**
   * Writes the header and every fragment, by name, to the target, and returns true; returns false
   * and leaves the target alone when there is no fragment.
   */
  static boolean gather(Path fragments, Path target, String header) throws IOException {
    List<Path> parts = new ArrayList<>();
    if (Files.isDirectory(fragments)) {
      try (Stream<Path> files = Files.list(fragments)) {
        files
            .filter(file -> file.getFileName().toString().endsWith(".md"))
            .sorted()
            .forEach(parts::add);
      }
    }
    if (parts.isEmpty()) {
      return false;
    }
    StringBuilder text = new StringBuilder(header);
    for (Path part : parts) {
      text.append(Files.readString(part)).append('\n');
    }
    // Written beside it and renamed: the file is whole or as it was.
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    Files.writeString(partial, text);
    Files.move(
        partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return true;
  }

  /** The reasons surefire recorded for skipped tests, such as a benchmark without its data. */
  static List<String> skipReasons(Path reports) throws IOException {
    List<String> reasons = new ArrayList<>();
    if (!Files.isDirectory(reports)) {
      return reasons;
    }
    // Surefire writes an aborted test as <skipped ...><![CDATA[...: Assumption failed: why
    Pattern skipped = Pattern.compile("Assumption failed: ([^\\r\\n]*)");
    try (Stream<Path> files = Files.list(reports)) {
      for (Path file :
          files
              .filter(f -> f.getFileName().toString().startsWith("TEST-dev.memstore.bench."))
              .sorted()
              .toList()) {
        Matcher match = skipped.matcher(Files.readString(file));
        while (match.find()) {
          reasons.add(match.group(1).strip());
        }
      }
    }
    return reasons;
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
