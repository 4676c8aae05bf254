package dev.memstore.cli;

import dev.memstore.internal.json.WireFormat;
import picocli.CommandLine.Command;

@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = "Prints counts of the store's contents and the sizes of its file.")
final class StatsCommand extends StoreCommand {
  @Override
  public Integer call() {
    return show(
        Access.READ_ONLY,
        store -> store.file().stats(),
        WireFormat::stats,
        (out, stats, now) -> StatsView.of(stats, memctl().storePath()).print(out, ""));
  }
}
