package dev.memstore.cli;

import dev.memstore.MemoryStore;
import dev.memstore.internal.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a complete, checked copy of the store to a new FILE.",
      "Other processes keep reading and writing meanwhile; - writes the copy to standard output."
    })
final class BackupCommand implements Callable<Integer> {
  @ParentCommand private Memctl memctl;
  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "Where to write the copy; - for standard output.")
  private String target;

  @Override
  public Integer call() throws IOException {
    boolean toStandardOutput = target.equals("-");
    Path file =
        toStandardOutput
            ? Files.createTempDirectory("memctl-backup").resolve("backup.db")
            : OutputFile.check(memctl.storePath(), target, false, "; a backup never replaces one");
    try (MemoryStore store = memctl.openReadOnly()) {
      store.backup(file);
    }
    if (toStandardOutput) {
      try (OutputStream out = memctl.binaryOutput()) {
        Files.copy(file, out);
      } finally {
        Files.deleteIfExists(file);
        Files.deleteIfExists(file.getParent());
      }
      return ExitCodes.OK;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (memctl.json()) {
      var json = Json.MAPPER.createObjectNode();
      json.put("backup", file.toString());
      json.put("bytes", Files.size(file));
      out.println(Json.write(json));
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
