package dev.memstore.cli;

import dev.memstore.MemoryStore;
import dev.memstore.internal.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "unlink",
    mixinStandardHelpOptions = true,
    description = "Removes a link by the id link or related printed.")
final class UnlinkCommand extends StoreCommand {
  @Parameters(paramLabel = "LINK", description = "The link's id.")
  private long relationshipId;

  @Override
  public Integer call() {
    try (MemoryStore store = open(Access.EXISTING)) {
      if (!store.links().remove(relationshipId)) {
        throw new CliException(ExitCodes.NOT_FOUND, "no link " + relationshipId);
      }
    }
    if (json()) {
      var json = Json.MAPPER.createObjectNode();
      json.put("relationship_id", relationshipId);
      json.put("removed", true);
      printJson(json);
    } else {
      out().println("removed link " + relationshipId);
    }
    return ExitCodes.OK;
  }
}
