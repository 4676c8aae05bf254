package dev.memstore.internal.storage;

import dev.memstore.Page;
import dev.memstore.Session;
import dev.memstore.internal.json.Json;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The SQL of the sessions table. Every function takes the connection of the transaction it runs in;
 * none commits.
 */
public final class SessionQueries {
  private SessionQueries() {}

  /** Stores a new session, whose metadata the caller has checked and written as JSON. */
  public static void insert(Connection connection, Session session, String metadataJson) {
    Sql.update(
        connection,
        "insert into sessions (id, user_id, session_type, metadata, created_at) values (?, ?, ?, ?, ?)",
        session.id(),
        session.userId(),
        session.sessionType(),
        metadataJson,
        session.createdAt().toEpochMilli());
  }

  /** Returns the session with the id, or null if there is none. */
  public static Session find(Connection connection, String sessionId) {
    return Sql.queryFirst(
        connection, "select * from sessions where id = ?", SessionQueries::mapSession, sessionId);
  }

  /** Returns a page of sessions, newest first, the ended ones only if asked for. */
  public static Page<Session> page(
      Connection connection, boolean includeEnded, int offset, int limit) {
    String where = includeEnded ? "1" : "ended_at is null";
    List<Session> items =
        Sql.query(
            connection,
            "select * from sessions where "
                + where
                + " order by created_at desc, id desc limit ? offset ?",
            SessionQueries::mapSession,
            limit,
            offset);
    long total = Sql.queryLong(connection, "select count(*) from sessions where " + where);
    return new Page<>(items, total, offset, limit);
  }

  /**
   * Returns a page of sessions as {@link #page} does, only those of the given users (sessions
   * without a user are left out): what an agent scoped to those users may see.
   */
  public static Page<Session> pageOfUsers(
      Connection connection, boolean includeEnded, Set<String> users, int offset, int limit) {
    String where =
        (includeEnded ? "1" : "ended_at is null")
            + " and user_id in (select value from json_each(?))";
    String usersJson = Json.write(users);
    List<Session> items =
        Sql.query(
            connection,
            "select * from sessions where "
                + where
                + " order by created_at desc, id desc limit ? offset ?",
            SessionQueries::mapSession,
            usersJson,
            limit,
            offset);
    long total =
        Sql.queryLong(connection, "select count(*) from sessions where " + where, usersJson);
    return new Page<>(items, total, offset, limit);
  }

  private static Session mapSession(ResultSet row) throws SQLException {
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
