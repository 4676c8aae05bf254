package dev.memstore.cli;

import dev.memstore.MemoryStore;
import dev.memstore.internal.json.Json;
import picocli.CommandLine.Command;

@Command(
    name = "checkpoint",
    mixinStandardHelpOptions = true,
    description = {
      "Folds the write-ahead log into the database file.",
      "Afterwards, and while no process writes, copying the .db file alone is a complete copy."
    })
final class CheckpointCommand extends StoreCommand {
  @Override
  public Integer call() {
    try (MemoryStore store = open(Access.EXISTING)) {
      store.file().checkpoint();
    }
    return print(
        memctl().storePath(),
        path -> Json.MAPPER.createObjectNode().put("checkpointed", true),
        (out, path) -> out.println("checkpointed " + TerminalText.line(path.toString())));
  }
}
