package dev.memstore;

import java.util.Map;

/**
 * A request is malformed: unreadable, of an unknown action, missing a field, or holding a value of
 * the wrong kind.
 */
public final class InvalidRequestException extends MemoryStoreException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String message, Map<String, Object> details) {
    super(ErrorCode.INVALID_REQUEST, message, details, null);
  }

  public InvalidRequestException(String message) {
    this(message, Map.of());
  }
}
