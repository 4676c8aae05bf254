package dev.memstore.cli;

import dev.memstore.HistoryEntry;
import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.internal.json.WireFormat;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "reinforce",
    mixinStandardHelpOptions = true,
    description = "Multiplies a memory's importance (kept within 0..1) and counts as recalling it.")
final class ReinforceCommand extends StoreCommand {
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
    try (MemoryStore store = open(Access.EXISTING)) {
      Memory memory = store.reinforce(memoryId, factor);
      // The history's last entry is this reinforcement; reading the memory first would count as
      // an access.
      List<HistoryEntry> history = store.history(memoryId);
      Object before = history.get(history.size() - 1).changes().get("importance").from();
      if (json()) {
        printJson(WireFormat.memory(memory));
      } else {
        out()
            .println(
                "importance "
                    + MemoryViews.importance(((Number) before).doubleValue())
                    + " -> "
                    + MemoryViews.importance(memory.importance()));
      }
    }
    return ExitCodes.OK;
  }
}
