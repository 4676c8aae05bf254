package dev.memstore.internal.transfer;

import dev.memstore.Memory;
import dev.memstore.MemoryType;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.storage.ContentKeys;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.ForgettingQueries;
import dev.memstore.internal.storage.Sql;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an import does with memories the store forgot: a memory with a tombstoned id, or with a
 * tombstoned content key and created before that forget (the same words said again later are a new
 * memory), is refused, and so are references to it; with the allowance it comes in, and its
 * tombstones go once the import is written. Not thread-safe: one import uses it.
 */
final class Tombstoned {
  private final boolean allowForgotten;
  private final Set<String> ids = new HashSet<>();
  private final Map<String, Long> contentKeys;
  private final Set<String> refused = new LinkedHashSet<>();
  private final Set<String> allowedIds = new HashSet<>();
  private final Set<String> allowedKeys = new HashSet<>();

  Tombstoned(Database database, boolean allowForgotten) {
    this.allowForgotten = allowForgotten;
    List<ForgettingQueries.Tombstone> tombstones = database.read(ForgettingQueries::tombstones);
    tombstones.forEach(tombstone -> ids.add(tombstone.memoryId()));
    this.contentKeys = ForgettingQueries.contentKeys(tombstones);
  }

  /**
   * Returns whether the memory is refused as forgotten (and notes it); a forgotten memory that is
   * allowed back is noted for its tombstones to go.
   */
  boolean refuses(Memory memory) {
    String key = ContentKeys.of(memory);
    Long keyForgottenAt = contentKeys.get(key);
    boolean forgotten =
        ids.contains(memory.id())
            || (keyForgottenAt != null && memory.createdAt().toEpochMilli() < keyForgottenAt);
    if (forgotten && !allowForgotten) {
      refused.add(memory.id());
      return true;
    }
    if (forgotten) {
      allowedIds.add(memory.id());
      allowedKeys.add(key);
    }
    return false;
  }

  /**
   * Whether a reference names a forgotten memory that this import leaves out: refused earlier in
   * the file, or tombstoned and not let back in.
   */
  boolean refusesReference(String memoryId) {
    return refused.contains(memoryId) || (!allowForgotten && ids.contains(memoryId));
  }

  /**
   * Returns a session's summary, or null when it is the text of a forgotten summary memory (which
   * has the session's user and the type {@code episodic}).
   */
  String sessionSummary(String summary, String userId, String sessionId, long createdAt) {
    if (summary == null || allowForgotten) {
      return summary;
    }
    Long forgottenAt =
        contentKeys.get(ContentKeys.of(summary, MemoryType.EPISODIC, userId, sessionId));
    return forgottenAt != null && createdAt < forgottenAt ? null : summary;
  }

  /** Returns the ids of the memories refused, in file order. */
  List<String> refused() {
    return List.copyOf(refused);
  }

  /** Drops the tombstones of the forgotten memories that were let back in. */
  void dropAllowed(Database database) {
    if (allowedIds.isEmpty()) {
      return;
    }
    database.write(
        connection -> {
          ForgettingQueries.dropTombstones(connection, allowedIds);
          Sql.update(
              connection,
              "delete from tombstones where content_key in (select value from json_each(?))",
              Json.write(allowedKeys));
          return null;
        });
  }
}
