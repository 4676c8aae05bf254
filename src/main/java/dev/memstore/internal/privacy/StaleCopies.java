package dev.memstore.internal.privacy;

import dev.memstore.internal.json.Json;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.ForgettingQueries;
import dev.memstore.internal.storage.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the copies of the file that still hold forgotten memories: the snapshot beside it and the
 * backups the store recorded that still exist. Each is opened read-only and searched for the
 * tombstoned ids, and for the tombstoned content keys of memories created before their forget (the
 * same words said again later are a new memory). Holding one means the copy was made before that
 * forget. Copies made some other way (a plain copy, an export) are beyond its sight.
 */
public final class StaleCopies {
  private StaleCopies() {}

  /** A copy, what it is called in a warning, when it was made if known, and what to do. */
  private record Copy(Path path, String kind, String made, String remedy) {}

  /** Returns one warning per stale copy, naming it and what to do; empty when none is. */
  public static List<String> warnings(Database database) {
    List<ForgettingQueries.Tombstone> tombstones = database.read(ForgettingQueries::tombstones);
    if (tombstones.isEmpty()) {
      return List.of();
    }
    List<Copy> copies = new ArrayList<>();
    Path snapshot = Snapshot.pathOf(database.path());
    if (Files.isRegularFile(snapshot)) {
      copies.add(
          new Copy(
              snapshot,
              "the snapshot",
              "",
              "delete it (the store makes a new one after its next write)"));
    }
    for (ForgettingQueries.RecordedBackup backup : database.read(ForgettingQueries::backups)) {
      Path path = Path.of(backup.path());
      if (Files.isRegularFile(path)) {
        copies.add(
            new Copy(
                path,
                "the backup",
                " (made " + Json.formatInstant(Instant.ofEpochMilli(backup.madeAt())) + ")",
                "delete it, or make a new backup (memctl backup) and delete this one"));
      }
    }
    Map<String, Long> byId = new HashMap<>();
    Map<String, Long> byKey = ForgettingQueries.contentKeys(tombstones);
    tombstones.forEach(tombstone -> byId.put(tombstone.memoryId(), tombstone.forgottenAt()));
    List<String> warnings = new ArrayList<>();
    for (Copy copy : copies) {
      List<ForgettingQueries.CopiedMemory> found =
          ForgettingQueries.findIn(copy.path(), byId.keySet(), byKey.keySet());
      if (found == null) {
        continue;
      }
      long held = 0;
      long newest = 0;
      for (ForgettingQueries.CopiedMemory memory : found) {
        Long forgottenAt = byId.get(memory.id());
        Long keyForgottenAt = memory.contentKey() == null ? null : byKey.get(memory.contentKey());
        if (forgottenAt == null && keyForgottenAt != null && memory.createdAt() < keyForgottenAt) {
          forgottenAt = keyForgottenAt;
        }
        if (forgottenAt != null) {
          held++;
          newest = Math.max(newest, forgottenAt);
        }
      }
      if (held > 0) {
        warnings.add(
            copy.kind()
                + " "
                + copy.path()
                + copy.made()
                + " still holds "
                + held
                + (held == 1 ? " memory" : " memories")
                + " forgotten after it was made (the latest forget at "
                + Json.formatInstant(Instant.ofEpochMilli(newest))
                + "): "
                + copy.remedy());
      }
    }
    return warnings;
  }
}
