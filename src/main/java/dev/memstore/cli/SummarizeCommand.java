package dev.memstore.cli;

import dev.memstore.internal.json.WireFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "summarize",
    mixinStandardHelpOptions = true,
    description = {
      "Summarizes the memories the filter options select; stores nothing.",
      "At most 10,000 memories (a session's with --session), with the store's summarizer."
    })
final class SummarizeCommand extends StoreCommand {
  @Mixin private FilterOptions filterOptions;

  @Override
  public Integer call() {
    return show(
        Access.READ_ONLY,
        store -> store.lifecycle().summarize(filterOptions.builder(spec()).build()),
        WireFormat::summary,
        (out, summary, now) -> out.println(TerminalText.lines(summary.text())));
  }
}
