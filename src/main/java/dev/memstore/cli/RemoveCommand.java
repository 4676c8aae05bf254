package dev.memstore.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memstore.MemoryStore;
import dev.memstore.internal.json.Json;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "rm",
    mixinStandardHelpOptions = true,
    description = {
      "Deletes memories with their children and prints the ids deleted.",
      "All of them or, when an id does not exist, none."
    })
final class RemoveCommand implements Callable<Integer> {
  @ParentCommand private Memctl memctl;
  @Spec private CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "ID", description = "The ids to delete.")
  private List<String> memoryIds;

  @Option(
      names = "--no-cascade",
      description = "Keep the children: detach them instead of deleting them.")
  private boolean noCascade;

  @Override
  public Integer call() {
    List<String> deleted;
    try (MemoryStore store = memctl.openOrCreate()) {
      deleted = store.deleteAll(new LinkedHashSet<>(memoryIds), !noCascade);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (memctl.json()) {
      ObjectNode json = Json.MAPPER.createObjectNode();
      json.put("deleted_count", deleted.size());
      deleted.forEach(json.putArray("memory_ids")::add);
      out.println(Json.write(json));
    } else {
      deleted.forEach(out::println);
    }
    return ExitCodes.OK;
  }
}
