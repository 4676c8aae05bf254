package dev.memstore;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Something that happened to a memory, told to {@link MemoryListener}s after it was committed.
 * Immutable.
 *
 * @param type what happened
 * @param memoryId the memory it happened to, or null for events about the store (a maintenance run)
 * @param at when it happened, by the store's clock
 * @param details what else is known, by wire name (for example {@code merged_ids} of a
 *     consolidation, or the counts of a maintenance run); never null
 */
public record MemoryEvent(Type type, String memoryId, Instant at, Map<String, Object> details) {

  /** The kinds of events. */
  public enum Type {
    STORED,
    UPDATED,
    DELETED,
    RETRIEVED,
    REINFORCED,
    CONSOLIDATED,
    EXPIRED,
    PROMOTED,
    PRUNED,
    EVICTED,
    ARCHIVED,
    MAINTENANCE_RUN,
    /**
     * A maintenance run would have expired and pruned more than {@link
     * RetentionPolicy#maxDeletionShare()} of the store and kept them all instead; the details say
     * how many it would have deleted of how many. A clock that jumped forward is the likely cause.
     */
    MAINTENANCE_REFUSED;

    /** Returns the name on the wire, for example {@code memory_stored}. */
    public String wireName() {
      return this == MAINTENANCE_RUN || this == MAINTENANCE_REFUSED
          ? name().toLowerCase(Locale.ROOT)
          : "memory_" + name().toLowerCase(Locale.ROOT);
    }
  }

  public MemoryEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    details = JsonValues.freezeObject(details);
  }
}
