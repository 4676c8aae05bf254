package dev.memstore.internal.access;

import dev.memstore.RateLimitExceededException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits how many requests and writes per second each agent makes through one store in this
 * process. Thread-safe.
 *
 * <p>Each agent has two token buckets, one for requests and one for writes, each holding one
 * second's worth of tokens (at least one) and refilled continuously at its rate. They are kept as
 * the generic cell rate algorithm keeps them: one number per bucket, the time at which the bucket
 * would be full again, so that a request costs a clock read, a map lookup and a few additions, and
 * the time until the next token is exact. A refused request takes nothing from either bucket.
 *
 * <p>Limits hold per limiter: each process (each store opened in it) counts on its own, so an agent
 * that runs in two processes may make twice its requests in all. Time comes from the injected
 * clock; a clock set back does not hold an agent up for more than one token's time.
 */
public final class RateLimiter {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final InstantSource clock;
  private final Map<String, Buckets> agents = new ConcurrentHashMap<>();

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
    boolean limitsRequests = requestsPerSecond > 0;
    boolean limitsWrites = write && writesPerSecond > 0;
    if (!limitsRequests && !limitsWrites) {
      return;
    }
    Buckets buckets = agents.get(agent);
    if (buckets == null) {
      buckets = agents.computeIfAbsent(agent, key -> new Buckets());
    }
    Instant instant = clock.instant();
    long now = instant.getEpochSecond() * NANOS_PER_SECOND + instant.getNano();
    long requestWait;
    long writeWait;
    synchronized (buckets) {
      long requestsFull = limitsRequests ? buckets.requestsFull(now, requestsPerSecond) : 0;
      long writesFull = limitsWrites ? buckets.writesFull(now, writesPerSecond) : 0;
      requestWait = limitsRequests ? wait(requestsFull, now, requestsPerSecond) : 0;
      writeWait = limitsWrites ? wait(writesFull, now, writesPerSecond) : 0;
      if (requestWait <= 0 && writeWait <= 0) {
        if (limitsRequests) {
          buckets.requestsFull = requestsFull;
        }
        if (limitsWrites) {
          buckets.writesFull = writesFull;
        }
        return;
      }
    }
    // Refused: the request can run once both buckets hold a token, so after the longer wait.
    boolean writesLonger = writeWait > requestWait;
    throw new RateLimitExceededException(
        agent,
        writesLonger
            ? number(writesPerSecond) + " writes per second"
            : number(requestsPerSecond) + " requests per second",
        Duration.ofNanos(Math.max(requestWait, writeWait)));
  }

  /** The time between two tokens at the rate, in nanoseconds (at least 1). */
  private static long interval(double perSecond) {
    return Math.max(1, Math.round(NANOS_PER_SECOND / perSecond));
  }

  /** How far ahead of now a bucket may be full again: one second's worth, or one token. */
  private static long burst(double perSecond) {
    return Math.max(NANOS_PER_SECOND, interval(perSecond));
  }

  /**
   * The time the bucket would be full again after taking a token, given when it is full now (a time
   * in the past means full now).
   */
  private static long afterTaking(long full, long now, double perSecond) {
    return Math.max(full, now) + interval(perSecond);
  }

  /**
   * When a bucket is full again as stored, unless the clock was set back since: then it is brought
   * back to at most one burst ahead, which takes nothing from the agent (no stored time is ever
   * more than a burst ahead of the clock it was taken on).
   */
  private static long sinceClockSetBack(long full, long now, double perSecond) {
    return Math.min(full, now + burst(perSecond));
  }

  /** How long until the bucket holds a token, in nanoseconds; 0 or less when it holds one now. */
  private static long wait(long fullAfterTaking, long now, double perSecond) {
    return fullAfterTaking - burst(perSecond) - now;
  }

  /** A rate as people write it: {@code 10}, or {@code 0.5}. */
  static String number(double perSecond) {
    return perSecond == Math.rint(perSecond) && perSecond < 1e15
        ? Long.toString((long) perSecond)
        : Double.toString(perSecond);
  }

  /** When each of one agent's buckets is full again, in nanoseconds of the clock; guarded. */
  private static final class Buckets {
    private long requestsFull = Long.MIN_VALUE / 2;
    private long writesFull = Long.MIN_VALUE / 2;

    long requestsFull(long now, double perSecond) {
      requestsFull = sinceClockSetBack(requestsFull, now, perSecond);
      return afterTaking(requestsFull, now, perSecond);
    }

    long writesFull(long now, double perSecond) {
      writesFull = sinceClockSetBack(writesFull, now, perSecond);
      return afterTaking(writesFull, now, perSecond);
    }
  }
}
