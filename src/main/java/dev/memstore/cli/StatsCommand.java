package dev.memstore.cli;

import dev.memstore.MemoryStore;
import dev.memstore.StoreStats;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.json.WireFormat;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = "Prints counts of the store's contents and the sizes of its file.")
final class StatsCommand implements Callable<Integer> {
  @ParentCommand private Memctl memctl;
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (MemoryStore store = memctl.openReadOnly()) {
      StoreStats stats = store.stats();
      if (memctl.json()) {
        out.println(Json.write(WireFormat.stats(stats)));
      } else {
        StatsView.of(stats, memctl.storePath()).print(out, "");
      }
    }
    return ExitCodes.OK;
  }
}
