package dev.memstore.cli;

import dev.memstore.MemoryStore;
import dev.memstore.Summary;
import dev.memstore.internal.json.Json;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "summarize",
    mixinStandardHelpOptions = true,
    description = {
      "Summarizes the memories the filter options select (a session with --session), at most",
      "10,000, with the store's summarizer; stores nothing."
    })
final class SummarizeCommand implements Callable<Integer> {
  @ParentCommand private Memctl memctl;
  @Spec private CommandSpec spec;

  @Mixin private FilterOptions filterOptions;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (MemoryStore store = memctl.openReadOnly()) {
      Summary summary = store.summarize(filterOptions.builder(spec).build());
      if (memctl.json()) {
        var json = Json.MAPPER.createObjectNode();
        json.put("summary", summary.text());
        json.put("memory_count", summary.memoryCount());
        json.put("from", Json.formatInstant(summary.from()));
        json.put("until", Json.formatInstant(summary.until()));
        summary.memoryIds().forEach(json.putArray("memory_ids")::add);
        out.println(Json.write(json));
      } else {
        out.println(summary.text());
      }
    }
    return ExitCodes.OK;
  }
}
