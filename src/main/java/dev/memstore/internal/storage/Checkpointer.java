package dev.memstore.internal.storage;

import dev.memstore.internal.background.Background;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Folds the write-ahead log into the database file in the background, so that a plain copy of the
 * file alone holds what was written: while writes continue, at least every {@link #FOLD_INTERVAL}
 * by a PASSIVE checkpoint on a reader connection (it never waits for readers and does not hold the
 * writer lock; only the short vector copy before it does), and once writes pause for the checkpoint
 * delay by a TRUNCATE checkpoint, so an idle store's file is complete on its own and its log empty.
 * The log's size is bounded by the {@code journal_size_limit} {@link Database} sets at open.
 */
final class Checkpointer {
  private static final System.Logger LOG = System.getLogger(Checkpointer.class.getName());

  /** While writes continue, the longest a write stays in the log only. */
  static final Duration FOLD_INTERVAL = Duration.ofSeconds(1);

  private static final Duration IDLE_CHECKPOINT_BUSY = Duration.ofMillis(50);

  /** No write waits in the log: the time a write was first not yet folded, or this value. */
  private static final long NOTHING_UNFOLDED = Long.MIN_VALUE;

  private final Database database;
  private final Background background;
  private final Duration checkpointDelay;
  private final AtomicBoolean checkpointScheduled = new AtomicBoolean();
  private volatile long lastWriteNanos;
  private final AtomicLong unfoldedSinceNanos = new AtomicLong(NOTHING_UNFOLDED);
  private volatile SqlWork<Boolean> beforeCheckpointStep = connection -> true;

  Checkpointer(Database database, Background background, Duration checkpointDelay) {
    this.database = database;
    this.background = background;
    this.checkpointDelay = checkpointDelay;
  }

  /** See {@link Database#beforeCheckpointInSteps}. */
  void beforeCheckpointInSteps(SqlWork<Boolean> step) {
    this.beforeCheckpointStep = step;
  }

  /** Notes a write at {@code now}: the fold after it is scheduled unless one is. */
  void afterWrite(long now) {
    lastWriteNanos = now;
    unfoldedSinceNanos.compareAndSet(NOTHING_UNFOLDED, now);
    if (checkpointScheduled.compareAndSet(false, true)) {
      scheduleCheckpoint(Math.min(checkpointDelay.toNanos(), FOLD_INTERVAL.toNanos()));
    }
  }

  private void scheduleCheckpoint(long delayNanos) {
    // A closing store ignores it; the next open starts afresh.
    background.runLater("checkpoint", this::foldLog, Duration.ofNanos(delayNanos));
  }

  /**
   * Runs in the background: a TRUNCATE checkpoint once writes paused for the checkpoint delay, else
   * a PASSIVE one when a write has waited in the log for {@link #FOLD_INTERVAL}.
   */
  private void foldLog() {
    long now = background.nanoTime();
    long idleDelay = checkpointDelay.toNanos();
    long idleNanos = now - lastWriteNanos;
    if (idleNanos >= idleDelay) {
      checkpointScheduled.set(false);
      long unfoldedSince = unfoldedSinceNanos.getAndSet(NOTHING_UNFOLDED);
      if (!idleCheckpoint()) {
        unfoldedAgainSince(unfoldedSince);
        if (checkpointScheduled.compareAndSet(false, true)) {
          scheduleCheckpoint(idleDelay);
        }
      }
      return;
    }
    long unfoldedSince = unfoldedSinceNanos.get();
    if (unfoldedSince != NOTHING_UNFOLDED && now - unfoldedSince >= FOLD_INTERVAL.toNanos()) {
      unfoldedSinceNanos.set(NOTHING_UNFOLDED);
      if (!passiveCheckpoint()) {
        unfoldedAgainSince(unfoldedSince);
      }
      now = background.nanoTime();
    }
    long untilIdle = idleDelay - (now - lastWriteNanos);
    long pending = unfoldedSinceNanos.get();
    long untilFold =
        pending == NOTHING_UNFOLDED
            ? FOLD_INTERVAL.toNanos()
            : FOLD_INTERVAL.toNanos() - (now - pending);
    scheduleCheckpoint(Math.max(0, Math.min(untilIdle, untilFold)));
  }

  /** A fold failed or was partial: the writes it was to fold still wait, from their first. */
  private void unfoldedAgainSince(long since) {
    unfoldedSinceNanos.updateAndGet(
        current -> current == NOTHING_UNFOLDED || since - current < 0 ? since : current);
  }

  /** Returns true when the log was folded completely and truncated. */
  private boolean idleCheckpoint() {
    if (!passiveCheckpoint()) {
      // Copying the pages is the long part; done without the writer lock, the TRUNCATE below
      // only syncs and empties the log. Whether or not it got everything, TRUNCATE finishes it.
      LOG.log(
          Level.DEBUG,
          "the fold before the idle checkpoint of " + database.path() + " was partial");
    }
    if (database.isClosed()) {
      return true;
    }
    ReentrantLock writerLock = database.writerLock();
    writerLock.lock();
    long started = System.nanoTime();
    try {
      if (database.isClosed()) {
        return true;
      }
      database.runBeforeCheckpoint();
      // A short busy wait: an idle checkpoint must not hold our writers up behind a slow reader.
      return database.truncateLogWithin(IDLE_CHECKPOINT_BUSY);
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "idle checkpoint of " + database.path() + " failed; retrying later", e);
      return false;
    } finally {
      writerLock.unlock();
      database.writerHeld("idle", System.nanoTime() - started);
    }
  }

  /**
   * Copies every committed page of the log into the file without waiting for anyone: the writer
   * lock is held only for the steps of the vector copy before it, and a PASSIVE checkpoint neither
   * waits for readers nor blocks writers. Full-text merges after deletes wait for the idle
   * checkpoint. Returns true when every frame was copied.
   */
  private boolean passiveCheckpoint() {
    try {
      if (!runCheckpointSteps()) {
        return true;
      }
      Connection connection = database.borrowReader();
      try {
        long[] result =
            Sql.queryFirst(
                connection,
                "pragma wal_checkpoint(passive)",
                row -> new long[] {row.getLong(1), row.getLong(2), row.getLong(3)});
        return result != null && result[0] == 0 && result[1] == result[2];
      } finally {
        database.returnReader(connection);
      }
    } catch (RuntimeException e) {
      LOG.log(
          Level.DEBUG, "periodic checkpoint of " + database.path() + " failed; retrying later", e);
      return false;
    }
  }

  /**
   * Runs the steps of {@link #beforeCheckpointInSteps} until done, releasing the writer lock
   * between them; returns false when the store closed meanwhile.
   */
  private boolean runCheckpointSteps() {
    ReentrantLock writerLock = database.writerLock();
    boolean done = false;
    while (!done) {
      writerLock.lock();
      long started = System.nanoTime();
      try {
        if (database.isClosed()) {
          return false;
        }
        done = database.transaction(beforeCheckpointStep);
      } finally {
        writerLock.unlock();
        database.writerHeld("step", System.nanoTime() - started);
      }
    }
    return true;
  }
}
