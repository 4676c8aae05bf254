package dev.memstore.internal.audit;

import java.util.Collection;

/**
 * Where the store records each operation: who did what to which memories, and how it ended. Never
 * content or query text.
 */
public interface AuditTrail {
  /** Records nothing: for stores that keep no audit trail. */
  AuditTrail NONE = (agent, action, memoryIds, outcome) -> {};

  /**
   * Records one operation.
   *
   * @param agent the acting agent
   * @param action the operation, such as {@code search} or {@code delete}
   * @param memoryIds the memories it touched (empty when none)
   * @param outcome {@code ok}, or the wire name of the error code it ended with
   */
  void record(String agent, String action, Collection<String> memoryIds, String outcome);
}
