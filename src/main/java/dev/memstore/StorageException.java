package dev.memstore;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The database file could not be opened, read or written. When SQLite reported the failure, {@link
 * #sql()} and {@link #sqliteResultCode()} say which statement and why; the transaction it happened
 * in was rolled back.
 */
public class StorageException extends MemoryStoreException {
  private static final long serialVersionUID = 1L;

  private final String sql;
  private final int sqliteResultCode;

  public StorageException(String message, String sql, int sqliteResultCode, Throwable cause) {
    this(ErrorCode.STORAGE_ERROR, message, sql, sqliteResultCode, cause);
  }

  public StorageException(String message, Throwable cause) {
    this(message, null, 0, cause);
  }

  protected StorageException(
      ErrorCode code, String message, String sql, int sqliteResultCode, Throwable cause) {
    super(code, message, details(sql, sqliteResultCode), cause);
    this.sql = sql;
    this.sqliteResultCode = sqliteResultCode;
  }

  private static Map<String, Object> details(String sql, int sqliteResultCode) {
    Map<String, Object> details = new LinkedHashMap<>();
    if (sql != null) {
      details.put("sql", sql);
    }
    if (sqliteResultCode != 0) {
      details.put("sqlite_result_code", sqliteResultCode);
    }
    return details;
  }

  /** Returns the SQL statement that failed, or null when the failure was not in a statement. */
  public String sql() {
    return sql;
  }

  /** Returns SQLite's extended result code, or 0 when SQLite did not report one. */
  public int sqliteResultCode() {
    return sqliteResultCode;
  }
}
