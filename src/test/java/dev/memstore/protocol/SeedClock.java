package dev.memstore.protocol;

import java.time.Instant;
import java.time.InstantSource;

/**
 * A clock the test sets to the moments of the seed's examples, so that the times the store writes
 * can be compared with the seed's. Thread-safe.
 */
final class SeedClock implements InstantSource {
  private volatile Instant now;

  SeedClock(String now) {
    set(now);
  }

  void set(String now) {
    this.now = Instant.parse(now);
  }

  @Override
  public Instant instant() {
    return now;
  }
}
