package dev.memstore.cli;

import dev.memstore.MemoryStore;
import dev.memstore.Relationship;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.json.WireFormat;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "link",
    mixinStandardHelpOptions = true,
    description =
        "Links one memory to another and prints the link's id (linking again updates it).")
final class LinkCommand implements Callable<Integer> {
  @ParentCommand private Memctl memctl;
  @Spec private CommandSpec spec;

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
    PrintWriter out = spec.commandLine().getOut();
    try (MemoryStore store = memctl.openExisting()) {
      Relationship link = store.addRelationship(sourceId, targetId, type, strength);
      out.println(
          memctl.json() ? Json.write(WireFormat.relationship(link)) : String.valueOf(link.id()));
    }
    return ExitCodes.OK;
  }
}
