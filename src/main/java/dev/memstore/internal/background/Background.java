package dev.memstore.internal.background;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Every background task of one store runs here: on one scheduler, the store's own or one the host
 * injected (see {@code MemoryStoreBuilder.scheduler}), and the search work on per-store helper
 * pools. {@link #close} cancels what is pending and stops the store's own threads; an injected
 * scheduler is the host's to shut down.
 *
 * <p>The own scheduler has two threads: a snapshot or a maintenance run takes seconds on a large
 * file, and the other thread keeps folding the log meanwhile. Long CPU work (the index build, the
 * keyword index load) is started by the scheduler but runs on the search pool, so it never holds a
 * scheduler thread. While a task runs on one of the store's own threads, the thread bears the
 * task's name ({@code memstore-checkpoint memory.db}), so a thread dump says what it does.
 *
 * <p>With an injected scheduler, delays are measured on the store's clock, so that a test that
 * controls both the scheduler and the clock controls time; the store's own scheduler measures them
 * with {@link System#nanoTime}.
 */
public final class Background implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Background.class.getName());

  /** How long close waits for a running task (a snapshot, a maintenance run) to end. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(10);

  private final String fileName;
  private final ScheduledExecutorService scheduler;
  private final boolean owned;
  private final InstantSource clock;
  private final ExecutorService search;
  private final ExecutorService vectorSearch;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final Set<Job> pending = ConcurrentHashMap.newKeySet();
  private final Set<Future<?>> periodic = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private Background(ScheduledExecutorService injected, InstantSource clock, String fileName) {
    this.fileName = fileName;
    this.clock = clock;
    this.owned = injected == null;
    if (owned) {
      ScheduledThreadPoolExecutor own = new ScheduledThreadPoolExecutor(2, named("scheduler"));
      own.setRemoveOnCancelPolicy(true);
      this.scheduler = own;
    } else {
      this.scheduler = injected;
    }
    // The keyword side of a hybrid search, the upper half of a file scan and the index builds:
    // several may wait on one another, so the pool grows instead of queueing.
    this.search =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            named("search"),
            this::rejectClosed);
    // One helper for the vector index's second half, as many as there were in the whole process.
    this.vectorSearch =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            named("vector-search"),
            this::rejectClosed);
  }

  /**
   * The background of a store on the file: on the injected scheduler, or on the store's own when
   * {@code injected} is null.
   */
  public static Background of(ScheduledExecutorService injected, InstantSource clock, String file) {
    return new Background(injected, clock, file);
  }

  /** The time delays are measured on, in nanoseconds: only differences mean anything. */
  public long nanoTime() {
    if (owned) {
      return System.nanoTime();
    }
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** Runs a task once after the delay; ignored once the store is closing. */
  public void runLater(String job, Runnable task, Duration delay) {
    if (closed) {
      return;
    }
    Job scheduled = new Job(job, task);
    pending.add(scheduled);
    try {
      scheduled.future = scheduler.schedule(scheduled, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      pending.remove(scheduled);
      LOG.log(Level.DEBUG, "not scheduled: the store on " + fileName + " is closing");
    }
  }

  /** Runs a task again and again, the interval apart, until cancelled or the store closes. */
  public ScheduledFuture<?> every(String job, Runnable task, Duration interval) {
    long nanos = interval.toNanos();
    ScheduledFuture<?> future =
        scheduler.scheduleWithFixedDelay(
            () -> runNamed(job, task), nanos, nanos, TimeUnit.NANOSECONDS);
    periodic.add(future);
    return future;
  }

  /** Runs long work (an index build) on the search pool, named after its job. */
  public void runLong(String job, Runnable work) {
    if (closed) {
      return;
    }
    try {
      search.execute(() -> runNamed(job, work));
    } catch (IllegalStateException closing) {
      LOG.log(Level.DEBUG, job + " not started: the store on " + fileName + " is closing");
    }
  }

  /**
   * The helper threads of searches: the keyword side of a hybrid search, the upper half of a scan
   * of the file and the second reader of an index build.
   */
  public ExecutorService search() {
    return search;
  }

  /** The one helper thread of the vector index's parallel halves. */
  public ExecutorService vectorSearch() {
    return vectorSearch;
  }

  /**
   * Cancels every pending task and stops the store's own threads, waiting for a running task to
   * end; the search pools are interrupted and waited for too. Call after the database closed, so
   * that an index build in progress stops at its next chunk instead of running to its end.
   */
  @Override
  public void close() {
    stopScheduling();
    search.shutdownNow();
    vectorSearch.shutdownNow();
    long deadline = System.nanoTime() + STOP_WAIT.toNanos();
    for (Thread thread : threads) {
      long left = deadline - System.nanoTime();
      if (thread == Thread.currentThread() || left <= 0) {
        continue;
      }
      try {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (thread.isAlive()) {
        LOG.log(Level.WARNING, thread.getName() + " did not stop within " + STOP_WAIT);
      }
    }
  }

  /**
   * Cancels the pending tasks so that none starts while the store closes, and stops the store's own
   * scheduler, waiting for its running task (a maintenance run, a snapshot) to end, so that the
   * database closes after it. A task running on an injected scheduler is not waited for: it finds
   * the store closed. {@link #close} stops the rest.
   */
  public void stopScheduling() {
    closed = true;
    pending.forEach(Job::cancel);
    pending.clear();
    periodic.forEach(future -> future.cancel(false));
    if (!owned) {
      return;
    }
    scheduler.shutdownNow();
    if (threads.contains(Thread.currentThread())) {
      // A task that closes the store would wait for itself.
      return;
    }
    try {
      if (!scheduler.awaitTermination(STOP_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
        LOG.log(Level.WARNING, "a background task of " + fileName + " did not stop in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A search of a closed store fails as every other call does. */
  private void rejectClosed(Runnable task, ThreadPoolExecutor executor) {
    throw new IllegalStateException("the memory store at " + fileName + " is closed");
  }

  private void runNamed(String job, Runnable task) {
    Thread thread = Thread.currentThread();
    if (!threads.contains(thread)) {
      // The host's thread keeps its own name.
      task.run();
      return;
    }
    String idle = thread.getName();
    thread.setName("memstore-" + job + " " + fileName);
    try {
      task.run();
    } finally {
      thread.setName(idle);
    }
  }

  private ThreadFactory named(String job) {
    return runnable -> {
      Thread thread =
          new Thread(
              () -> {
                try {
                  runnable.run();
                } finally {
                  // A search thread idle for a minute ends: the list holds the living ones only.
                  threads.remove(Thread.currentThread());
                }
              },
              "memstore-" + job + " " + fileName);
      thread.setDaemon(true);
      threads.add(thread);
      return thread;
    };
  }

  /** A task run once; it forgets itself when it ran or was cancelled. */
  private final class Job implements Runnable {
    private final String name;
    private final Runnable task;
    private volatile Future<?> future;

    Job(String name, Runnable task) {
      this.name = name;
      this.task = task;
    }

    @Override
    public void run() {
      pending.remove(this);
      if (!closed) {
        runNamed(name, task);
      }
    }

    void cancel() {
      Future<?> scheduled = future;
      if (scheduled != null) {
        scheduled.cancel(false);
      }
    }
  }
}
