package dev.memstore.cli;

import dev.memstore.MemoryStore;
import dev.memstore.internal.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a complete, checked copy of the store to a new FILE.",
      "Other processes keep reading and writing meanwhile; - writes the copy to standard output."
          + " The store records a copy written to a file (not with --read-only), so that doctor"
          + " warns when it still holds memories forgotten after it was made."
    })
final class BackupCommand extends StoreCommand {
  @Parameters(paramLabel = "FILE", description = "Where to write the copy; - for standard output.")
  private String target;

  @Override
  public Integer call() throws IOException {
    boolean toStandardOutput = target.equals("-");
    Path file =
        toStandardOutput
            ? Files.createTempDirectory("memctl-backup").resolve("backup.db")
            : OutputFile.check(
                memctl().storePath(), target, false, "; a backup never replaces one");
    // A backup to a file is recorded in the store, so that doctor can warn when it still holds
    // memories forgotten later; one to standard output cannot be followed, and changes nothing.
    try (MemoryStore store = open(toStandardOutput ? Access.READ_ONLY : Access.EXISTING)) {
      store.file().backup(file);
    }
    if (toStandardOutput) {
      try (OutputStream out = memctl().binaryOutput()) {
        Files.copy(file, out);
      } finally {
        Files.deleteIfExists(file);
        Files.deleteIfExists(file.getParent());
      }
      return ExitCodes.OK;
    }
    PrintWriter out = out();
    if (json()) {
      var json = Json.MAPPER.createObjectNode();
      json.put("backup", file.toString());
      json.put("bytes", Files.size(file));
      printJson(json);
    } else {
      out.println(
          "backed up to "
              + TerminalText.line(file.toString())
              + " ("
              + StatsView.bytes(Files.size(file))
              + ")");
    }
    return ExitCodes.OK;
  }
}
