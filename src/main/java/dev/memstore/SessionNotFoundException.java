package dev.memstore;

import java.util.Map;

/** The named session does not exist. Nothing was changed. */
public final class SessionNotFoundException extends MemoryStoreException {
  private static final long serialVersionUID = 1L;

  private final String sessionId;

  public SessionNotFoundException(String sessionId) {
    super(
        ErrorCode.SESSION_NOT_FOUND,
        "session " + sessionId + " does not exist",
        Map.of("session_id", sessionId),
        null);
    this.sessionId = sessionId;
  }

  /** Returns the id that was not found. */
  public String sessionId() {
    return sessionId;
  }
}
