package dev.memstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memstore.MemoryStore;
import dev.memstore.TransferReport;
import dev.memstore.internal.embed.BundledEmbedder;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.json.WireFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Reads an export (FILE, or - for standard input) into the store.",
      "Keeps ids, times and vectors. Every line is checked first: a bad line fails the import"
          + " naming it, and nothing is imported, unless --skip-bad, which imports the rest and"
          + " lists what it skipped. Creates the store file if it is missing, with the export's"
          + " model (a store that holds no memory takes it too); a failed import leaves no new"
          + " file behind. Memories without a vector for the store's model are embedded with it."
          + " Memories forgotten in the store (memctl forget) are refused and counted, with their"
          + " links; --allow-forgotten brings them back."
    })
final class ImportCommand extends StoreCommand {
  @Parameters(paramLabel = "FILE", description = "The export; - for standard input.")
  private String source;

  @Option(names = "--skip-bad", description = "Skip bad lines instead of refusing the import.")
  private boolean skipBad;

  @Option(
      names = "--allow-forgotten",
      description = "Import memories this store forgot, too, and let them stay.")
  private boolean allowForgotten;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = err();
    Reader reader;
    long lines = 0;
    if (source.equals("-")) {
      reader = new InputStreamReader(memctl().input(), StandardCharsets.UTF_8);
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
    // The header (the first line) names the export's model, which a new store takes.
    BufferedReader buffered = new BufferedReader(reader);
    String first = buffered.readLine();
    Reader input =
        first == null ? buffered : new JoinedReader(new StringReader(first + "\n"), buffered);
    String exportModel = bundledModelOf(first);
    Path path = memctl().storePath();
    boolean existed = Files.exists(path);
    TransferReport report;
    try {
      try (MemoryStore store = open(existed, exportModel);
          Reader closed = input;
          Progress progress = new Progress(err, "importing", lines)) {
        report = store.file().importFrom(closed, skipBad, allowForgotten, progress);
      }
    } catch (RuntimeException | IOException failure) {
      if (!existed) {
        // Nothing of a failed import stays behind: not even the empty file it created.
        for (String suffix : OutputFile.STORE_FILES) {
          Files.deleteIfExists(Path.of(path + suffix));
        }
      }
      throw failure;
    }
    report
        .skippedLines()
        .forEach(line -> err.println("memctl: skipped " + TerminalText.line(line)));
    report
        .forgottenRefused()
        .forEach(id -> err.println("memctl: refused forgotten memory " + TerminalText.line(id)));
    PrintWriter out = out();
    if (json()) {
      printJson(WireFormat.transfer(report));
    } else {
      out.println(
          "imported "
              + ExportCommand.counts(report)
              + (report.skippedLines().isEmpty()
                  ? ""
                  : "; skipped "
                      + MemoryViews.count(report.skippedLines().size(), "bad line", "bad lines"))
              + (report.forgottenRefused().isEmpty()
                  ? ""
                  : "; refused "
                      + MemoryViews.count(
                          report.forgottenRefused().size(),
                          "forgotten memory",
                          "forgotten memories")
                      + " (--allow-forgotten brings them back)")
              + (report.awaitingEmbedding() == 0
                  ? ""
                  : "; "
                      + MemoryViews.count(
                          report.awaitingEmbedding(), "memory waits", "memories wait")
                      + " to be embedded (the model failed; memctl doctor --repair embeds them)"));
    }
    return ExitCodes.OK;
  }

  /**
   * Opens the store; a new one, or one that holds no memory, with the export's model when that is a
   * bundled one, so that the export's vectors are kept instead of embedded again.
   */
  private MemoryStore open(boolean existed, String exportModel) {
    if (exportModel == null || memctl().readOnly()) {
      return open(Access.CREATE);
    }
    if (!existed) {
      return memctl().build(memctl().builderToCreate().embeddingModel(exportModel));
    }
    MemoryStore store = open(Access.CREATE);
    if (exportModel.equals(store.file().stats().embeddingModel())
        || store.file().stats().totalMemories() > 0) {
      return store;
    }
    store.close();
    // Nothing to embed again: this only moves the empty file to the export's model.
    return memctl()
        .build(
            memctl()
                .builderOfExisting()
                .embeddingModel(exportModel)
                .reembedIfModelChanged(progress -> {}));
  }

  /** The bundled model the header line names, or null (no header, or a model of its own). */
  private static String bundledModelOf(String firstLine) {
    if (firstLine == null) {
      return null;
    }
    try {
      JsonNode header = Json.MAPPER.readTree(firstLine);
      if (header == null
          || !"header".equals(header.path("kind").asText())
          || !header.path("embedding_model").isTextual()) {
        return null;
      }
      String model = header.get("embedding_model").textValue();
      return BundledEmbedder.named(model).isPresent() ? model : null;
    } catch (IOException e) {
      return null; // the import names the bad line
    }
  }

  /** Reads one reader to its end, then the other; closes both. */
  private static final class JoinedReader extends Reader {
    private final Reader first;
    private final Reader second;
    private boolean firstDone;

    JoinedReader(Reader first, Reader second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
      if (!firstDone) {
        int read = first.read(buffer, offset, length);
        if (read >= 0) {
          return read;
        }
        firstDone = true;
      }
      return second.read(buffer, offset, length);
    }

    @Override
    public void close() throws IOException {
      try {
        first.close();
      } finally {
        second.close();
      }
    }
  }
}
