package dev.memstore.internal.storage;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.sqlite.BusyHandler;

/**
 * Waits for another connection's lock by trying again every one to two milliseconds, up to a limit.
 * SQLite's own handler for {@code busy_timeout} sleeps up to 100 ms between tries, so a writer that
 * waits can lose the lock, try after try, to processes that write without pause: with four such
 * writers, a pruner and a searcher on one file, one write in most two-minute runs waited out a 10 s
 * timeout. One handler per connection; SQLite calls it on the thread that waits.
 */
final class PollingBusyHandler extends BusyHandler {
  private static final long MIN_PAUSE_NANOS = 1_000_000;

  private final long limitNanos;
  private long waitStarted;

  PollingBusyHandler(Duration limit) {
    this.limitNanos = limit.toNanos();
  }

  @Override
  protected int callback(int previousCalls) {
    long now = System.nanoTime();
    if (previousCalls == 0) {
      waitStarted = now;
    }
    if (now - waitStarted >= limitNanos) {
      return 0;
    }
    // A random pause, so that waiters in several processes do not try in step.
    LockSupport.parkNanos(MIN_PAUSE_NANOS + ThreadLocalRandom.current().nextLong(MIN_PAUSE_NANOS));
    return 1;
  }
}
