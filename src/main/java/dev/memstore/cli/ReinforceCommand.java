package dev.memstore.cli;

import dev.memstore.HistoryEntry;
import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.json.WireFormat;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "reinforce",
    mixinStandardHelpOptions = true,
    description = "Multiplies a memory's importance (kept within 0..1) and counts as recalling it.")
final class ReinforceCommand implements Callable<Integer> {
  @ParentCommand private Memctl memctl;
  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The memory's id.")
  private String memoryId;

  @Option(
      names = "--factor",
      paramLabel = "X",
      defaultValue = "1.2",
      description = "The factor. Default: ${DEFAULT-VALUE}.")
  private double factor;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (MemoryStore store = memctl.openExisting()) {
      Memory memory = store.reinforce(memoryId, factor);
      // The history's last entry is this reinforcement; reading the memory first would count as
      // an access.
      List<HistoryEntry> history = store.history(memoryId);
      Object before = history.get(history.size() - 1).changes().get("importance").from();
      if (memctl.json()) {
        out.println(Json.write(WireFormat.memory(memory)));
      } else {
        out.println(
            "importance "
                + MemoryViews.importance(((Number) before).doubleValue())
                + " -> "
                + MemoryViews.importance(memory.importance()));
      }
    }
    return ExitCodes.OK;
  }
}
