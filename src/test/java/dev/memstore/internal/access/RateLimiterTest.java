package dev.memstore.internal.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.memstore.ErrorCode;
import dev.memstore.RateLimitExceededException;
import dev.memstore.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The token buckets per agent, on a clock the tests move: no sleeps. */
class RateLimiterTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final RateLimiter limiter = new RateLimiter(clock);

  private void request(String agent, double requests) {
    limiter.acquire(agent, requests, 0, false);
  }

  private RateLimitExceededException refused(
      String agent, double requests, double writes, boolean write) {
    return assertThrows(
        RateLimitExceededException.class, () -> limiter.acquire(agent, requests, writes, write));
  }

  @Test
  void acquire_burstOfOneSecond_thenRefusedWithTheTimeToTheNextToken() {
    for (int index = 0; index < 10; index++) {
      request("assistant", 10);
    }
    RateLimitExceededException refusal = refused("assistant", 10, 0, false);
    assertEquals(ErrorCode.RATE_LIMIT_EXCEEDED, refusal.code());
    assertEquals("assistant", refusal.agent());
    assertEquals(Duration.ofMillis(100), refusal.retryAfter());
    assertEquals(100L, refusal.details().get("retry_after_ms"));
    assertEquals("10 requests per second", refusal.details().get("limit"));
  }

  @Test
  void acquire_refused_takesNothing() {
    for (int index = 0; index < 5; index++) {
      request("assistant", 5);
    }
    clock.advance(Duration.ofMillis(50));
    // However often it is refused, the next token still comes 200 ms after the last one.
    for (int index = 0; index < 3; index++) {
      assertEquals(Duration.ofMillis(150), refused("assistant", 5, 0, false).retryAfter());
    }
    clock.advance(Duration.ofMillis(150));
    request("assistant", 5);
    assertEquals(Duration.ofMillis(200), refused("assistant", 5, 0, false).retryAfter());
  }

  @Test
  void acquire_refills_atTheRateUpToOneSecondsWorth() {
    for (int index = 0; index < 10; index++) {
      request("assistant", 10);
    }
    clock.advance(Duration.ofMillis(250));
    request("assistant", 10);
    request("assistant", 10);
    assertEquals(Duration.ofMillis(50), refused("assistant", 10, 0, false).retryAfter());
    // An hour idle fills the bucket to one second's worth, not an hour's.
    clock.advance(Duration.ofHours(1));
    for (int index = 0; index < 10; index++) {
      request("assistant", 10);
    }
    assertEquals(Duration.ofMillis(100), refused("assistant", 10, 0, false).retryAfter());
  }

  @Test
  void acquire_writesOverTheirLimit_refusedWithoutTakingARequest() {
    limiter.acquire("assistant", 5, 2, true);
    limiter.acquire("assistant", 5, 2, true);
    RateLimitExceededException refusal = refused("assistant", 5, 2, true);
    assertEquals("2 writes per second", refusal.details().get("limit"));
    assertEquals(Duration.ofMillis(500), refusal.retryAfter());
    // The refused write took no request: three of the five are left for reads, and only three.
    for (int index = 0; index < 3; index++) {
      limiter.acquire("assistant", 5, 2, false);
    }
    RateLimitExceededException reads = refused("assistant", 5, 2, false);
    assertEquals("5 requests per second", reads.details().get("limit"));
    assertEquals(Duration.ofMillis(200), reads.retryAfter());
  }

  @Test
  void acquire_bothOverTheirLimits_waitsForTheLater() {
    limiter.acquire("assistant", 2, 1, true);
    limiter.acquire("assistant", 2, 1, false);
    RateLimitExceededException refusal = refused("assistant", 2, 1, true);
    assertEquals("1 writes per second", refusal.details().get("limit"));
    assertEquals(Duration.ofSeconds(1), refusal.retryAfter());
    clock.advance(Duration.ofSeconds(1));
    limiter.acquire("assistant", 2, 1, true);
  }

  @Test
  void acquire_rateBelowOnePerSecond_burstOfOne() {
    limiter.acquire("assistant", 0.5, 0, false);
    RateLimitExceededException refusal = refused("assistant", 0.5, 0, false);
    assertEquals(Duration.ofSeconds(2), refusal.retryAfter());
    assertEquals("0.5 requests per second", refusal.details().get("limit"));
  }

  @Test
  void acquire_agentsCountedApart() {
    request("assistant", 1);
    refused("assistant", 1, 0, false);
    request("calendar", 1);
  }

  @Test
  void acquire_noLimits_neverRefused() {
    for (int index = 0; index < 1_000; index++) {
      limiter.acquire("assistant", 0, -1, true);
    }
  }

  @Test
  void acquire_writeLimitOnly_readsUnlimited() {
    limiter.acquire("assistant", 0, 1, true);
    refused("assistant", 0, 1, true);
    for (int index = 0; index < 100; index++) {
      limiter.acquire("assistant", 0, 1, false);
    }
  }

  @Test
  void acquire_clockSetBack_holdsTheAgentUpForOneTokenAtMost() {
    for (int index = 0; index < 4; index++) {
      request("assistant", 4);
    }
    clock.set(clock.instant().minus(Duration.ofDays(1)));
    assertEquals(Duration.ofMillis(250), refused("assistant", 4, 0, false).retryAfter());
    clock.advance(Duration.ofMillis(250));
    request("assistant", 4);
  }

  @Test
  void acquire_concurrentCallers_exactlyTheBurstPasses() throws Exception {
    int threads = 8;
    AtomicInteger allowed = new AtomicInteger();
    AtomicInteger refusals = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    for (int thread = 0; thread < threads; thread++) {
      Thread caller =
          new Thread(
              () -> {
                try {
                  start.await();
                  for (int index = 0; index < 100; index++) {
                    try {
                      limiter.acquire("assistant", 50, 0, false);
                      allowed.incrementAndGet();
                    } catch (RateLimitExceededException e) {
                      refusals.incrementAndGet();
                    }
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      caller.start();
      started.add(caller);
    }
    start.countDown();
    for (Thread caller : started) {
      caller.join();
    }
    assertEquals(50, allowed.get());
    assertEquals(threads * 100 - 50, refusals.get());
  }
}
