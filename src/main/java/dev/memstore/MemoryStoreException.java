package dev.memstore;

import java.util.Map;

/**
 * The base of every exception memstore throws. Each carries a stable {@link ErrorCode} and optional
 * details that the JSON protocol returns as {@code error.details}. All memstore exceptions are
 * unchecked.
 */
public abstract class MemoryStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final transient Map<String, Object> details;

  protected MemoryStoreException(
      ErrorCode code, String message, Map<String, Object> details, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.details = details == null ? Map.of() : Map.copyOf(details);
  }

  /** Returns the stable error code of this failure. */
  public ErrorCode code() {
    return code;
  }

  /** Returns machine-readable context of this failure (never null, possibly empty). */
  public Map<String, Object> details() {
    return details;
  }
}
