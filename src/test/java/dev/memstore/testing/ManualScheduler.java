package dev.memstore.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler that runs nothing by itself: {@link #runDue} and {@link #advance} run the tasks that
 * are due, on the calling thread, at the time of a {@link MutableClock} that the store shares (give
 * the store the same clock, so that it measures its delays on it). Deterministic: tests drive time
 * instead of sleeping. Thread-safe; tasks may be scheduled from any thread.
 */
public final class ManualScheduler extends AbstractExecutorService
    implements ScheduledExecutorService {
  /** More tasks than this due at once means a task that keeps scheduling itself without delay. */
  private static final int RUN_LIMIT = 100_000;

  private final MutableClock clock;
  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  private long sequence;
  private boolean shutdown;

  public ManualScheduler(MutableClock clock) {
    this.clock = clock;
  }

  /** The clock this scheduler runs on. */
  public MutableClock clock() {
    return clock;
  }

  /** Runs every task due by now, including those the tasks schedule for now; returns how many. */
  public int runDue() {
    return runUntil(clock.instant());
  }

  /**
   * Moves the clock forward by the duration, running each task due on the way at its time (a
   * periodic task as many times as it falls due); returns how many ran.
   */
  public int advance(Duration duration) {
    Instant target = clock.instant().plus(duration);
    int ran = runUntil(target);
    clock.set(target);
    return ran;
  }

  /** How many tasks wait (cancelled ones are not counted). */
  public synchronized int pending() {
    return (int) queue.stream().filter(task -> !task.isCancelled()).count();
  }

  private int runUntil(Instant target) {
    int ran = 0;
    while (true) {
      Task<?> next;
      synchronized (this) {
        queue.removeIf(Task::isCancelled);
        next = queue.peek();
        if (next == null || next.due.isAfter(target)) {
          return ran;
        }
        queue.poll();
      }
      if (next.due.isAfter(clock.instant())) {
        clock.set(next.due);
      }
      next.runOnce();
      if (++ran > RUN_LIMIT) {
        throw new IllegalStateException("tasks keep scheduling themselves without delay");
      }
    }
  }

  private synchronized <V> Task<V> add(Task<V> task) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("the scheduler is shut down");
    }
    queue.add(task);
    return task;
  }

  private Instant dueIn(long delay, TimeUnit unit) {
    return clock.instant().plusNanos(Math.max(0, unit.toNanos(delay)));
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(new Task<>(Executors.callable(command), dueIn(delay, unit), 0));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return add(new Task<>(callable, dueIn(delay, unit), 0));
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    return add(
        new Task<>(Executors.callable(command), dueIn(initialDelay, unit), unit.toNanos(period)));
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return scheduleAtFixedRate(command, initialDelay, delay, unit);
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> left = new ArrayList<>(queue);
    queue.clear();
    return left;
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }

  /** A task and when it is due; periodic when {@code period} is positive. */
  private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
    private final long order = nextSequence();
    private final long period;
    private volatile Instant due;

    Task(Callable<V> callable, Instant due, long period) {
      super(callable);
      this.due = due;
      this.period = period;
    }

    void runOnce() {
      if (period <= 0) {
        run();
      } else if (runAndReset()) {
        synchronized (ManualScheduler.this) {
          due = due.plusNanos(period);
          if (!shutdown) {
            queue.add(this);
          }
        }
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(Duration.between(clock.instant(), due));
    }

    @Override
    public int compareTo(Delayed other) {
      if (other instanceof ManualScheduler.Task<?> task) {
        int byTime = due.compareTo(task.due);
        return byTime != 0 ? byTime : Long.compare(order, task.order);
      }
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }
  }

  private synchronized long nextSequence() {
    return sequence++;
  }
}
