package dev.memstore.internal.storage;

import dev.memstore.HistoryEntry;
import dev.memstore.internal.json.Json;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The change history of memories. */
public final class HistoryQueries {
  private HistoryQueries() {}

  /** The writing store's id (see {@code Database.writerId}), which every entry records. */
  private static final String WRITER = "(select id from temp.store_writer)";

  public static void add(
      Connection connection,
      String memoryId,
      HistoryEntry.Action action,
      Instant at,
      Map<String, HistoryEntry.Change> changes) {
    String json = null;
    if (!changes.isEmpty()) {
      Map<String, Object> encoded = new LinkedHashMap<>();
      changes.forEach(
          (field, change) -> {
            Map<String, Object> pair = new LinkedHashMap<>();
            pair.put("from", change.from());
            pair.put("to", change.to());
            encoded.put(field, pair);
          });
      json = Json.write(encoded);
    }
    Sql.update(
        connection,
        "insert into memory_history (memory_id, action, at, changes, writer_id) values (?, ?, ?, ?, "
            + WRITER
            + ")",
        memoryId,
        action.wireName(),
        at.toEpochMilli(),
        json);
  }

  /**
   * Replaces the content and metadata of a memory's entries with a marker, in the caller's write
   * transaction: the memory was just sealed, and its earlier updates hold them in clear.
   */
  public static void removeContent(Connection connection, String memoryId) {
    String sealed = "{\"from\":\"[sealed]\",\"to\":\"[sealed]\"}";
    Sql.update(
        connection,
        "update memory_history set changes = json_replace(changes, '$.content', json(?),"
            + " '$.metadata', json(?)) where memory_id = ? and changes is not null",
        sealed,
        sealed,
        memoryId);
  }

  /** Adds one entry without field changes (such as a creation) for each memory, in order. */
  public static void addAll(
      Connection connection, List<String> memoryIds, HistoryEntry.Action action, Instant at) {
    List<Object[]> rows = new ArrayList<>(memoryIds.size());
    for (String memoryId : memoryIds) {
      rows.add(new Object[] {memoryId, action.wireName(), at.toEpochMilli()});
    }
    Sql.batch(
        connection,
        "insert into memory_history (memory_id, action, at, changes, writer_id) values (?, ?, ?, null, "
            + WRITER
            + ")",
        rows);
  }

  /**
   * Removes every entry of a deleted memory (they hold its old text) and leaves one deletion entry.
   */
  public static void replaceWithDeletion(
      Connection connection, String memoryId, Instant at, String reasonOrNull) {
    Sql.update(connection, "delete from memory_history where memory_id = ?", memoryId);
    add(
        connection,
        memoryId,
        HistoryEntry.Action.DELETED,
        at,
        reasonOrNull == null
            ? Map.of()
            : Map.of("reason", new HistoryEntry.Change(null, reasonOrNull)));
  }

  public static List<HistoryEntry> list(Connection connection, String memoryId) {
    return Sql.query(
        connection,
        "select seq, memory_id, action, at, changes from memory_history where memory_id = ? order by seq",
        HistoryQueries::entry,
        memoryId);
  }

  /** A history entry and the store that wrote it (null for entries from before schema 4). */
  public record Written(HistoryEntry entry, Long writerId) {}

  /** Returns up to {@code limit} entries numbered above {@code seq}, in order. */
  public static List<Written> after(Connection connection, long seq, int limit) {
    return Sql.query(
        connection,
        "select seq, memory_id, action, at, changes, writer_id from memory_history"
            + " where seq > ? order by seq limit ?",
        row -> {
          long writer = row.getLong("writer_id");
          return new Written(entry(row), row.wasNull() ? null : writer);
        },
        seq,
        limit);
  }

  /** Returns the number of the newest entry, 0 when there is none. */
  public static long newestSeq(Connection connection) {
    return Sql.queryLong(connection, "select coalesce(max(seq), 0) from memory_history");
  }

  private static HistoryEntry entry(ResultSet row) throws SQLException {
    Map<String, HistoryEntry.Change> changes = new LinkedHashMap<>();
    Json.readObject(row.getString("changes"))
        .forEach(
            (field, pair) -> {
              Map<?, ?> fromTo = (Map<?, ?>) pair;
              changes.put(field, new HistoryEntry.Change(fromTo.get("from"), fromTo.get("to")));
            });
    return new HistoryEntry(
        row.getLong("seq"),
        row.getString("memory_id"),
        HistoryEntry.Action.valueOf(row.getString("action").toUpperCase(Locale.ROOT)),
        Instant.ofEpochMilli(row.getLong("at")),
        changes);
  }
}
