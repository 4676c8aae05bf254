package dev.memstore.cli;

import dev.memstore.MemoryStore;
import dev.memstore.StoreStats;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "reembed",
    mixinStandardHelpOptions = true,
    description = {
      "Moves the store's vectors to another bundled embedding model.",
      "Resumable: when interrupted, run it again and it goes on where it stopped.",
      "Close other processes that use the store first."
    })
final class ReembedCommand extends StoreCommand {
  @Option(
      names = "--model",
      required = true,
      paramLabel = "NAME",
      description = "all-minilm-l6-v2-q or bge-small-en-v1.5-q.")
  private String model;

  @Override
  public Integer call() {
    PrintWriter out = out();
    PrintWriter err = err();
    boolean terminal = System.console() != null;
    long[] moved = {0};
    try (MemoryStore store =
        memctl()
            .build(
                memctl()
                    .builderOfExisting()
                    .embeddingModel(model)
                    .reembedIfModelChanged(
                        progress -> {
                          moved[0] = progress.embedded();
                          if (terminal) {
                            err.printf(
                                "\rreembed: %d of %d memories",
                                progress.embedded(), progress.total());
                            err.flush();
                          }
                        }))) {
      if (terminal && moved[0] > 0) {
        err.println();
      }
      StoreStats stats = store.file().stats();
      if (json()) {
        out.printf(
            "{\"embedding_model\":\"%s\",\"embedding_dimension\":%d,\"embedded_memories\":%d,\"reembedded\":%d}%n",
            stats.embeddingModel(), stats.embeddingDimension(), stats.embeddedMemories(), moved[0]);
      } else {
        out.println(
            moved[0] > 0
                ? "moved "
                    + MemoryViews.count(moved[0], "memory", "memories")
                    + " to "
                    + stats.embeddingModel()
                : "the store already uses " + stats.embeddingModel());
      }
    }
    return ExitCodes.OK;
  }
}
