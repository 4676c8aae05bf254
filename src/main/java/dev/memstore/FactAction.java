package dev.memstore;

/**
 * What an {@link Extractor} decides to do with a fact it found, against the user's current facts
 * (the {@link CandidateFact}s it is shown).
 */
public enum FactAction {
  /** A new fact: stored, superseding nothing the extractor knows of. */
  ADD,
  /**
   * A new value for a current fact: stored with the same fact key, so that it supersedes the
   * current fact (which stays in history) instead of contradicting it.
   */
  UPDATE,
  /**
   * The current fact has ended and nothing replaces it ("we broke up", "I quit"): the fact's
   * content records the change and, stored with the same key, supersedes the current fact.
   */
  DELETE,
  /** Nothing to store: the fact is already known, or not worth remembering. */
  NONE
}
