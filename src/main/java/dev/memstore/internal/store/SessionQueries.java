package dev.memstore.internal.store;

import dev.memstore.Session;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.storage.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Reads sessions in the caller's transaction. */
public final class SessionQueries {
  private SessionQueries() {}

  /** Returns the session, or null when there is none with that id. */
  public static Session find(Connection connection, String sessionId) {
    return Sql.queryFirst(
        connection, "select * from sessions where id = ?", SessionQueries::map, sessionId);
  }

  static Session map(ResultSet row) throws SQLException {
    long ended = row.getLong("ended_at");
    Instant endedAt = row.wasNull() ? null : Instant.ofEpochMilli(ended);
    return new Session(
        row.getString("id"),
        row.getString("user_id"),
        row.getString("session_type"),
        Json.readObject(row.getString("metadata")),
        Instant.ofEpochMilli(row.getLong("created_at")),
        endedAt,
        row.getString("summary"),
        row.getInt("archived") != 0);
  }
}
