package dev.memstore.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes one benchmark's results as a Markdown fragment that {@code scripts/bench} gathers into
 * BENCHMARKS.md.
 */
final class BenchmarkReport {
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

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
