package dev.memstore.cli;

import dev.memstore.MemoryStore;
import dev.memstore.TransferReport;
import dev.memstore.internal.json.WireFormat;
import dev.memstore.internal.storage.StoreFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Writes the whole store as JSON Lines to FILE, or - for standard output.",
      "Sessions, memories with embeddings and history, relationships and context groups (README:"
          + " the format). Importing the file into a new store and exporting again gives the same"
          + " bytes."
    })
final class ExportCommand extends StoreCommand {
  @Parameters(paramLabel = "FILE", description = "Where to write; - for standard output.")
  private String target;

  @Option(names = "--force", description = "Replace FILE if it exists.")
  private boolean force;

  /** For example "12 memories, 1 session, 2 relationships and 0 context groups". */
  static String counts(TransferReport report) {
    return MemoryViews.count(report.memories(), "memory", "memories")
        + ", "
        + MemoryViews.count(report.sessions(), "session", "sessions")
        + ", "
        + MemoryViews.count(report.relationships(), "relationship", "relationships")
        + " and "
        + MemoryViews.count(report.contextGroups(), "context group", "context groups");
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter err = err();
    // Checked before the store opens: --force onto the store itself would replace the database.
    Path file =
        target.equals("-")
            ? null
            : OutputFile.check(memctl().storePath(), target, force, " or add --force");
    try (MemoryStore store = open(Access.READ_ONLY)) {
      long total = store.file().stats().totalMemories();
      if (file == null) {
        PrintWriter out = out();
        try (Progress progress = new Progress(err, "exporting", 0)) {
          store.file().exportTo(out, progress);
        }
        return ExitCodes.OK;
      }
      // Written beside the target and renamed: the target is whole or untouched.
      Path partial = file.resolveSibling(file.getFileName() + ".partial");
      TransferReport report;
      // An export holds every memory: the owner's alone, like the store.
      Files.deleteIfExists(partial);
      StoreFiles.createOwnerOnly(partial);
      try (Writer writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8);
          Progress progress = new Progress(err, "exporting", total)) {
        report = store.file().exportTo(writer, progress);
      } catch (RuntimeException | IOException e) {
        Files.deleteIfExists(partial);
        throw e;
      }
      Files.move(
          partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      PrintWriter out = out();
      if (json()) {
        printJson(WireFormat.transfer(report).put("file", file.toString()));
      } else {
        out.println("exported " + counts(report) + " to " + TerminalText.line(file.toString()));
      }
    }
    return ExitCodes.OK;
  }
}
