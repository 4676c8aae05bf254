package dev.memstore.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One in-process run of memctl: its exit code and what it wrote to stdout and stderr. */
record CliRun(int exitCode, String out, String err) {

  /** Runs memctl with no environment and a home folder of its own, so no real store is touched. */
  static CliRun memctl(Path home, String... args) {
    return memctl(new StoreLocation(Map.<String, String>of()::get, "Linux", home), "", args);
  }

  static CliRun memctl(StoreLocation location, String input, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode =
        Memctl.run(
            args,
            new PrintWriter(out),
            new PrintWriter(err),
            new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
            location);
    return new CliRun(exitCode, out.toString(), err.toString());
  }

  List<String> outLines() {
    return out.lines().toList();
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
  }
}
