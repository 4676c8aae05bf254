package dev.memstore.internal.audit;

import dev.memstore.AuditEntry;
import dev.memstore.AuditQuery;
import dev.memstore.MemoryStoreException;
import dev.memstore.internal.background.Background;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.Sql;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * The audit trail in the store's file ({@code audit_log}). Entries are kept in memory and written
 * in one transaction a second after the first of them, and at close, so that recording a read never
 * makes it a write transaction. A crash or a kill loses at most the entries of the last second (or
 * those a failing write kept back until then); an entry is written after its operation ended, so a
 * change may be in the file without its entry, never an entry without its operation's outcome.
 *
 * <p>A store opened read-only cannot write, so it records nothing: its reads are not in the trail.
 * With a retention of zero nothing is recorded and maintenance removes what the file holds.
 *
 * <p>The shape of {@link #record} keeps content and query text out: an agent name, an action and an
 * outcome that must look like names, and memory ids; a value passed as an id that is not shaped
 * like one (a caller's typo, or text) is kept only as a hash. Thread-safe.
 */
public final class AuditLog implements AuditTrail {
  private static final System.Logger LOG = System.getLogger(AuditLog.class.getName());

  /** How long after the first pending entry a batch is written. */
  static final Duration FLUSH_DELAY = Duration.ofSeconds(1);

  /**
   * The most entries kept in memory while writes fail (a disk full, a lock held too long); beyond
   * them the oldest are dropped and the number dropped is recorded once writing works again.
   */
  static final int MAX_PENDING = 100_000;

  /** How many old entries one committed transaction of a purge removes. */
  static final int PURGE_BATCH = 5_000;

  /** The agent of the trail's own entries, such as {@code audit_entries_dropped}. */
  static final String OWN_AGENT = "memstore";

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.]{0,63}");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");
  private static final Pattern AGENT = Pattern.compile("[^\\p{Cntrl}]{1,256}");

  /** One entry waiting to be written; its ids are already the JSON the row holds. */
  private record Pending(long atMillis, String agent, String action, String ids, String outcome) {}

  private final Database database;
  private final Background background;
  private final InstantSource clock;
  private final Duration retention;
  private final boolean recording;
  private final Object lock = new Object();
  private ArrayDeque<Pending> pending = new ArrayDeque<>();
  private long dropped;
  private final AtomicBoolean flushScheduled = new AtomicBoolean();

  /**
   * Creates the trail of a store.
   *
   * @param retention how long entries are kept; zero records nothing
   */
  public AuditLog(
      Database database, Background background, InstantSource clock, Duration retention) {
    this.database = database;
    this.background = background;
    this.clock = clock;
    this.retention = retention;
    this.recording = !retention.isZero() && !database.isReadOnly();
  }

  /**
   * Records one operation, at the clock's time, to be written within a second.
   *
   * @throws IllegalArgumentException when the action or outcome is not a lowercase name (letters,
   *     digits, {@code _} and {@code .}, at most 64)
   */
  @Override
  public void record(String agent, String action, Collection<String> memoryIds, String outcome) {
    requireName("action", action);
    requireName("outcome", outcome);
    if (!recording) {
      return;
    }
    Pending entry =
        new Pending(
            clock.instant().toEpochMilli(), agentName(agent), action, idsJson(memoryIds), outcome);
    synchronized (lock) {
      if (pending.size() >= MAX_PENDING) {
        pending.pollFirst();
        dropped++;
      }
      pending.add(entry);
    }
    if (flushScheduled.compareAndSet(false, true)) {
      background.runLater("audit-flush", this::flushQuietly, FLUSH_DELAY);
    }
  }

  /** Whether this trail records operations: not when read-only or with a retention of zero. */
  public boolean isRecording() {
    return recording;
  }

  /** Writes every pending entry in one transaction; on failure they stay pending. */
  public void flush() {
    flushScheduled.set(false);
    ArrayDeque<Pending> taken;
    long droppedBefore;
    synchronized (lock) {
      if (pending.isEmpty()) {
        return;
      }
      taken = pending;
      droppedBefore = dropped;
      pending = new ArrayDeque<>();
      dropped = 0;
    }
    try {
      database.write(
          connection -> {
            List<Object[]> rows = new ArrayList<>(taken.size() + 1);
            if (droppedBefore > 0) {
              // Said in the trail itself, at the time of the first entry kept.
              rows.add(
                  new Object[] {
                    taken.getFirst().atMillis(), OWN_AGENT, "audit_entries_dropped", null, "dropped"
                  });
            }
            for (Pending entry : taken) {
              rows.add(
                  new Object[] {
                    entry.atMillis(), entry.agent(), entry.action(), entry.ids(), entry.outcome()
                  });
            }
            Sql.batch(
                connection,
                "insert into audit_log (at, agent, action, memory_ids, outcome)"
                    + " values (?, ?, ?, ?, ?)",
                rows);
            return null;
          });
    } catch (RuntimeException e) {
      // Nothing was written: the entries wait for the next flush, before any recorded meanwhile.
      synchronized (lock) {
        taken.addAll(pending);
        long excess = 0;
        while (taken.size() > MAX_PENDING) {
          taken.pollFirst();
          excess++;
        }
        pending = taken;
        dropped += droppedBefore + excess;
      }
      throw e;
    }
    if (droppedBefore > 0) {
      LOG.log(
          Level.WARNING,
          droppedBefore + " audit entries were dropped while the audit trail could not be written");
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (IllegalStateException closed) {
      // The store closed meanwhile, and its close wrote the entries.
      LOG.log(Level.DEBUG, "audit entries are written by the close", closed);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "writing audit entries failed; they are kept for the next write", e);
      if (flushScheduled.compareAndSet(false, true)) {
        background.runLater("audit-flush", this::flushQuietly, FLUSH_DELAY);
      }
    }
  }

  /**
   * Removes the entries older than the retention (all of them with a retention of zero), in
   * committed transactions of {@value #PURGE_BATCH}; returns how many. For maintenance runs.
   */
  public long purge(Instant now) {
    if (database.isReadOnly()) {
      return 0;
    }
    long before = now.minus(retention).toEpochMilli();
    long removed = 0;
    while (true) {
      int batch =
          database.write(
              connection ->
                  Sql.update(
                      connection,
                      "delete from audit_log where seq in"
                          + " (select seq from audit_log where at < ? order by seq limit ?)",
                      retention.isZero() ? Long.MAX_VALUE : before,
                      PURGE_BATCH));
      removed += batch;
      if (batch < PURGE_BATCH) {
        return removed;
      }
    }
  }

  /**
   * Returns the entries the query selects: the newest, oldest first; pending ones written first.
   */
  public List<AuditEntry> read(AuditQuery query) {
    if (recording) {
      try {
        flush();
      } catch (MemoryStoreException e) {
        LOG.log(Level.WARNING, "pending audit entries could not be written; reading the file's", e);
      }
    }
    StringBuilder where = new StringBuilder(" where 1 = 1");
    List<Object> parameters = new ArrayList<>();
    if (query.agent() != null) {
      where.append(" and agent = ?");
      parameters.add(query.agent());
    }
    if (query.action() != null) {
      where.append(" and action = ?");
      parameters.add(query.action());
    }
    if (query.outcome() != null) {
      where.append(" and outcome = ?");
      parameters.add(query.outcome());
    }
    if (query.since() != null) {
      where.append(" and at >= ?");
      parameters.add(query.since().toEpochMilli());
    }
    if (query.until() != null) {
      where.append(" and at <= ?");
      parameters.add(query.until().toEpochMilli());
    }
    if (query.memoryId() != null) {
      where.append(
          " and memory_ids is not null"
              + " and exists (select 1 from json_each(memory_ids) where value = ?)");
      parameters.add(query.memoryId());
    }
    parameters.add(query.limit());
    String sql =
        "select seq, at, agent, action, memory_ids, outcome from"
            + " (select * from audit_log"
            + where
            + " order by seq desc limit ?) order by seq";
    return database.read(
        connection ->
            Sql.query(
                connection,
                sql,
                row ->
                    new AuditEntry(
                        row.getLong(1),
                        Instant.ofEpochMilli(row.getLong(2)),
                        row.getString(3),
                        row.getString(4),
                        ids(row.getString(5)),
                        row.getString(6)),
                parameters.toArray()));
  }

  private static List<String> ids(String json) {
    return json == null ? List.of() : Json.readStringList(json);
  }

  private static void requireName(String what, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "an audit entry's "
              + what
              + " must be a lowercase name of letters, digits, _ and . (at most 64), was '"
              + (value == null ? null : Json.excerpt(value, 64))
              + "'");
    }
  }

  /** The agent as written: a name, or a hash of what does not look like one. */
  private static String agentName(String agent) {
    if (agent == null) {
      return "unknown";
    }
    String trimmed = agent.strip();
    return AGENT.matcher(trimmed).matches() ? trimmed : hash(agent);
  }

  /** The ids as the row holds them: a JSON array, or null for none. */
  private static String idsJson(Collection<String> memoryIds) {
    if (memoryIds == null || memoryIds.isEmpty()) {
      return null;
    }
    List<String> kept = new ArrayList<>(memoryIds.size());
    for (String id : memoryIds) {
      if (id != null) {
        kept.add(ID.matcher(id).matches() ? id : hash(id));
      }
    }
    return kept.isEmpty() ? null : Json.write(kept);
  }

  /** A value that must not be kept as it is, as a short hash: enough to match, not to read. */
  static String hash(String value) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
