package dev.memstore.cli;

import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.json.WireFormat;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "Prints a memory. Counts as an access of it.")
final class GetCommand implements Callable<Integer> {
  @ParentCommand private Memctl memctl;
  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The memory's id.")
  private String memoryId;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (MemoryStore store = memctl.openExisting()) {
      Memory memory = store.get(memoryId);
      if (memctl.json()) {
        out.println(Json.write(WireFormat.memory(memory)));
      } else {
        MemoryViews.details(memory, store.config().clock().instant()).print(out, "");
      }
    }
    return ExitCodes.OK;
  }
}
