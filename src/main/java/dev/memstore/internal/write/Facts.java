package dev.memstore.internal.write;

import dev.memstore.HistoryEntry;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryNotFoundException;
import dev.memstore.NewMemory;
import dev.memstore.ValidationException;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.storage.HistoryQueries;
import dev.memstore.internal.storage.MemoryQueries;
import dev.memstore.internal.storage.Sql;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The validity intervals of keyed facts. The facts of one key form a chain in time: a new fact
 * takes the place of the fact that was valid at its {@code valid_from} (which ends there and names
 * it in {@code superseded_by}) and inherits that fact's end. So a new fact usually becomes the
 * current one, and a late report of an older fact slots in before the newer facts without
 * superseding them. Nothing is deleted; every change leaves an {@code updated} history entry.
 */
public final class Facts {
  /** A fact of a key: in the file ({@code batchIndex} -1) or earlier in the batch being stored. */
  private static final class Fact {
    final String id;
    final long validFrom;
    Long validTo;
    String supersededBy;
    final int batchIndex;

    Fact(String id, long validFrom, Long validTo, String supersededBy, int batchIndex) {
      this.id = id;
      this.validFrom = validFrom;
      this.validTo = validTo;
      this.supersededBy = supersededBy;
      this.batchIndex = batchIndex;
    }

    boolean holds(long instant) {
      return validFrom <= instant && (validTo == null || validTo > instant);
    }

    boolean isEmpty() {
      return validTo != null && validTo <= validFrom;
    }
  }

  private Facts() {}

  /**
   * Checks a new memory's fact key and start.
   *
   * @throws ValidationException naming {@code fact_key} or {@code valid_from}
   */
  static void check(NewMemory memory) {
    Validator.factKey(memory.factKey());
    Instant validFrom = memory.validFrom();
    if (validFrom == null) {
      return;
    }
    if (memory.factKey() == null) {
      throw new ValidationException(
          "valid_from", "valid_from needs a fact_key: only a keyed fact has a validity interval");
    }
    if (validFrom.isBefore(MemoryFilter.EARLIEST) || validFrom.isAfter(MemoryFilter.LATEST)) {
      throw new ValidationException(
          "valid_from", "valid_from must be between years 0000 and 9999, was " + validFrom);
    }
  }

  /** Returns when a new memory's fact starts: its own time, or its creation; null without a key. */
  static Instant validFrom(NewMemory memory, Instant now) {
    if (memory.factKey() == null) {
      return null;
    }
    return memory.validFrom() == null ? now : memory.validFrom().truncatedTo(ChronoUnit.MILLIS);
  }

  /**
   * Returns what makes a new memory a repeat of a live one: its normalized text and fact key. The
   * same text stated as another fact, or without a key, is a new memory.
   */
  static String repeatKey(String contentKey, String factKey) {
    return contentKey == null ? null : factKey == null ? contentKey : contentKey + "\n" + factKey;
  }

  /**
   * Returns the live memories, current facts or without a key, whose texts are among the content
   * keys, by {@link #repeatKey}: those a new memory of the same text and key would repeat.
   */
  static Map<String, String> liveRepeats(
      Connection connection, List<String> contentKeys, long now) {
    Map<String, String> existing = new HashMap<>();
    Sql.query(
        connection,
        "select content_key, fact_key, id from memories"
            + " where content_key in (select value from json_each(?))"
            + " and archived_at is null and valid_to is null"
            + " and (expires_at is null or expires_at > ?)",
        row ->
            existing.putIfAbsent(repeatKey(row.getString(1), row.getString(2)), row.getString(3)),
        Json.write(new LinkedHashSet<>(contentKeys.stream().filter(Objects::nonNull).toList())),
        now);
    return existing;
  }

  /**
   * Checks an imported memory's fact fields: a key with a start, and an end only after it together
   * with the fact that ended it; a memory without a key has none. An import keeps the chains of its
   * facts as they were exported.
   *
   * @throws ValidationException naming the field
   */
  public static void checkImported(Memory memory) {
    if (memory.factKey() == null) {
      if (memory.validFrom() != null || memory.validTo() != null || memory.supersededBy() != null) {
        throw new ValidationException(
            "fact_key", "valid_from, valid_to and superseded_by need a fact_key");
      }
      return;
    }
    if (memory.validFrom() == null) {
      throw new ValidationException("valid_from", "a fact needs valid_from");
    }
    if (memory.validTo() != null && memory.validTo().isBefore(memory.validFrom())) {
      throw new ValidationException("valid_to", "valid_to is before valid_from");
    }
    if ((memory.validTo() == null) != (memory.supersededBy() == null)) {
      throw new ValidationException(
          "superseded_by",
          "a superseded fact has both valid_to and superseded_by, a current one neither");
    }
  }

