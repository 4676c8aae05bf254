package dev.memstore.cli;

import dev.memstore.MemoryStore;
import dev.memstore.internal.json.Json;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "unlink",
    mixinStandardHelpOptions = true,
    description = "Removes a link by the id link or related printed.")
final class UnlinkCommand implements Callable<Integer> {
  @ParentCommand private Memctl memctl;
  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "LINK", description = "The link's id.")
  private long relationshipId;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (MemoryStore store = memctl.openExisting()) {
      if (!store.removeRelationship(relationshipId)) {
        throw new CliException(ExitCodes.NOT_FOUND, "no link " + relationshipId);
      }
    }
    if (memctl.json()) {
      var json = Json.MAPPER.createObjectNode();
      json.put("relationship_id", relationshipId);
      json.put("removed", true);
      out.println(Json.write(json));
    } else {
      out.println("removed link " + relationshipId);
    }
    return ExitCodes.OK;
  }
}
