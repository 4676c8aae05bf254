package dev.memstore.internal.events;

import dev.memstore.MemoryEvent;
import dev.memstore.MemoryListener;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers events to listeners on one daemon thread, started with the first listener. Writers only
 * enqueue (never block): when the queue is full the oldest event is dropped and counted.
 *
 * <p>The thread is its own, not the store's scheduler: listeners are the caller's code and may
 * block, which must not hold up the log folds; and events keep their order on one thread. {@link
 * #close} stops it.
 */
public final class Events {
  private static final System.Logger LOG = System.getLogger(Events.class.getName());

  private final List<MemoryListener> listeners = new CopyOnWriteArrayList<>();
  private final BlockingQueue<MemoryEvent> queue =
      new ArrayBlockingQueue<>(MemoryListener.MAX_PENDING);
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong finished = new AtomicLong();
  private Thread deliverer;
  private boolean stopped;

  public synchronized void add(MemoryListener listener) {
    listeners.add(listener);
    if (deliverer == null && !stopped) {
      deliverer = new Thread(this::deliver, "memstore-events");
      deliverer.setDaemon(true);
      deliverer.start();
    }
  }

  public boolean remove(MemoryListener listener) {
    return listeners.remove(listener);
  }

  public boolean hasListeners() {
    return !listeners.isEmpty();
  }

  public long dropped() {
    return dropped.get();
  }

  public void publish(MemoryEvent.Type type, String memoryId, Instant at, Map<String, ?> details) {
    if (listeners.isEmpty()) {
      return;
    }
    MemoryEvent event = new MemoryEvent(type, memoryId, at, new LinkedHashMap<>(details));
    published.incrementAndGet();
    while (!queue.offer(event)) {
      if (queue.poll() != null) {
        dropped.incrementAndGet();
        finished.incrementAndGet();
      }
    }
  }

  public void publishAll(MemoryEvent.Type type, List<String> memoryIds, Instant at) {
    if (listeners.isEmpty()) {
      return;
    }
    for (String id : memoryIds) {
      publish(type, id, at, Map.of());
    }
  }

  /** Waits until every event published so far was delivered (for close and tests). */
  public void drain() {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (finished.get() < published.get() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Delivers what is queued (see {@link #drain}), then stops the delivery thread. */
  public void close() {
    drain();
    Thread stopping;
    synchronized (this) {
      stopping = deliverer;
      deliverer = null;
      stopped = true;
    }
    if (stopping == null) {
      return;
    }
    stopping.interrupt();
    if (stopping == Thread.currentThread()) {
      // A listener closed the store: the thread ends when the listener returns.
      return;
    }
    try {
      stopping.join(STOP_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How long close waits for a listener that is still running. */
  private static final long STOP_WAIT_MILLIS = 5_000;

  private void deliver() {
    while (true) {
      MemoryEvent event;
      try {
        event = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      for (MemoryListener listener : listeners) {
        try {
          listener.onEvent(event);
        } catch (RuntimeException | AssertionError e) {
          LOG.log(Level.WARNING, "a memory listener failed on " + event.type().wireName(), e);
        }
      }
      finished.incrementAndGet();
    }
  }
}
