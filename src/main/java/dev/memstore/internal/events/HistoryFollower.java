package dev.memstore.internal.events;

import dev.memstore.HistoryEntry;
import dev.memstore.MemoryEvent;
import dev.memstore.internal.background.Background;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.HistoryQueries;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Tells this store's listeners what other stores did to the file: another process (memctl prune, a
 * second assistant) or another store open on the same file in this process. While there are
 * listeners it reads, every {@link #INTERVAL}, the history entries after the last one it saw and
 * passes on as events those that another store wrote. This store's own changes are published as
 * they are made, not here.
 *
 * <p>What the history does not record raises no event here: reads ({@code retrieved}) and
 * maintenance runs. A memory whose entries another store replaced with its deletion before the next
 * read is reported as deleted only.
 */
public final class HistoryFollower {
  private static final System.Logger LOG = System.getLogger(HistoryFollower.class.getName());

  /** How often the history is read while there are listeners. */
  static final Duration INTERVAL = Duration.ofSeconds(1);

  private static final int PAGE = 1_000;

  /** The events the store's own code raises for deletions with these reasons. */
  private static final Map<String, MemoryEvent.Type> DELETIONS =
      Map.of(
          "expired", MemoryEvent.Type.EXPIRED,
          "pruned", MemoryEvent.Type.PRUNED,
          "evicted", MemoryEvent.Type.EVICTED,
          "cleaned up", MemoryEvent.Type.PRUNED);

  private final Database database;
  private final Background background;
  private final Events events;

  /** The newest entry passed on or skipped; negative while not following. Guarded by this. */
  private long lastSeen = -1;

  /** Whether a read is scheduled. Guarded by this. */
  private boolean scheduled;

  public HistoryFollower(Database database, Background background, Events events) {
    this.database = database;
    this.background = background;
    this.events = events;
  }

  /** Starts following from the newest entry, unless already following; call with a listener. */
  public synchronized void start() {
    if (lastSeen >= 0) {
      return;
    }
    lastSeen = database.read(HistoryQueries::newestSeq);
    if (!scheduled) {
      scheduled = true;
      background.runLater("history", this::followQuietly, INTERVAL);
    }
  }

  /**
   * Passes on what other stores wrote since the last read; stops following once no listener is
   * left.
   */
  synchronized void follow() {
    if (lastSeen < 0) {
      return;
    }
    if (!events.hasListeners()) {
      lastSeen = -1;
      return;
    }
    List<HistoryQueries.Written> page;
    do {
      long after = lastSeen;
      page = database.read(connection -> HistoryQueries.after(connection, after, PAGE));
      for (HistoryQueries.Written written : page) {
        lastSeen = written.entry().sequence();
        if (!Objects.equals(written.writerId(), database.writerId())) {
          publish(written.entry());
        }
      }
    } while (page.size() == PAGE);
  }

  private void followQuietly() {
    synchronized (this) {
      scheduled = false;
    }
    try {
      follow();
    } catch (IllegalStateException closed) {
      LOG.log(Level.DEBUG, "the store closed; no longer following its history", closed);
      return;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "reading other stores' changes failed; trying again", e);
    }
    synchronized (this) {
      if (lastSeen >= 0 && !scheduled) {
        scheduled = true;
        background.runLater("history", this::followQuietly, INTERVAL);
      }
    }
  }

  private void publish(HistoryEntry entry) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("other_store", true);
    MemoryEvent.Type type =
        switch (entry.action()) {
          case CREATED -> MemoryEvent.Type.STORED;
          case UPDATED -> MemoryEvent.Type.UPDATED;
          case REINFORCED -> MemoryEvent.Type.REINFORCED;
          case PROMOTED -> MemoryEvent.Type.PROMOTED;
          case ARCHIVED -> MemoryEvent.Type.ARCHIVED;
          case CONSOLIDATED -> consolidation(entry, details);
          case DELETED -> deletion(entry, details);
        };
    events.publish(type, entry.memoryId(), entry.at(), details);
  }

  /**
   * The kept memory of a consolidation is {@code consolidated}; each memory merged into it is
   * {@code archived}, as the store that consolidated told its own listeners.
   */
  private static MemoryEvent.Type consolidation(HistoryEntry entry, Map<String, Object> details) {
    HistoryEntry.Change into = entry.changes().get("consolidated_into");
    if (into != null) {
      details.put("consolidated_into", into.to());
      return MemoryEvent.Type.ARCHIVED;
    }
    HistoryEntry.Change merged = entry.changes().get("merged_ids");
    if (merged != null) {
      details.put("merged_ids", merged.to());
    }
    return MemoryEvent.Type.CONSOLIDATED;
  }

  private static MemoryEvent.Type deletion(HistoryEntry entry, Map<String, Object> details) {
    HistoryEntry.Change reason = entry.changes().get("reason");
    if (reason == null || !(reason.to() instanceof String text)) {
      return MemoryEvent.Type.DELETED;
    }
    details.put("reason", text);
    return DELETIONS.getOrDefault(text, MemoryEvent.Type.DELETED);
  }
}
