package dev.memstore.cli;

import dev.memstore.MemorySort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "children",
    mixinStandardHelpOptions = true,
    description = "Lists the memories directly under a memory, oldest first.")
final class ChildrenCommand extends StoreCommand {
  @Parameters(paramLabel = "ID", description = "The parent memory's id.")
  private String parentId;

  @Mixin private PageOptions paging;

  @Option(names = "--full", description = "Show the whole text.")
  private boolean fullText;

  @Override
  public Integer call() {
    return showMemories(
        Access.READ_ONLY,
        store -> store.children(parentId, MemorySort.OLDEST_FIRST, paging.offset, paging.limit),
        fullText);
  }
}
