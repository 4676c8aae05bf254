package dev.memstore.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = {
      "Makes a superseded fact current again and prints it.",
      "The fact of the same key that is current now ends where it began, as if it had never held."
    })
final class RestoreCommand extends StoreCommand {
  @Parameters(paramLabel = "ID", description = "The superseded fact's memory id.")
  private String memoryId;

  @Override
  public Integer call() {
    return showMemory(Access.EXISTING, store -> store.lifecycle().restoreFact(memoryId));
  }
}
