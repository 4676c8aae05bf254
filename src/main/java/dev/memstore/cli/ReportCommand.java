package dev.memstore.cli;

import dev.memstore.MemoryStore;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.storage.StoreFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a report on the store as one self-contained HTML page.",
      "Makeup by type, tier, user and session; importance and decay; growth and deletions per"
          + " day; the most recalled memories; maintenance runs; search latency and hit rates;"
          + " the relationships of one memory. The page loads nothing from the network and runs"
          + " no script. Opens the store read-only."
    })
final class ReportCommand extends StoreCommand {
  @Option(
      names = "--html",
      paramLabel = "FILE",
      required = true,
      description = "Where to write the page.")
  private String target;

  @Option(
      names = "--memory",
      paramLabel = "ID",
      description = "The memory whose relationships are drawn (default: the most linked one).")
  private String memoryId;

  @Option(
      names = "--probes",
      paramLabel = "N",
      defaultValue = "20",
      description =
          "Keyword searches to time, built from the newest memories' words (default: 20; 0 for"
              + " none).")
  private int probes;

  @Option(names = "--force", description = "Replace FILE if it exists.")
  private boolean force;

  @Override
  public Integer call() throws IOException {
    if (probes < 0 || probes > 1000) {
      throw new CliException(ExitCodes.USAGE, "--probes must be between 0 and 1000, was " + probes);
    }
    // Checked before the store opens: --force onto the store itself would replace the database.
    Path file = OutputFile.check(memctl().storePath(), target, force, " or add --force");
    ReportData data;
    try (MemoryStore store = open(Access.READ_ONLY)) {
      data = ReportData.collect(store, memctl().storePath(), memoryId, probes);
    }
    String page = HtmlReport.render(data);
    // Written beside the target and renamed: the target is whole or untouched. It quotes
    // memories, so it is the owner's alone, like the store.
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    Files.deleteIfExists(partial);
    StoreFiles.createOwnerOnly(partial);
    try {
      Files.writeString(partial, page, StandardCharsets.UTF_8);
      Files.move(
          partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    if (json()) {
      printJson(
          Json.MAPPER.valueToTree(
              Map.of(
                  "file",
                  file.toString(),
                  "bytes",
                  page.getBytes(StandardCharsets.UTF_8).length,
                  "charts",
                  HtmlReport.CHARTS.size())));
    } else {
      out().println("wrote " + file);
    }
    return ExitCodes.OK;
  }
}
