package dev.memstore;

/**
 * The file is not a memstore database this version can open: it was written by a newer memstore, or
 * it is some other SQLite database. The file was not modified.
 */
public final class UnsupportedSchemaException extends StorageException {
  private static final long serialVersionUID = 1L;

  public UnsupportedSchemaException(String message) {
    super(message, null, 0, null);
  }
}
