package dev.memstore.internal.write;

import dev.memstore.Memory;
import dev.memstore.internal.background.Background;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.MemoryQueries;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts reads by id in memory and writes them in one transaction a second later, so that a read
 * never waits for a disk sync. Counts are added to the stored ones (never overwritten), so several
 * processes may count the same memory. A crash loses at most the last second of counts; never a
 * memory.
 */
public final class AccessLog {
  private static final System.Logger LOG = System.getLogger(AccessLog.class.getName());
  static final Duration FLUSH_DELAY = Duration.ofSeconds(1);

  private record Pending(long count, long lastMillis) {
    Pending plus(Pending other) {
      return new Pending(count + other.count, Math.max(lastMillis, other.lastMillis));
    }
  }

  private final Database database;
  private final Background background;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();

  public AccessLog(Database database, Background background) {
    this.database = database;
    this.background = background;
  }

  /** Counts one access at the given time and returns the memory as it reads after it. */
  public Memory record(Memory memory, Instant at) {
    if (database.isReadOnly()) {
      return memory;
    }
    pending.merge(memory.id(), new Pending(1, at.toEpochMilli()), Pending::plus);
    if (flushScheduled.compareAndSet(false, true)) {
      background.runLater("access-flush", this::flushQuietly, FLUSH_DELAY);
    }
    return withPending(memory);
  }

  /** Returns the memory with the accesses not yet written added in. */
  public Memory withPending(Memory memory) {
    Pending counted = pending.get(memory.id());
    if (counted == null) {
      return memory;
    }
    Instant last = Instant.ofEpochMilli(counted.lastMillis);
    if (memory.lastAccessedAt() != null && memory.lastAccessedAt().isAfter(last)) {
      last = memory.lastAccessedAt();
    }
    return MemoryQueries.withAccesses(memory, memory.accessCount() + counted.count, last);
  }

  void forget(String memoryId) {
    pending.remove(memoryId);
  }

  /** Writes every pending count in one transaction. */
  public void flush() {
    flushScheduled.set(false);
    if (pending.isEmpty()) {
      return;
    }
    List<String> ids = new ArrayList<>(pending.keySet());
    // Taken only inside the transaction, so that a flush that never gets to write (the store
    // closed first) leaves them to the one that does.
    Map<String, Pending> taken = new LinkedHashMap<>();
    try {
      database.write(
          connection -> {
            for (String id : ids) {
              Pending counted = pending.remove(id);
              if (counted != null) {
                taken.merge(id, counted, Pending::plus);
              }
            }
            taken.forEach(
                (id, counted) ->
                    MemoryQueries.recordAccess(connection, id, counted.count, counted.lastMillis));
            return null;
          });
    } catch (RuntimeException e) {
      // Nothing was written: the counts wait for the next flush, with any counted meanwhile.
      taken.forEach((id, counted) -> pending.merge(id, counted, Pending::plus));
      throw e;
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (IllegalStateException closed) {
      // The store closed meanwhile, and its close wrote the counts.
      LOG.log(Level.DEBUG, "access counts are written by the close", closed);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "writing access counts failed; they are kept for the next write", e);
    }
  }
}
