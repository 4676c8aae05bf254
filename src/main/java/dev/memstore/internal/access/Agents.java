package dev.memstore.internal.access;

import dev.memstore.AccessPolicy;
import dev.memstore.MemoryStore;

/**
 * The agents of one open store, as the protocol and memctl reach them: the store of a named agent,
 * and the policy they obey. Thread-safe.
 */
public interface Agents {
  /**
   * Returns the store as the named agent sees it, after checking its secret (a secret verified
   * before costs a digest, not PBKDF2).
   *
   * @param action what the agent asks, as a refusal names it
   * @throws dev.memstore.PermissionDeniedException when the agent is unknown or its secret missing
   *     or wrong
   */
  MemoryStore store(String agentName, char[] secret, String action);

  /** Returns the policy the agents obey, or null when the store has none. */
  AccessPolicy policy();
}
