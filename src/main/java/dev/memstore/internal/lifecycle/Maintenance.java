package dev.memstore.internal.lifecycle;

import dev.memstore.HistoryEntry;
import dev.memstore.MaintenanceReport;
import dev.memstore.Memory;
import dev.memstore.MemoryEvent;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.NewMemory;
import dev.memstore.RetentionPolicy;
import dev.memstore.internal.audit.AuditLog;
import dev.memstore.internal.events.Events;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.json.WireFormat;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.HistoryQueries;
import dev.memstore.internal.storage.MemoryQueries;
import dev.memstore.internal.storage.Sql;
import dev.memstore.internal.write.MemoryWrites;
import dev.memstore.internal.write.SummarySources;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One maintenance run: expire, promote, fold session windows, prune faded memories, evict over
 * capacity, checkpoint. Candidates are found on a reader connection; each change is a short write
 * transaction of at most {@value #BATCH} memories that checks again that its memories still
 * qualify, so readers never wait and writers wait at most one batch, and a memory read or changed
 * by another process in the meantime is not removed on stale facts.
 */
public final class Maintenance {
  static final int BATCH = 500;

  private final MemoryWrites writes;
  private final Database database;
  private final RetentionPolicy policy;
  private final Events events;
  private final AuditLog auditLog;

  public Maintenance(
      MemoryWrites writes,
      Database database,
      RetentionPolicy policy,
      Events events,
      AuditLog auditLog) {
    this.writes = writes;
    this.database = database;
    this.policy = policy;
    this.events = events;
    this.auditLog = auditLog;
  }

  public MaintenanceReport run(Instant now) {
    long started = System.nanoTime();
    int withheld = refusedDeletions(now);
    int expired = withheld > 0 ? 0 : expire(now);
    int promoted = promote(now);
    int[] folded = fold(now);
    int pruned = withheld > 0 ? 0 : removeFaded(now);
    int evicted = evict(now);
    // The audit trail's own retention: not part of the report, whose fields are the memories'.
    auditLog.purge(now);
    boolean checkpointed = database.checkpoint();
    MaintenanceReport report =
        new MaintenanceReport(
            now,
            expired,
            promoted,
            folded[0],
            folded[1],
            pruned,
            evicted,
            withheld,
            checkpointed,
            Duration.ofNanos(System.nanoTime() - started));
    Map<String, Object> counts = counts(report);
    database.write(
        connection -> {
          Sql.update(
              connection,
              "insert into maintenance_runs (at, report) values (?, ?)",
              now.toEpochMilli(),
              Json.write(counts));
          Sql.update(
              connection,
              "delete from maintenance_runs where seq <= (select max(seq) from maintenance_runs) - ?",
              KEPT_RUNS);
          // Readers that fell further behind than the kept changes rebuild what they derive.
          Sql.update(
              connection,
              "delete from memory_changes where seq <= (select max(seq) from memory_changes) - ?",
              KEPT_CHANGES);
          return null;
        });
    events.publish(MemoryEvent.Type.MAINTENANCE_RUN, null, now, counts);
    return report;
  }

  /**
   * Returns how many memories this run would expire and prune if that is more than the policy's
   * share of the store, after raising an event about it; else 0. Expiry and pruning depend on the
   * clock alone, so a clock that jumped forward (to 2060, say) would otherwise delete every
   * unpinned memory in one run; a month of real disuse fades memories gradually over many runs
   * instead. Eviction is not counted: it removes only the excess over a limit the user set. A
   * refusing run keeps refusing until the clock is back or the user raises the share, and keeps
   * every memory meanwhile. Fewer than {@value #GUARDED_DELETIONS} deletions are never refused: in
   * a store that small a share says nothing (one memory with a time to live is all of it).
   */
  private int refusedDeletions(Instant now) {
    if (policy.maxDeletionShare() >= 1) {
      return 0;
    }
    long total =
        database.read(connection -> Sql.queryLong(connection, "select count(*) from memories"));
    long expiring =
        database.read(
            connection ->
                Sql.queryLong(
                    connection,
                    "select count(*) from memories where expires_at <= ?",
                    now.toEpochMilli()));
    long fading =
        policy.pruneFloor() == 0
            ? 0
            : unpinned(now).stream()
                .filter(memory -> memory.effective < policy.pruneFloor())
                .count();
    long due = expiring + fading;
    if (due < GUARDED_DELETIONS || due <= policy.maxDeletionShare() * total) {
      return 0;
    }
    events.publish(
        MemoryEvent.Type.MAINTENANCE_REFUSED,
        null,
        now,
        Map.of(
            "would_expire",
            expiring,
            "would_prune",
            fading,
            "memories",
            total,
            "max_deletion_share",
            policy.maxDeletionShare()));
    return (int) due;
  }

  /** The fewest expiries and prunings of one run that the deletion share guard considers. */
  static final int GUARDED_DELETIONS = 10;

  /** How many change-log entries a run keeps for other processes' caches and indexes. */
  private static final int KEPT_CHANGES = 100_000;

  /** How many run reports the file keeps. */
  private static final int KEPT_RUNS = 100;

  /** The run's counts by wire name, as the event, the stats and the protocol show them. */
  static Map<String, Object> counts(MaintenanceReport report) {
    return Json.toObject(WireFormat.maintenance(report));
  }

  private int expire(Instant now) {
    List<String> ids =
        database.read(
            connection ->
                Sql.query(
                    connection,
                    "select id from memories where expires_at <= ? order by seq",
                    row -> row.getString(1),
                    now.toEpochMilli()));
    return deleteInBatches(
        ids,
        "select id from memories where id in (select value from json_each(?)) and expires_at <= ?",
        now,
        MemoryEvent.Type.EXPIRED,
        "expired");
  }

  private int deleteInBatches(
      List<String> ids,
      String stillQualifying,
      Instant now,
      MemoryEvent.Type event,
      String reason) {
    int deleted = 0;
    for (int from = 0; from < ids.size(); from += BATCH) {
      List<String> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
      List<String> removed =
          database.write(
              connection -> {
                List<String> qualifying =
                    Sql.query(
                        connection,
                        stillQualifying,
                        row -> row.getString(1),
                        Json.write(batch),
                        now.toEpochMilli());
                return qualifying.isEmpty()
                    ? List.<String>of()
                    : writes.deleteRows(connection, qualifying, false, now, reason);
              });
      deleted += removed.size();
      events.publishAll(event, removed, now);
    }
    return deleted;
  }

  private int promote(Instant now) {
    int promoted = 0;
    while (true) {
      List<String> batch =
          database.write(
              connection -> {
                List<Object[]> rows =
                    Sql.query(
                        connection,
                        """
                        select seq, id from memories
                        where tier = 'short_term' and archived_at is null
                          and (expires_at is null or expires_at > ?)
                          and (access_count >= ? or importance >= ?)
                        order by seq limit ?""",
                        row -> new Object[] {row.getLong(1), row.getString(2)},
                        now.toEpochMilli(),
                        policy.promoteAfterAccesses(),
                        policy.promoteAtImportance(),
                        BATCH);
                List<String> ids = new ArrayList<>();
                for (Object[] row : rows) {
                  long seq = (Long) row[0];
                  String id = (String) row[1];
                  // The short-term lifetime ends with promotion; a time to live of its own stays.
                  Sql.update(
                      connection,
                      """
                      update memories set tier = 'long_term', updated_at = ?,
                        expires_at = case when ttl_seconds is null then null else expires_at end
                      where seq = ?""",
                      now.toEpochMilli(),
                      seq);
                  MemoryQueries.logChange(connection, seq);
                  HistoryQueries.add(
                      connection,
                      id,
                      HistoryEntry.Action.PROMOTED,
                      now,
                      Map.of(
                          "memory_tier",
                          new HistoryEntry.Change(
                              MemoryTier.SHORT_TERM.wireName(), MemoryTier.LONG_TERM.wireName())));
                  ids.add(id);
                }
                return ids;
              });
      promoted += batch.size();
      events.publishAll(MemoryEvent.Type.PROMOTED, batch, now);
      if (batch.size() < BATCH) {
        return promoted;
      }
    }
  }

  /**
   * Folds the oldest short-term memories of each session beyond its window into one long-term
   * episodic summary, written in the same transaction that deletes them. Returns the memories
   * folded and the summaries written.
   */
  private int[] fold(Instant now) {
    if (policy.shortTermWindow() == 0) {
      return new int[] {0, 0};
    }
    List<String> sessions =
        database.read(
            connection ->
                Sql.query(
                    connection,
                    """
                    select session_id from memories
                    where tier = 'short_term' and archived_at is null and session_id is not null
                      and (expires_at is null or expires_at > ?)
                    group by session_id having count(*) > ?""",
                    row -> row.getString(1),
                    now.toEpochMilli(),
                    policy.shortTermWindow()));
    int folded = 0;
    int summaries = 0;
    for (String session : sessions) {
      List<Memory> overflow =
          database.read(
              connection -> {
                List<Memory> live =
                    Sql.query(
                        connection,
                        "select "
                            + MemoryQueries.COLUMNS
                            + """
                             from memories m
                            where m.tier = 'short_term' and m.archived_at is null and m.session_id = ?
                              and (m.expires_at is null or m.expires_at > ?)
                              and (m.content_encoding & 2 = 0 or memstore_opens(m.content))
                            order by m.created_at, m.seq""",
                        row -> MemoryQueries.mapRow(row).memory(),
                        session,
                        now.toEpochMilli());
                return live.subList(0, Math.max(0, live.size() - policy.shortTermWindow()));
              });
      if (overflow.isEmpty()) {
        continue;
      }
      Summary written = summarize(session, overflow, now);
      if (written != null) {
        folded += written.folded;
        summaries++;
      }
    }
    return new int[] {folded, summaries};
  }

  private record Summary(String id, int folded) {}

  private Summary summarize(String session, List<Memory> overflow, Instant now) {
    NewMemory summary =
        NewMemory.builder(writes.summaryText(overflow))
            .type(MemoryType.EPISODIC)
            .tier(MemoryTier.LONG_TERM)
            .sessionId(session)
            .userId(overflow.get(0).userId())
            .importance(overflow.stream().mapToDouble(Memory::importance).max().orElse(0.5))
            .tags("summary")
            .metadata(
                Map.of(
                    "summary_of",
                    overflow.size(),
                    "from",
                    Json.formatInstant(overflow.get(0).createdAt()),
                    "until",
                    Json.formatInstant(overflow.get(overflow.size() - 1).createdAt()),
                    "folded_ids",
                    overflow.stream().map(Memory::id).toList()))
            .build();
    List<String> ids = overflow.stream().map(Memory::id).toList();
    MemoryWrites.Prepared prepared = writes.prepare(List.of(summary));
    Summary result =
        database.write(
            connection -> {
              List<String> present =
                  Sql.query(
                      connection,
                      "select id from memories where id in (select value from json_each(?))"
                          + " and tier = 'short_term' and archived_at is null",
                      row -> row.getString(1),
                      Json.write(ids));
              if (present.size() != ids.size()) {
                return null; // changed meanwhile: the next run folds what is left
              }
              Memory created = writes.insert(connection, prepared, now, true).get(0);
              // Their words live on in the fold's summary, so summaries of them now summarize it.
              Sql.update(
                  connection,
                  "update or ignore relationships set target_id = ? where type = ?"
                      + " and target_id in (select value from json_each(?))",
                  created.id(),
                  SummarySources.TYPE,
                  Json.write(ids));
              Sql.update(
                  connection,
                  "delete from relationships where type = ?"
                      + " and target_id in (select value from json_each(?))",
                  SummarySources.TYPE,
                  Json.write(ids));
              writes.deleteRows(connection, ids, false, now, "folded into " + created.id());
              return new Summary(created.id(), ids.size());
            });
    if (result != null) {
      events.publish(MemoryEvent.Type.STORED, result.id, now, Map.of("summary_of", ids));
      events.publishAll(MemoryEvent.Type.DELETED, ids, now);
    }
    return result;
  }

  /**
   * The columns {@link #effective} reads, in its order after a first column of the caller's: the
   * memory's importance, type, tier and last use (access, else creation), then the same and the pin
   * of the current fact that superseded it (nulls for any other memory). Read them {@link
   * #RETAINED_FROM}.
   */
  static final String RETENTION_COLUMNS =
      "m.importance, m.type, m.tier, max(m.created_at, coalesce(m.last_accessed_at, 0)),"
          + " c.importance, c.type, c.tier, max(c.created_at, coalesce(c.last_accessed_at, 0)),"
          + " c.pinned";

  /**
   * The tables of {@link #RETENTION_COLUMNS}: the memory {@code m} and, for a superseded fact, the
   * current fact of its key {@code c} (found through the fact key index).
   */
  static final String RETAINED_FROM =
      " from memories m left join memories c on m.valid_to is not null and c.id ="
          + " (select x.id from memories x where x.fact_key = m.fact_key and x.valid_to is null"
          + " order by x.seq desc limit 1)";

  /**
   * The effective importance of an unpinned memory from columns 2 to 10 of a row. A superseded
   * fact's is at most that of the current fact of its key, so retention never keeps a stale fact
   * longer than the true one: pruning and eviction take it first.
   */
  static double effective(ResultSet row, RetentionPolicy policy, long now) throws SQLException {
    double own = effective(row, 2, false, policy, now);
    if (row.getObject(6) == null) {
      return own;
    }
    return Math.min(own, effective(row, 6, row.getBoolean(10), policy, now));
  }

  private static double effective(
      ResultSet row, int first, boolean pinned, RetentionPolicy policy, long now)
      throws SQLException {
    return policy.effectiveImportance(
        row.getDouble(first),
        MemoryType.valueOf(row.getString(first + 1).toUpperCase(Locale.ROOT)),
        MemoryTier.valueOf(row.getString(first + 2).toUpperCase(Locale.ROOT)),
        pinned,
        row.getLong(first + 3),
        now);
  }

  /** A memory's retention facts, as a scan reads them. */
  private record Retained(String id, double effective) {}

  private List<Retained> unpinned(Instant now) {
    long nowMillis = now.toEpochMilli();
    return database.read(
        connection ->
            Sql.query(
                connection,
                "select m.id, "
                    + RETENTION_COLUMNS
                    + RETAINED_FROM
                    + " where m.pinned = 0"
                    + " and (m.expires_at is null or m.expires_at > ?)",
                row -> new Retained(row.getString(1), effective(row, policy, nowMillis)),
                nowMillis));
  }

  private int removeFaded(Instant now) {
    if (policy.pruneFloor() == 0) {
      return 0;
    }
    List<String> faded =
        unpinned(now).stream()
            .filter(memory -> memory.effective < policy.pruneFloor())
            .map(Retained::id)
            .toList();
    return deleteStillBelow(faded, policy.pruneFloor(), now, MemoryEvent.Type.PRUNED, "pruned");
  }

  /**
   * Deletes those of the memories that are still unpinned and below the floor when their batch's
   * transaction reads them again.
   */
  private int deleteStillBelow(
      List<String> ids, double floor, Instant now, MemoryEvent.Type event, String reason) {
    long nowMillis = now.toEpochMilli();
    int deleted = 0;
    for (int from = 0; from < ids.size(); from += BATCH) {
      List<String> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
      List<String> removed =
          database.write(
              connection -> {
                List<String> qualifying = new ArrayList<>();
                Sql.query(
                    connection,
                    "select m.id, "
                        + RETENTION_COLUMNS
                        + RETAINED_FROM
                        + " where m.id in (select value from json_each(?)) and m.pinned = 0",
                    row -> {
                      if (effective(row, policy, nowMillis) < floor) {
                        qualifying.add(row.getString(1));
                      }
                      return null;
                    },
                    Json.write(batch));
                return qualifying.isEmpty()
                    ? List.<String>of()
                    : writes.deleteRows(connection, qualifying, false, now, reason);
              });
      deleted += removed.size();
      events.publishAll(event, removed, now);
    }
    return deleted;
  }

  private int evict(Instant now) {
    if (policy.maxMemories() == 0) {
      return 0;
    }
    long live =
        database.read(
            connection ->
                Sql.queryLong(
                    connection,
                    "select count(*) from memories where expires_at is null or expires_at > ?",
                    now.toEpochMilli()));
    long excess = live - policy.maxMemories();
    if (excess <= 0) {
      return 0;
    }
    List<Retained> candidates = new ArrayList<>(unpinned(now));
    candidates.sort(Comparator.comparingDouble(Retained::effective).thenComparing(Retained::id));
    List<Retained> lowest = candidates.subList(0, (int) Math.min(excess, candidates.size()));
    if (lowest.isEmpty()) {
      return 0;
    }
    // Anything at or below the highest evicted retention still qualifies when rechecked; what was
    // read or pinned since then does not.
    double ceiling = Math.nextUp(lowest.get(lowest.size() - 1).effective());
    return deleteStillBelow(
        lowest.stream().map(Retained::id).toList(),
        ceiling,
        now,
        MemoryEvent.Type.EVICTED,
        "evicted");
  }
}
