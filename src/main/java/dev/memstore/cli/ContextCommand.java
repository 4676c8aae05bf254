package dev.memstore.cli;

import dev.memstore.ContextPack;
import dev.memstore.internal.json.WireFormat;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "context",
    mixinStandardHelpOptions = true,
    description = {
      "Shows what an assistant would put into its prompt for one turn: the profile of the"
          + " session's user (their current facts), the memories most relevant to the query and"
          + " the session's recent conversation, cut to a token budget; as get_context_pack"
          + " answers it.",
      "The relevant memories count as accesses, as search hits do (not with --read-only)."
    })
final class ContextCommand extends StoreCommand {
  @Option(
      names = "--session",
      paramLabel = "ID",
      description = "The session: its user's profile and its recent turns.")
  private String sessionId;

  @Option(
      names = {"-q", "--query"},
      paramLabel = "TEXT",
      description = "What the turn is about: the memories most relevant to it are included.")
  private String query;

  @Option(
      names = "--budget",
      paramLabel = "TOKENS",
      defaultValue = "1000",
      description = "The most tokens the pack may hold (16 to 1000000). Default: ${DEFAULT-VALUE}.")
  private int budget;

  @Override
  public Integer call() {
    return show(
        Access.EXISTING,
        store -> store.contextPack(sessionId, query, budget),
        WireFormat::contextPack,
        ContextCommand::printText);
  }

  private static void printText(PrintWriter out, ContextPack pack, Instant now) {
    if (!pack.text().isEmpty()) {
      out.println(pack.text().stripTrailing());
      out.println();
    }
    out.println(
        pack.estimatedTokens()
            + " tokens: "
            + MemoryViews.count(pack.profile().size(), "profile fact", "profile facts")
            + ", "
            + MemoryViews.count(pack.relevant().size(), "relevant memory", "relevant memories")
            + ", "
            + MemoryViews.count(pack.recent().size(), "recent turn", "recent turns"));
  }
}
