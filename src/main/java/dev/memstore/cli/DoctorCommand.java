package dev.memstore.cli;

import dev.memstore.MemoryStore;
import dev.memstore.StorageException;
import dev.memstore.StoreHealth;
import dev.memstore.internal.json.WireFormat;
import dev.memstore.internal.storage.Snapshot;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Checks the file and, with --repair, rebuilds its indexes.",
      "Runs SQLite's integrity check, compares the full-text index and the sqlite-vec table with"
          + " the memories, and counts memories waiting for an embedding. --repair rebuilds the"
          + " indexes and embeds what waits (safe: it only rebuilds what derives from the"
          + " memories). Warns about the snapshot and the backups it recorded when they still"
          + " hold memories forgotten since they were made. Exits 0 when healthy (after the"
          + " repair; warnings do not count), 1 when problems remain."
    })
final class DoctorCommand extends StoreCommand {
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
    PrintWriter out = out();
    StoreHealth health;
    // The full-text index's own check is a write command: a full check opens the file writable.
    try (MemoryStore store = open(repair || full ? Access.EXISTING : Access.READ_ONLY)) {
      health = repair ? store.file().repair() : store.file().health(full);
    } catch (StorageException e) {
      if (json() || Snapshot.inspect(memctl().storePath()) == null) {
        throw e;
      }
      out.println("problem: " + e.getMessage());
      printSnapshotAdvice(out);
      return ExitCodes.ERROR;
    }
    if (json()) {
      printJson(WireFormat.health(health));
    } else {
      new KeyValues()
          .add("score", String.format(Locale.ROOT, "%.2f", health.score()))
          .add("integrity", health.integrityOk() ? "ok" : "FAILED")
          .add("full-text index", health.fullTextConsistent() ? "consistent" : "inconsistent")
          .add("vector table", health.vectorsConsistent() ? "consistent" : "inconsistent")
          .add("waiting for embedding", health.memoriesWithoutEmbedding())
          .print(out, "");
      health.issues().forEach(issue -> out.println("problem: " + issue));
      health.warnings().forEach(warning -> out.println("warning: " + warning));
      if (!health.integrityOk()) {
        printSnapshotAdvice(out);
      }
      out.println(
          health.isHealthy()
              ? "healthy"
              : MemoryViews.count(health.issues().size(), "problem", "problems"));
    }
    return health.isHealthy() ? ExitCodes.OK : ExitCodes.ERROR;
  }

  /**
   * The store file is damaged: says whether the snapshot the store keeps beside it can replace it.
   */
  private void printSnapshotAdvice(PrintWriter out) {
    Path file = memctl().storePath();
    Snapshot.Inspection snapshot = Snapshot.inspect(file);
    if (snapshot == null) {
      return;
    }
    String name = snapshot.path().getFileName().toString();
    if (!snapshot.sound()) {
      out.println(
          "snapshot: "
              + name
              + " is damaged too ("
              + snapshot.check()
              + "); restore the file from a backup");
      return;
    }
    out.println(
        "snapshot: "
            + name
            + " is sound and complete: "
            + snapshot.memories()
            + " memories as of "
            + snapshot.written()
            + " (newer writes are only in the damaged "
            + file.getFileName()
            + ")");
    out.println(
        "restore it: stop every process using the store, then copy "
            + snapshot.path()
            + " to "
            + file
            + " and delete "
            + file.getFileName()
            + "-wal and "
            + file.getFileName()
            + "-shm if present");
  }
}
