package dev.memstore.cli;

import dev.memstore.HistoryEntry;
import dev.memstore.MemoryStore;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.json.WireFormat;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description =
        "Prints what happened to a memory, oldest first; a deleted memory keeps one entry.")
final class HistoryCommand implements Callable<Integer> {
  @ParentCommand private Memctl memctl;
  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The memory's id.")
  private String memoryId;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (MemoryStore store = memctl.openReadOnly()) {
      List<HistoryEntry> entries = store.history(memoryId);
      if (memctl.json()) {
        var json = Json.MAPPER.createObjectNode();
        var array = json.putArray("history");
        entries.forEach(entry -> array.add(WireFormat.history(entry)));
        out.println(Json.write(json));
        return ExitCodes.OK;
      }
      Instant now = store.config().clock().instant();
      TextTable table = new TextTable("WHEN", "ACTION", "CHANGES");
      for (HistoryEntry entry : entries) {
        StringBuilder changes = new StringBuilder();
        entry
            .changes()
            .forEach(
                (field, change) ->
                    changes
                        .append(changes.isEmpty() ? "" : "; ")
                        .append(field)
                        .append(": ")
                        .append(Json.write(change.from()))
                        .append(" -> ")
                        .append(Json.write(change.to())));
        table.add(
            MemoryViews.ago(entry.at(), now),
            entry.action().wireName(),
            MemoryViews.truncate(changes.toString(), 100));
      }
      table.print(out, "");
    }
    return ExitCodes.OK;
  }
}
