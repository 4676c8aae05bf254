package dev.memstore.cli;

import dev.memstore.MemoryStore;
import dev.memstore.StoreHealth;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.protocol.WireFormat;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Checks the file and, with --repair, rebuilds its indexes.",
      "Runs SQLite's integrity check, compares the full-text index and the sqlite-vec table with"
          + " the memories, and counts memories waiting for an embedding. --repair rebuilds the"
          + " indexes and embeds what waits (safe: it only rebuilds what derives from the"
          + " memories). Exits 0 when healthy (after the repair), 1 when problems remain."
    })
final class DoctorCommand implements Callable<Integer> {
  @ParentCommand private Memctl memctl;
  @Spec private CommandSpec spec;

  @Option(names = "--repair", description = "Rebuild the indexes and embed what waits.")
  private boolean repair;

  @Option(
      names = "--full",
      description =
          "Check thoroughly: SQLite's full integrity_check (every index against its table), the"
              + " full-text index's own check, and the vectors of 500 random memories against the"
              + " model instead of 20. Takes seconds on a large file.")
  private boolean full;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    StoreHealth health;
    // The full-text index's own check is a write command: a full check opens the file writable.
    try (MemoryStore store = repair || full ? memctl.openExisting() : memctl.openReadOnly()) {
      health = repair ? store.repair() : store.health(full);
    }
    if (memctl.json()) {
      out.println(Json.write(WireFormat.health(health)));
    } else {
      new KeyValues()
          .add("score", String.format(java.util.Locale.ROOT, "%.2f", health.score()))
          .add("integrity", health.integrityOk() ? "ok" : "FAILED")
          .add("full-text index", health.fullTextConsistent() ? "consistent" : "inconsistent")
          .add("vector table", health.vectorsConsistent() ? "consistent" : "inconsistent")
          .add("waiting for embedding", health.memoriesWithoutEmbedding())
          .print(out, "");
      health.issues().forEach(issue -> out.println("problem: " + issue));
      out.println(health.isHealthy() ? "healthy" : health.issues().size() + " problem(s)");
    }
    return health.isHealthy() ? ExitCodes.OK : ExitCodes.ERROR;
  }
}
