package dev.memstore.cli;

import dev.memstore.MemoryStore;
import dev.memstore.Summary;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.json.WireFormat;
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
      "Summarizes the memories the filter options select; stores nothing.",
      "At most 10,000 memories (a session's with --session), with the store's summarizer."
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
        out.println(Json.write(WireFormat.summary(summary)));
      } else {
        out.println(TerminalText.lines(summary.text()));
      }
    }
    return ExitCodes.OK;
  }
}
