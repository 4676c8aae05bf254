package dev.memstore.cli;

import dev.memstore.internal.json.WireFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "link",
    mixinStandardHelpOptions = true,
    description =
        "Links one memory to another and prints the link's id (linking again updates it).")
final class LinkCommand extends StoreCommand {
  @Parameters(index = "0", paramLabel = "FROM", description = "The source memory's id.")
  private String sourceId;

  @Parameters(index = "1", paramLabel = "TO", description = "The target memory's id.")
  private String targetId;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      defaultValue = "related_to",
      description = "The link's type. Default: ${DEFAULT-VALUE}.")
  private String type;

  @Option(
      names = "--strength",
      paramLabel = "X",
      defaultValue = "1",
      description = "How strong, 0 to 1. Default: ${DEFAULT-VALUE}.")
  private double strength;

  @Override
  public Integer call() {
    return show(
        Access.EXISTING,
        store -> store.links().add(sourceId, targetId, type, strength),
        WireFormat::relationship,
        (out, link, now) -> out.println(link.id()));
  }
}
