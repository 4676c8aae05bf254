package dev.memstore.cli;

import dev.memstore.MaintenanceReport;
import dev.memstore.internal.json.WireFormat;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(
    name = "decay",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the scheduled maintenance once and prints what it did.",
      "Expires, promotes, folds session windows, prunes what faded below the floor, evicts over"
          + " capacity and checkpoints."
    })
final class DecayCommand extends StoreCommand {
  @Override
  public Integer call() {
    return print(
        runOnStore(Access.EXISTING, store -> store.lifecycle().runMaintenance()),
        WireFormat::maintenance,
        DecayCommand::printText);
  }

  private static void printText(PrintWriter out, MaintenanceReport report) {
    new KeyValues()
        .add("expired", report.expired())
        .add("promoted", report.promoted())
        .add(
            "folded",
            report.folded()
                + " into "
                + MemoryViews.count(report.summaries(), "summary", "summaries"))
        .add("pruned", report.pruned())
        .add("evicted", report.evicted())
        .add("took", report.took().toMillis() + " ms")
        .print(out, "");
    if (report.withheld() > 0) {
      out.println(
          "kept "
              + report.withheld()
              + " memories that would have expired or been pruned at once: more than the"
              + " retention's max_deletion_share of the store. Check the system clock; if they"
              + " really are due, raise max_deletion_share (1 turns the guard off) and run again.");
    }
  }
}
