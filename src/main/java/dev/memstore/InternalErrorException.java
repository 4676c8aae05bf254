package dev.memstore;

import java.util.Map;

/**
 * An unexpected failure inside memstore. It is a bug: please report it with the message and its
 * cause.
 */
public final class InternalErrorException extends MemoryStoreException {
  private static final long serialVersionUID = 1L;

  public InternalErrorException(String message, Throwable cause) {
    super(ErrorCode.INTERNAL_ERROR, message, Map.of(), cause);
  }
}