  /**
   * Places new memories (not yet inserted) in the chains of their fact keys, in the caller's
   * transaction: supersedes the facts in the file that they replace (adding each to {@code ended}
   * with the id of the fact that ended it), and returns the memories with their own validity end
   * (null unless a newer fact already exists).
   */
  static List<Memory> placeAll(
      Connection connection, List<Memory> memories, Instant now, Map<String, String> ended) {
    if (memories.stream().allMatch(memory -> memory.factKey() == null)) {
      return memories;
    }
    List<Memory> placed = new ArrayList<>(memories);
    Map<String, List<Fact>> chains = new HashMap<>();
    for (int index = 0; index < placed.size(); index++) {
      Memory memory = placed.get(index);
      if (memory.factKey() == null) {
        continue;
      }
      List<Fact> chain = chains.computeIfAbsent(memory.factKey(), key -> load(connection, key));
      long from = memory.validFrom().toEpochMilli();
      Fact covering = null;
      Fact next = null;
      for (Fact fact : chain) {
        // Later facts win ties: the chain is in storing order.
        if (fact.holds(from) && (covering == null || fact.validFrom >= covering.validFrom)) {
          covering = fact;
        }
        if (!fact.isEmpty()
            && fact.validFrom > from
            && (next == null || fact.validFrom < next.validFrom)) {
          next = fact;
        }
      }
      Long validTo;
      String supersededBy;
      if (covering != null) {
        validTo = covering.validTo;
        supersededBy = covering.supersededBy;
        end(connection, placed, covering, from, memory.id(), now);
        if (covering.batchIndex < 0) {
          ended.put(covering.id, memory.id());
        }
      } else {
        validTo = next == null ? null : next.validFrom;
        supersededBy = next == null ? null : next.id;
      }
      Memory stored =
          memory.toBuilder()
              .validTo(validTo == null ? null : Instant.ofEpochMilli(validTo))
              .supersededBy(supersededBy)
              .build();
      placed.set(index, stored);
      chain.add(new Fact(stored.id(), from, validTo, supersededBy, index));
    }
    return placed;
  }

  /**
   * Makes a superseded fact current again, in the caller's transaction: the current fact of its key
   * (if another) ends where it began, as if it had never held, and names the restored one. Returns
   * the ids changed, the restored one first.
   *
   * @throws MemoryNotFoundException when no memory has the id
   * @throws ValidationException naming {@code memory_id} when it is no keyed fact
   */
  public static List<String> restore(Connection connection, String memoryId, Instant now) {
    Object[] row =
        Sql.queryFirst(
            connection,
            "select fact_key, valid_to, superseded_by from memories where id = ?",
            result -> new Object[] {result.getString(1), result.getObject(2), result.getString(3)},
            memoryId);
    if (row == null) {
      throw new MemoryNotFoundException(memoryId);
    }
    String key = (String) row[0];
    if (key == null) {
      throw new ValidationException(
          "memory_id", "memory " + memoryId + " states no keyed fact; only a fact can be restored");
    }
    List<String> changed = new ArrayList<>();
    if (row[1] == null) {
      return changed;
    }
    List<Fact> current = new ArrayList<>();
    for (Fact fact : load(connection, key)) {
      if (fact.validTo == null && !fact.id.equals(memoryId)) {
        current.add(fact);
      }
    }
    changed.add(memoryId);
    change(connection, memoryId, toInstant((Number) row[1]), (String) row[2], null, null, now);
    for (Fact fact : current) {
      change(connection, fact.id, null, null, Instant.ofEpochMilli(fact.validFrom), memoryId, now);
      changed.add(fact.id);
    }
    return changed;
  }

  private static void end(
      Connection connection,
      List<Memory> placed,
      Fact fact,
      long validTo,
      String supersededBy,
      Instant now) {
    Long oldValidTo = fact.validTo;
    String oldSupersededBy = fact.supersededBy;
    fact.validTo = validTo;
    fact.supersededBy = supersededBy;
    if (fact.batchIndex >= 0) {
      Memory memory = placed.get(fact.batchIndex);
      placed.set(
          fact.batchIndex,
          memory.toBuilder()
              .validTo(Instant.ofEpochMilli(validTo))
              .supersededBy(supersededBy)
              .build());
      return;
    }
    change(
        connection,
        fact.id,
        oldValidTo == null ? null : Instant.ofEpochMilli(oldValidTo),
        oldSupersededBy,
        Instant.ofEpochMilli(validTo),
        supersededBy,
        now);
  }

  private static void change(
      Connection connection,
      String id,
      Instant oldValidTo,
      String oldSupersededBy,
      Instant validTo,
      String supersededBy,
      Instant now) {
    MemoryQueries.setValidity(connection, id, validTo, supersededBy, now);
    Map<String, HistoryEntry.Change> changes = new LinkedHashMap<>();
    changes.put(
        "valid_to",
        new HistoryEntry.Change(Json.formatInstant(oldValidTo), Json.formatInstant(validTo)));
    changes.put("superseded_by", new HistoryEntry.Change(oldSupersededBy, supersededBy));
    HistoryQueries.add(connection, id, HistoryEntry.Action.UPDATED, now, changes);
  }

  private static Instant toInstant(Number millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis.longValue());
  }

  /** Returns the facts of a key in the file, in storing order. */
  private static List<Fact> load(Connection connection, String key) {
    return new ArrayList<>(
        Sql.query(
            connection,
            "select id, valid_from, valid_to, superseded_by from memories"
                + " where fact_key = ? order by seq",
            row -> {
              long validTo = row.getLong(3);
              Long end = row.wasNull() ? null : validTo;
              return new Fact(row.getString(1), row.getLong(2), end, row.getString(4), -1);
            },
            key));
  }
}
