package dev.memstore.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * A clock tests move by hand, so time-dependent behaviour is tested without sleeping. Thread-safe.
 */
public final class MutableClock implements InstantSource {
  private volatile Instant now;

  public MutableClock(Instant start) {
    this.now = start;
  }

  @Override
  public Instant instant() {
    return now;
  }

  public synchronized void advance(Duration duration) {
    now = now.plus(duration);
  }

  /** Sets the clock to a given moment, for tests that replay a script of timestamps. */
  public synchronized void set(Instant instant) {
    now = instant;
  }
}
