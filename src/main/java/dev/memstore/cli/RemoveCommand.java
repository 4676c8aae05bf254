package dev.memstore.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memstore.internal.json.Json;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "rm",
    mixinStandardHelpOptions = true,
    description = {
      "Deletes memories with their children and prints the ids deleted.",
      "All of them or, when an id does not exist, none."
    })
final class RemoveCommand extends StoreCommand {
  @Parameters(arity = "1..*", paramLabel = "ID", description = "The ids to delete.")
  private List<String> memoryIds;

  @Option(
      names = "--no-cascade",
      description = "Keep the children: detach them instead of deleting them.")
  private boolean noCascade;

  @Override
  public Integer call() {
    return print(
        runOnStore(
            Access.CREATE, store -> store.deleteAll(new LinkedHashSet<>(memoryIds), !noCascade)),
        RemoveCommand::json,
        (out, deleted) -> deleted.forEach(out::println));
  }

  private static ObjectNode json(List<String> deleted) {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("deleted_count", deleted.size());
    deleted.forEach(json.putArray("memory_ids")::add);
    return json;
  }
}
