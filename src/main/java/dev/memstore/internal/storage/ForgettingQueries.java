package dev.memstore.internal.storage;

import dev.memstore.StorageException;
import dev.memstore.internal.json.Json;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;

/**
 * The tables of forgetting (schema version 5): tombstones of forgotten memories, the receipts of
 * forgets, and the backups the store made. None holds content: a tombstone keeps a memory's id and
 * its {@link ContentKeys content key}, a hash.
 */
public final class ForgettingQueries {
  private ForgettingQueries() {}

  /** A forgotten memory: its id and content key (null when unknown). */
  public record Tombstone(String memoryId, String contentKey, long forgottenAt) {}

  /** A receipt as stored: its criteria and what was removed are JSON objects. */
  public record Receipt(long seq, long at, String agent, String criteria, String removed) {}

  /** A backup the store made, and when (epoch milliseconds). */
  public record RecordedBackup(String path, long madeAt) {}

  /** Adds tombstones, replacing older ones of the same memories. */
  public static void addTombstones(
      Connection connection, List<Tombstone> tombstones, long receiptSeq) {
    List<Object[]> rows = new ArrayList<>(tombstones.size());
    for (Tombstone tombstone : tombstones) {
      rows.add(
          new Object[] {
            tombstone.memoryId(), tombstone.contentKey(), tombstone.forgottenAt(), receiptSeq
          });
    }
    Sql.batch(
        connection,
        "insert or replace into tombstones (memory_id, content_key, forgotten_at, receipt_seq)"
            + " values (?, ?, ?, ?)",
        rows);
  }

  /** Returns every tombstone. */
  public static List<Tombstone> tombstones(Connection connection) {
    return Sql.query(
        connection,
        "select memory_id, content_key, forgotten_at from tombstones",
        row -> new Tombstone(row.getString(1), row.getString(2), row.getLong(3)));
  }

  /** Returns the tombstoned ids among these. */
  public static Set<String> tombstonedAmong(Connection connection, Collection<String> ids) {
    return new HashSet<>(
        Sql.query(
            connection,
            "select memory_id from tombstones where memory_id in (select value from json_each(?))",
            row -> row.getString(1),
            Json.write(ids)));
  }

  /** Drops the tombstones of these memories; returns how many there were. */
  public static int dropTombstones(Connection connection, Collection<String> ids) {
    return Sql.update(
        connection,
        "delete from tombstones where memory_id in (select value from json_each(?))",
        Json.write(ids));
  }

  /** Returns when the newest forget happened (epoch milliseconds), or 0 when none did. */
  public static long newestForget(Connection connection) {
    return Sql.queryLong(connection, "select coalesce(max(forgotten_at), 0) from tombstones");
  }

  /** Adds a receipt; returns its number. */
  public static long addReceipt(
      Connection connection, long at, String agent, String criteria, String removed) {
    return Sql.insert(
        connection,
        "insert into forget_receipts (at, agent, criteria, removed) values (?, ?, ?, ?)",
        at,
        agent,
        criteria,
        removed);
  }

  /** Replaces what a receipt says was removed. */
  public static void updateReceipt(Connection connection, long seq, String removed) {
    Sql.update(connection, "update forget_receipts set removed = ? where seq = ?", removed, seq);
  }

  /** Returns every receipt, oldest first. */
  public static List<Receipt> receipts(Connection connection) {
    return Sql.query(
        connection,
        "select seq, at, agent, criteria, removed from forget_receipts order by seq",
        row ->
            new Receipt(
                row.getLong(1),
                row.getLong(2),
                row.getString(3),
                row.getString(4),
                row.getString(5)));
  }

  /** Records a backup at its absolute path (a backup made again at the same path replaces it). */
  public static void recordBackup(Connection connection, String path, long madeAt) {
    Sql.update(
        connection,
        "insert into backups (path, made_at) values (?, ?)"
            + " on conflict (path) do update set made_at = excluded.made_at",
        path,
        madeAt);
  }

  /** Returns the backups recorded, oldest first. */
  public static List<RecordedBackup> backups(Connection connection) {
    return Sql.query(
        connection,
        "select path, made_at from backups order by made_at, path",
        row -> new RecordedBackup(row.getString(1), row.getLong(2)));
  }

  /** Returns the content keys of the tombstones, each with when it was forgotten. */
  public static Map<String, Long> contentKeys(List<Tombstone> tombstones) {
    Map<String, Long> keys = new HashMap<>();
    for (Tombstone tombstone : tombstones) {
      if (tombstone.contentKey() != null) {
        keys.merge(tombstone.contentKey(), tombstone.forgottenAt(), Math::max);
      }
    }
    return keys;
  }

  /** A memory of a copy of the file: its id, content key and creation time. */
  public record CopiedMemory(String id, String contentKey, long createdAt) {}

  /**
   * Opens a copy of a store file read-only (a backup or the snapshot, both without a log) and
   * returns its memories that have one of the ids or content keys; null when it cannot be read as a
   * store.
   */
  public static List<CopiedMemory> findIn(
      Path copy, Collection<String> ids, Collection<String> contentKeys) {
    SQLiteConfig sqlite = new SQLiteConfig();
    sqlite.setReadOnly(true);
    try (Connection connection =
        JDBC.createConnection("jdbc:sqlite:" + copy, sqlite.toProperties())) {
      try {
        return Sql.query(
            connection,
            "select id, content_key, created_at from memories"
                + " where id in (select value from json_each(?))"
                + " or content_key in (select value from json_each(?))",
            row -> new CopiedMemory(row.getString(1), row.getString(2), row.getLong(3)),
            Json.write(ids),
            Json.write(contentKeys));
      } finally {
        Sql.release(connection);
      }
    } catch (SQLException | StorageException e) {
      return null;
    }
  }
}
