package dev.memstore;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One change in the life of a memory. A deleted memory keeps only its {@code DELETED} entry: its
 * earlier entries are removed with it, so no old text outlives the delete.
 *
 * @param sequence the entry's position in the store's history, increasing
 * @param memoryId the memory
 * @param action what happened
 * @param at when
 * @param changes for updates and reinforcements, each changed field with its value before and after
 *     (wire names)
 */
public record HistoryEntry(
    long sequence, String memoryId, Action action, Instant at, Map<String, Change> changes) {

  /** What happened to a memory. */
  public enum Action {
    CREATED,
    UPDATED,
    REINFORCED,
    PROMOTED,
    ARCHIVED,
    CONSOLIDATED,
    DELETED;

    /** Returns the name on the wire, for example {@code created}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A field's value before and after a change, as JSON values.
   *
   * @param from the value before, or null
   * @param to the value after, or null
   */
  public record Change(Object from, Object to) {}

  public HistoryEntry {
    changes =
        changes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(changes));
  }
}
