package dev.memstore;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A conversation session. Immutable.
 *
 * @param id {@code session-} followed by a unique, time-ordered part
 * @param userId the user, or null
 * @param sessionType the kind of session, {@code conversation} by default
 * @param metadata session metadata (a JSON object), never null
 * @param createdAt when it started
 * @param endedAt when it ended, or null while active
 * @param summary the summary given when it ended, or null
 * @param archived whether it was archived when it ended
 */
public record Session(
    String id,
    String userId,
    String sessionType,
    Map<String, Object> metadata,
    Instant createdAt,
    Instant endedAt,
    String summary,
    boolean archived) {

  public Session {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(createdAt, "createdAt");
    metadata = JsonValues.freezeObject(metadata);
  }

  /** Returns whether the session has not ended. */
  public boolean isActive() {
    return endedAt == null;
  }
}
