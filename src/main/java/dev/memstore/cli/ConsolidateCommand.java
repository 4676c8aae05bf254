package dev.memstore.cli;

import dev.memstore.ConsolidationReport;
import dev.memstore.MemoryStore;
import dev.memstore.internal.json.WireFormat;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "consolidate",
    mixinStandardHelpOptions = true,
    description = {
      "Merges near-duplicate memories into the most important of each group.",
      "Near-duplicates have the same user and type, embeddings at least the threshold alike and"
          + " were created within the window; the others are archived and linked from the one"
          + " kept. --dry-run only shows the groups."
    })
final class ConsolidateCommand extends StoreCommand {
  @Option(names = "--dry-run", description = "Show what would merge; change nothing.")
  private boolean dryRun;

  @Option(
      names = "--window",
      paramLabel = "AGE",
      converter = Converters.Age.class,
      description = "How far apart in creation time, such as 7d. Default: the store's (30 days).")
  private Duration window;

  @Option(
      names = "--threshold",
      paramLabel = "X",
      description = "The cosine similarity to merge at, 0.5 to 1. Default: the model's.")
  private Double threshold;

  @Override
  public Integer call() {
    PrintWriter out = out();
    try (MemoryStore store = open(dryRun ? Access.READ_ONLY : Access.EXISTING)) {
      ConsolidationReport report = store.lifecycle().consolidate(window, threshold, dryRun);
      if (json()) {
        printJson(WireFormat.consolidation(report));
        return ExitCodes.OK;
      }
      for (ConsolidationReport.Group group : report.groups()) {
        out.println(
            TerminalText.line(
                "keep  "
                    + group.keptId()
                    + "  "
                    + MemoryViews.truncate(
                        MemoryViews.oneLine(store.get(group.keptId()).content()),
                        MemoryViews.TEXT_WIDTH)));
        for (int index = 0; index < group.mergedIds().size(); index++) {
          String id = group.mergedIds().get(index);
          out.println(
              TerminalText.line(
                  String.format(
                      Locale.ROOT,
                      "  %.3f %s  %s",
                      group.similarities().get(index),
                      id,
                      MemoryViews.truncate(
                          MemoryViews.oneLine(store.get(id).content()), MemoryViews.TEXT_WIDTH))));
        }
      }
      out.println(
          (dryRun ? "would merge " : "merged ")
              + report.merged()
              + (report.merged() == 1 ? " memory" : " memories")
              + " into "
              + report.groups().size()
              + String.format(
                  Locale.ROOT,
                  " (threshold %.2f, window %d h)",
                  report.threshold(),
                  report.window().toHours()));
    }
    return ExitCodes.OK;
  }
}
