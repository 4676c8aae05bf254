package dev.memstore.cli;

import dev.memstore.Memory;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.Page;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.json.WireFormat;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "children",
    mixinStandardHelpOptions = true,
    description = "Lists the memories directly under a memory, oldest first.")
final class ChildrenCommand implements Callable<Integer> {
  @ParentCommand private Memctl memctl;
  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The parent memory's id.")
  private String parentId;

  @Mixin private PageOptions paging;

  @Option(names = "--full", description = "Show the whole text.")
  private boolean fullText;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (MemoryStore store = memctl.openReadOnly()) {
      Page<Memory> page =
          store.children(parentId, MemorySort.OLDEST_FIRST, paging.offset, paging.limit);
      if (memctl.json()) {
        out.println(Json.write(WireFormat.page("memories", page, WireFormat::memory)));
        return ExitCodes.OK;
      }
      MemoryViews.printPage(out, page, store.config().clock().instant(), fullText);
    }
    return ExitCodes.OK;
  }
}
