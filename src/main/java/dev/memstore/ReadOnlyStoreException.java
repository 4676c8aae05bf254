package dev.memstore;

/**
 * A write was attempted on a store that is read-only: opened read-only, or a file the process may
 * not write. Nothing was changed. Its code is {@link ErrorCode#PERMISSION_DENIED}.
 */
public final class ReadOnlyStoreException extends StorageException {
  private static final long serialVersionUID = 1L;

  public ReadOnlyStoreException(String message, Throwable cause) {
    super(ErrorCode.PERMISSION_DENIED, message, null, 0, cause);
  }
}
