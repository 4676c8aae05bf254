package dev.memstore.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "Prints a memory. Counts as an access of it.")
final class GetCommand extends StoreCommand {
  @Parameters(paramLabel = "ID", description = "The memory's id.")
  private String memoryId;

  @Override
  public Integer call() {
    return showMemory(Access.EXISTING, store -> store.get(memoryId));
  }
}
