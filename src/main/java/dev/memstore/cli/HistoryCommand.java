package dev.memstore.cli;

import dev.memstore.HistoryEntry;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.json.WireFormat;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description =
        "Prints what happened to a memory, oldest first; a deleted memory keeps one entry.")
final class HistoryCommand extends StoreCommand {
  @Parameters(paramLabel = "ID", description = "The memory's id.")
  private String memoryId;

  @Override
  public Integer call() {
    return show(
        Access.READ_ONLY,
        store -> store.history(memoryId),
        entries -> listJson("history", entries, WireFormat::history),
        HistoryCommand::printText);
  }

  private static void printText(PrintWriter out, List<HistoryEntry> entries, Instant now) {
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
}
