package dev.memstore.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final MutableClock clock = new MutableClock(START);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final List<String> ran = new ArrayList<>();

  @Test
  void advance_runsDueTasksInTimeOrderAtTheirTime() {
    scheduler.schedule(() -> ran.add("b at " + clock.instant()), 2, TimeUnit.SECONDS);
    scheduler.schedule(() -> ran.add("a at " + clock.instant()), 1, TimeUnit.SECONDS);
    scheduler.schedule(() -> ran.add("c"), 10, TimeUnit.SECONDS);
    assertEquals(0, scheduler.runDue(), "nothing is due yet");

    assertEquals(2, scheduler.advance(Duration.ofSeconds(5)));

    assertEquals(List.of("a at " + START.plusSeconds(1), "b at " + START.plusSeconds(2)), ran);
    assertEquals(START.plusSeconds(5), clock.instant());
    assertEquals(1, scheduler.pending());
  }

  @Test
  void advance_runsAPeriodicTaskEachTimeItFallsDue_untilCancelled() {
    ScheduledFuture<?> periodic =
        scheduler.scheduleWithFixedDelay(() -> ran.add("tick"), 1, 1, TimeUnit.SECONDS);
    scheduler.advance(Duration.ofMillis(3_500));
    assertEquals(3, ran.size());

    periodic.cancel(false);
    scheduler.advance(Duration.ofSeconds(10));
    assertEquals(3, ran.size());
    assertEquals(0, scheduler.pending());
  }

  @Test
  void runDue_runsWhatTasksScheduleForNow() {
    scheduler.execute(() -> scheduler.execute(() -> ran.add("second")));
    assertEquals(2, scheduler.runDue());
    assertEquals(List.of("second"), ran);
    assertEquals(0, scheduler.pending());
  }
}
