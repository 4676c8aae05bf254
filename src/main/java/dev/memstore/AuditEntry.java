package dev.memstore;

import java.time.Instant;
import java.util.List;

/**
 * One operation in the store's audit trail: who did what to which memories, and how it ended. An
 * entry never holds content or query text.
 *
 * @param sequence the entry's position in the trail, increasing
 * @param at when the operation ran
 * @param agent the acting agent
 * @param action the operation, such as {@code get}, {@code search} or {@code delete}
 * @param memoryIds the memories it touched (read, returned or changed), empty when none; an id that
 *     was not a well-formed id is kept only as a hash ({@code sha256:} and 16 hex digits)
 * @param outcome {@code ok}, or the error code it ended with, such as {@code permission_denied}
 */
public record AuditEntry(
    long sequence,
    Instant at,
    String agent,
    String action,
    List<String> memoryIds,
    String outcome) {

  public AuditEntry {
    memoryIds = memoryIds == null ? List.of() : List.copyOf(memoryIds);
  }
}
