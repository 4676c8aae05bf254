package dev.memstore;

import java.util.Locale;

/**
 * The stable error codes of memstore: the codes of the JSON protocol (seed 001), also carried by
 * every {@link MemoryStoreException}. Clients may branch on them; they never change meaning.
 */
public enum ErrorCode {
  /**
   * The request is malformed: not JSON, unknown action or field, a missing field or a value of the
   * wrong kind.
   */
  INVALID_REQUEST,
  /** The requested memory does not exist (or has expired). */
  MEMORY_NOT_FOUND,
  /** The named session does not exist. */
  SESSION_NOT_FOUND,
  /** The operation is not allowed, for example a write to a store opened read-only. */
  PERMISSION_DENIED,
  /** The database file could not be read or written. */
  STORAGE_ERROR,
  /** A search could not be carried out. */
  SEARCH_ERROR,
  /**
   * A value is well-formed but not acceptable: out of range, unknown name, too large, refers to
   * nothing.
   */
  VALIDATION_ERROR,
  /** Too many requests; kept for protocol compatibility, never raised by the embedded store. */
  RATE_LIMIT_EXCEEDED,
  /** An unexpected failure inside memstore; please report it. */
  INTERNAL_ERROR;

  /** Returns the code as it appears on the wire, for example {@code memory_not_found}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
