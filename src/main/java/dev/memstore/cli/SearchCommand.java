package dev.memstore.cli;

import dev.memstore.MemoryStore;
import dev.memstore.SearchHit;
import dev.memstore.SearchMode;
import dev.memstore.SearchQuery;
import dev.memstore.SearchResult;
import dev.memstore.internal.json.WireFormat;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Finds the memories that match a text best, by meaning, by words or both (the default).",
      "Hits count as accesses of the memories they return, as a get does (not with"
          + " --read-only, which changes no byte)."
    })
final class SearchCommand extends StoreCommand {
  @Mixin private FilterOptions filterOptions;

  @Parameters(paramLabel = "QUERY", description = "What to look for.")
  private String query;

  @Option(
      names = {"-k", "--limit"},
      paramLabel = "N",
      defaultValue = "10",
      description = "Return at most N hits. Default: ${DEFAULT-VALUE}.")
  private int limit;

  @Option(
      names = "--offset",
      paramLabel = "N",
      defaultValue = "0",
      description = "Skip the N best hits. Default: ${DEFAULT-VALUE}.")
  private int offset;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      defaultValue = "hybrid",
      converter = Converters.Mode.class,
      description = "semantic, keyword or hybrid. Default: ${DEFAULT-VALUE}.")
  private SearchMode mode;

  @Option(
      names = "--min-score",
      paramLabel = "X",
      description =
          "Leave out hits whose cosine similarity to the query is below X (-1 to 1), in every"
              + " mode; a memory not embedded yet has none and is left out too.")
  private Double minScore;

  @Option(names = "--explain", description = "Show the parts of each hit's score.")
  private boolean explain;

  @Option(names = "--full", description = "Show the whole text, not the first 60 characters.")
  private boolean fullText;

  @Override
  public Integer call() {
    SearchQuery.Builder builder =
        SearchQuery.builder(query)
            .mode(mode)
            .filter(filterOptions.builder(spec()).build())
            .limit(limit)
            .offset(offset)
            .explain(explain);
    if (minScore != null) {
      builder.minSimilarity(minScore);
    }
    PrintWriter out = out();
    // Not read-only: the store counts every hit as a read, and so does memctl, as get does.
    try (MemoryStore store = open(Access.EXISTING)) {
      SearchResult result = store.search(builder.build());
      if (json()) {
        printJson(WireFormat.searchResult(result));
        return ExitCodes.OK;
      }
      if (result.degraded()) {
        err().println("memctl: " + result.degradation());
      }
      // SCORE ranks the hits; SIMILARITY is the cosine similarity, "-" where not compared.
      TextTable table =
          explain
              ? new TextTable("SCORE", "SIMILARITY", "KEYWORD", "RELEVANCE", "ID", "TYPE", "TEXT")
              : new TextTable("SCORE", "SIMILARITY", "ID", "TYPE", "TEXT");
      for (SearchHit hit : result.hits()) {
        String text = MemoryViews.oneLine(hit.memory().content());
        text = fullText ? text : MemoryViews.truncate(text, MemoryViews.TEXT_WIDTH);
        String score = number(hit.score());
        String similarity = hit.similarity() == null ? "-" : number(hit.similarity());
        if (explain) {
          table.add(
              score,
              similarity,
              hit.parts().keyword() == null ? "-" : number(hit.parts().keyword()),
              number(hit.parts().relevance()),
              hit.memory().id(),
              hit.memory().type().wireName(),
              text);
        } else {
          table.add(score, similarity, hit.memory().id(), hit.memory().type().wireName(), text);
        }
      }
      if (!result.hits().isEmpty()) {
        table.print(out, "");
      }
      out.println(
          (result.hits().isEmpty()
                  ? "no hits"
                  : result.hits().size() + (result.hits().size() == 1 ? " hit" : " hits"))
              + (result.totalCount() > result.hits().size() || !result.totalCountExact()
                  ? " of "
                      + (result.totalCountExact() ? "" : "at least ")
                      + result.totalCount()
                      + " matches"
                  : "")
              + " ("
              + result.mode().wireName()
              + " search"
              + (result.embeddingModel() == null ? "" : ", " + result.embeddingModel())
              + ")");
    }
    return ExitCodes.OK;
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }
}
