package dev.memstore.internal.store;

import dev.memstore.Memory;
import dev.memstore.Page;
import dev.memstore.Session;
import dev.memstore.SessionNotFoundException;
import dev.memstore.Sessions;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.lifecycle.Lifecycle;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.SessionQueries;
import dev.memstore.internal.write.MemoryWrites;
import dev.memstore.internal.write.Validator;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The store's sessions: checks arguments, then one transaction each. Thread-safe. */
final class SqliteSessions implements Sessions {
  private final Database database;
  private final MemoryWrites writes;
  private final Lifecycle lifecycle;

  SqliteSessions(Database database, MemoryWrites writes, Lifecycle lifecycle) {
    this.database = database;
    this.writes = writes;
    this.lifecycle = lifecycle;
  }

  @Override
  public Session create(String userIdOrNull, String sessionTypeOrNull, Map<String, ?> metadata) {
    Validator validator = writes.validator();
    String userId = validator.name("user_id", userIdOrNull);
    String sessionType = validator.name("session_type", sessionTypeOrNull);
    Map<String, Object> frozen =
        metadata == null ? Map.of() : Json.readObject(Json.write(metadata));
    String metadataJson = validator.metadata(frozen);
    return database.write(
        connection -> {
          Instant now = writes.now();
          Session session =
              new Session(
                  writes.ids().newSessionId(now.toEpochMilli()),
                  userId,
                  sessionType == null ? "conversation" : sessionType,
                  frozen,
                  now,
                  null,
                  null,
                  false);
          SessionQueries.insert(connection, session, metadataJson);
          return session;
        });
  }

  @Override
  public Session get(String sessionId) {
    Validator.sessionId("session_id", sessionId);
    Session session = database.read(connection -> SessionQueries.find(connection, sessionId));
    if (session == null) {
      throw new SessionNotFoundException(sessionId);
    }
    return session;
  }

  @Override
  public Page<Session> list(boolean includeEnded, int offset, int limit) {
    Validator.page(offset, limit);
    return database.read(
        connection -> SessionQueries.page(connection, includeEnded, offset, limit));
  }

  @Override
  public Session end(String sessionId, String summaryOrNull, boolean archive) {
    Validator.sessionId("session_id", sessionId);
    String summary =
        summaryOrNull == null ? null : writes.validator().content("summary", summaryOrNull);
    return lifecycle.endSession(sessionId, summary, archive);
  }

  @Override
  public List<Memory> conversationContext(String sessionId, int last) {
    Validator.sessionId("session_id", sessionId);
    return lifecycle.conversationContext(sessionId, last);
  }
}
