package dev.memstore;

import java.util.Map;

/**
 * A value was rejected: out of range, an unknown name, too large, or a reference to something that
 * does not exist. Nothing was written. {@link #field()} names the offending field as the protocol
 * spells it.
 */
public final class ValidationException extends MemoryStoreException {
  private static final long serialVersionUID = 1L;

  private final String field;

  public ValidationException(String field, String message) {
    super(ErrorCode.VALIDATION_ERROR, message, Map.of("field", field), null);
    this.field = field;
  }

  /** Returns the name of the rejected field, for example {@code importance}. */
  public String field() {
    return field;
  }
}
