package dev.memstore.cli;

import dev.memstore.ForgetPreview;
import dev.memstore.ForgetReceipt;
import dev.memstore.ForgetRequest;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryStore;
import dev.memstore.internal.json.WireFormat;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(
    name = "forget",
    mixinStandardHelpOptions = true,
    description = {
      "Forgets memories for good and prints the receipt.",
      "Selects by --id, by the filter options (--tag, --user, --session, ...) and by --text, the"
          + " best matches of a search (\"what I said about my sister\"); every criterion given"
          + " must hold. Summaries and consolidated memories built from them go too. Removes their"
          + " history, links, vectors and index entries, empties the log and remakes the snapshot;"
          + " an import of an older export will not bring them back (import --allow-forgotten"
          + " does). --dry-run shows what would go; deleting needs --yes. The receipt names what"
          + " was removed, never its content. prune stays for retention."
    })
final class ForgetCommand extends StoreCommand {
  @Option(names = "--id", paramLabel = "ID", description = "This memory (repeatable).")
  private List<String> ids = new ArrayList<>();

  @Mixin private FilterOptions filterOptions;

  @Option(
      names = "--text",
      paramLabel = "TEXT",
      description = "The best matches of a search for TEXT (hybrid: by meaning and by words).")
  private String text;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "With --text: at most N matches, 1 to 1000. Default: ${DEFAULT-VALUE}.")
  private int limit = ForgetRequest.DEFAULT_LIMIT;

  @Option(
      names = "--min-score",
      paramLabel = "X",
      description =
          "With --text: only matches scoring at least X, 0 to 1. Default: half the best match's"
              + " score.")
  private Double minScore;

  @Option(names = "--dry-run", description = "Show what would be forgotten; change nothing.")
  private boolean dryRun;

  @Option(
      names = {"-y", "--yes"},
      description = "Forget without a dry run first.")
  private boolean yes;

  @Override
  public Integer call() {
    ForgetRequest request = request();
    if (dryRun || !yes) {
      // Opened read-only: a preview cannot change a byte of the file.
      try (MemoryStore store = open(Access.READ_ONLY)) {
        ForgetPreview preview = store.privacy().previewForget(request);
        if (!dryRun) {
          throw new CliException(
              ExitCodes.USAGE,
              "nothing forgotten: "
                  + MemoryViews.count(preview.ids().size(), "memory", "memories")
                  + " would go; see them with --dry-run, forget them with --yes");
        }
        if (json()) {
          printJson(WireFormat.forgetPreview(preview));
        } else {
          printPreview(out(), preview, store.config().clock().instant());
        }
      }
      return ExitCodes.OK;
    }
    ForgetReceipt receipt = runOnStore(Access.EXISTING, store -> store.privacy().forget(request));
    return print(receipt, WireFormat::forgetReceipt, ForgetCommand::printReceipt);
  }

  private ForgetRequest request() {
    if (text == null && minScore != null) {
      throw new ParameterException(spec().commandLine(), "--min-score needs --text");
    }
    ForgetRequest.Builder request = ForgetRequest.builder().ids(ids);
    MemoryFilter filter = filterOptions.builder(spec()).build();
    if (!filter.isUnrestricted()) {
      request.filter(filter);
    }
    try {
      if (text != null) {
        request.text(text).limit(limit);
        if (minScore != null) {
          request.minScore(minScore);
        }
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec().commandLine(), "--" + e.getMessage());
    }
    if (ids.isEmpty() && filter.isUnrestricted() && text == null) {
      throw new ParameterException(
          spec().commandLine(),
          "say what to forget: --id, --tag, --user, --session, --text or another filter option");
    }
    return request.build();
  }

  private static void printPreview(PrintWriter out, ForgetPreview preview, Instant now) {
    if (!preview.memories().isEmpty()) {
      MemoryViews.table(preview.memories(), now, false).print(out, "");
    }
    if (!preview.derived().isEmpty()) {
      out.println("built from them, and forgotten with them:");
      MemoryViews.table(preview.derived(), now, false).print(out, "  ");
    }
    out.println("would forget " + MemoryViews.count(preview.ids().size(), "memory", "memories"));
  }

  private static void printReceipt(PrintWriter out, ForgetReceipt receipt) {
    receipt.removedIds().forEach(out::println);
    new KeyValues()
        .add("receipt", receipt.number())
        .add("at", receipt.at().toString())
        .add("memories", receipt.memories())
        .add("history entries", receipt.historyEntries())
        .add("links", receipt.links())
        .add("vectors", receipt.vectors())
        .add("index entries", receipt.indexEntries())
        .add(
            "log",
            receipt.logCleared()
                ? "emptied"
                : "held by a reader; emptied in the background once it lets go")
        .add("snapshot", receipt.snapshotRewritten() ? "made again" : "none")
        .print(out, "");
    out.println(
        "forgot "
            + MemoryViews.count(receipt.memories(), "memory", "memories")
            + "; backups made before still hold them: memctl doctor names those it knows");
  }
}
