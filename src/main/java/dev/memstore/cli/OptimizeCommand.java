package dev.memstore.cli;

import dev.memstore.OptimizeReport;
import dev.memstore.internal.json.WireFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "optimize",
    mixinStandardHelpOptions = true,
    description = {
      "Compacts the indexes and the file, and prints the space freed.",
      "Merges the full-text index, refreshes SQLite's statistics and, when a quarter of the file"
          + " is free pages (or with --vacuum), rewrites the file smaller."
    })
final class OptimizeCommand extends StoreCommand {
  @Option(names = "--vacuum", description = "Rewrite the file whatever its free pages.")
  private boolean vacuum;

  @Override
  public Integer call() {
    return print(
        runOnStore(Access.EXISTING, store -> store.file().optimize(vacuum)),
        WireFormat::optimize,
        (out, report) -> out.println((report.vacuumed() ? "vacuumed, " : "") + sizeChange(report)));
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
