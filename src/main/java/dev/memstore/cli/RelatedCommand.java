package dev.memstore.cli;

import dev.memstore.RelatedMemory;
import dev.memstore.internal.json.WireFormat;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "related",
    mixinStandardHelpOptions = true,
    description = "Lists the memories linked to a memory, in both directions.")
final class RelatedCommand extends StoreCommand {
  @Parameters(paramLabel = "ID", description = "The memory's id.")
  private String memoryId;

  @Option(names = "--type", paramLabel = "TYPE", description = "Only links of this type.")
  private String type;

  @Override
  public Integer call() {
    return show(
        Access.READ_ONLY,
        store -> store.links().related(memoryId, type),
        related -> listJson("related_memories", related, WireFormat::related),
        RelatedCommand::printText);
  }

  private static void printText(PrintWriter out, List<RelatedMemory> related, Instant now) {
    TextTable table = new TextTable("LINK", "DIRECTION", "TYPE", "STRENGTH", "ID", "TEXT");
    for (RelatedMemory link : related) {
      table.add(
          String.valueOf(link.relationship().id()),
          link.outgoing() ? "->" : "<-",
          link.relationship().type(),
          MemoryViews.importance(link.relationship().strength()),
          link.memory().id(),
          MemoryViews.truncate(
              MemoryViews.oneLine(link.memory().content()), MemoryViews.TEXT_WIDTH));
    }
    table.printUnlessEmpty(out);
    out.println(MemoryViews.count(related.size(), "related memory", "related memories"));
  }
}
