package dev.memstore;

import java.util.Locale;
import java.util.Optional;

/** What an agent may do with a store; an {@link AgentPolicy} grants a set of them. */
public enum AgentRight {
  /** Read memories: get, list, search, history, context packs, sessions, groups, statistics. */
  READ,
  /** Create and change memories, sessions, links and groups. */
  WRITE,
  /** Delete memories, one by one, by filter, or by cleanup. */
  DELETE,
  /** Export memories to a file. */
  EXPORT,
  /**
   * Work on the file itself: backup, repair, optimize, health, checkpoint, maintenance,
   * consolidation, import, the embedding backlog, the audit trail and key rotation.
   */
  ADMIN;

  /** Returns the name used in config files and on the wire: {@code read}, {@code write}, ... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Returns the right with this name (any case), or empty when there is none. */
  public static Optional<AgentRight> fromName(String name) {
    for (AgentRight right : values()) {
      if (right.name().equalsIgnoreCase(name)) {
        return Optional.of(right);
      }
    }
    return Optional.empty();
  }
}
