package dev.memstore.cli;

import dev.memstore.MemoryStore;
import dev.memstore.RelatedMemory;
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
    name = "related",
    mixinStandardHelpOptions = true,
    description = "Lists the memories linked to a memory, in both directions.")
final class RelatedCommand implements Callable<Integer> {
  @ParentCommand private Memctl memctl;
  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The memory's id.")
  private String memoryId;

  @Option(names = "--type", paramLabel = "TYPE", description = "Only links of this type.")
  private String type;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (MemoryStore store = memctl.openReadOnly()) {
      List<RelatedMemory> related = store.relatedMemories(memoryId, type);
      if (memctl.json()) {
        var json = Json.MAPPER.createObjectNode();
        var array = json.putArray("related_memories");
        related.forEach(link -> array.add(WireFormat.related(link)));
        out.println(Json.write(json));
        return ExitCodes.OK;
      }
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
      if (!related.isEmpty()) {
        table.print(out, "");
      }
      out.println(related.size() + (related.size() == 1 ? " related memory" : " related memories"));
    }
    return ExitCodes.OK;
  }
}
