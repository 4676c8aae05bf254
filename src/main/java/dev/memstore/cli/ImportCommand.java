package dev.memstore.cli;

import dev.memstore.MemoryStore;
import dev.memstore.TransferReport;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.protocol.WireFormat;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Reads an export (FILE, or - for standard input) into the store.",
      "Keeps ids, times and vectors. Every line is checked first: a bad line fails the import"
          + " naming it, and nothing is imported, unless --skip-bad, which imports the rest and"
          + " lists what it skipped. Creates the store file if it is missing."
    })
final class ImportCommand implements Callable<Integer> {
  @ParentCommand private Memctl memctl;
  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The export; - for standard input.")
  private String source;

  @Option(names = "--skip-bad", description = "Skip bad lines instead of refusing the import.")
  private boolean skipBad;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Reader reader;
    long lines = 0;
    if (source.equals("-")) {
      reader = new InputStreamReader(memctl.input(), StandardCharsets.UTF_8);
    } else {
      Path file = Path.of(source);
      if (!Files.isRegularFile(file)) {
        throw new CliException(ExitCodes.ERROR, "no file " + file.toAbsolutePath());
      }
      try (var counted = Files.lines(file, StandardCharsets.UTF_8)) {
        lines = counted.count();
      }
      reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }
    TransferReport report;
    try (MemoryStore store = memctl.openOrCreate();
        Reader input = reader;
        Progress progress = new Progress(err, "importing", lines)) {
      report = store.importFrom(input, skipBad, progress);
    }
    report
        .skippedLines()
        .forEach(line -> err.println("memctl: skipped " + TerminalText.line(line)));
    PrintWriter out = spec.commandLine().getOut();
    if (memctl.json()) {
      out.println(Json.write(WireFormat.transfer(report)));
    } else {
      out.println(
          "imported "
              + ExportCommand.counts(report)
              + (report.skippedLines().isEmpty()
                  ? ""
                  : "; skipped "
                      + MemoryViews.count(report.skippedLines().size(), "bad line", "bad lines"))
              + (report.awaitingEmbedding() == 0
                  ? ""
                  : "; "
                      + MemoryViews.count(
                          report.awaitingEmbedding(), "memory waits", "memories wait")
                      + " to be embedded"));
    }
    return ExitCodes.OK;
  }
}
