package dev.memstore.cli;

import dev.memstore.MemoryStore;
import dev.memstore.OptimizeReport;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.json.WireFormat;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "optimize",
    mixinStandardHelpOptions = true,
    description = {
      "Compacts the indexes and the file, and prints the space freed.",
      "Merges the full-text index, refreshes SQLite's statistics and, when a quarter of the file"
          + " is free pages (or with --vacuum), rewrites the file smaller."
    })
final class OptimizeCommand implements Callable<Integer> {
  @ParentCommand private Memctl memctl;
  @Spec private CommandSpec spec;

  @Option(names = "--vacuum", description = "Rewrite the file whatever its free pages.")
  private boolean vacuum;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    OptimizeReport report;
    try (MemoryStore store = memctl.openExisting()) {
      report = store.optimize(vacuum);
    }
    if (memctl.json()) {
      out.println(Json.write(WireFormat.optimize(report)));
    } else {
      out.println((report.vacuumed() ? "vacuumed, " : "") + sizeChange(report));
    }
    return ExitCodes.OK;
  }

  /**
   * What happened to the file's size, honestly: merging the full-text index or refreshing the
   * statistics may grow it.
   */
  static String sizeChange(OptimizeReport report) {
    long before = report.bytesBefore();
    long after = report.bytesAfter();
    String sizes = " (" + StatsView.bytes(before) + " -> " + StatsView.bytes(after) + ")";
    if (after < before) {
      return "freed " + StatsView.bytes(before - after) + sizes;
    }
    if (after > before) {
      return "freed nothing; the file grew by " + StatsView.bytes(after - before) + sizes;
    }
    return "freed nothing (" + StatsView.bytes(before) + ")";
  }
}
