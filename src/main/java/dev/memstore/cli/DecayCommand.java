package dev.memstore.cli;

import dev.memstore.MaintenanceReport;
import dev.memstore.MemoryStore;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.json.WireFormat;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "decay",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the scheduled maintenance once and prints what it did.",
      "Expires, promotes, folds session windows, prunes what faded below the floor, evicts over"
          + " capacity and checkpoints."
    })
final class DecayCommand implements Callable<Integer> {
  @ParentCommand private Memctl memctl;
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    MaintenanceReport report;
    try (MemoryStore store = memctl.openExisting()) {
      report = store.runMaintenance();
    }
    if (memctl.json()) {
      out.println(Json.write(WireFormat.maintenance(report)));
    } else {
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
    return ExitCodes.OK;
  }
}
