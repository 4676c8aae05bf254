package dev.memstore.cli;

import dev.memstore.MemoryStore;
import dev.memstore.internal.json.Json;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "checkpoint",
    mixinStandardHelpOptions = true,
    description = {
      "Folds the write-ahead log into the database file.",
      "Afterwards, and while no process writes, copying the .db file alone is a complete copy."
    })
final class CheckpointCommand implements Callable<Integer> {
  @ParentCommand private Memctl memctl;
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (MemoryStore store = memctl.openExisting()) {
      store.checkpoint();
    }
    if (memctl.json()) {
      var json = Json.MAPPER.createObjectNode();
      json.put("checkpointed", true);
      out.println(Json.write(json));
    } else {
      out.println("checkpointed " + TerminalText.line(memctl.storePath().toString()));
    }
    return ExitCodes.OK;
  }
}
