package dev.memstore.internal.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeExpressionsTest {
  private static final long NOW = Instant.parse("2024-03-01T10:00:00Z").toEpochMilli();

  private static List<String> named(String text) {
    return TimeExpressions.intervals(text, NOW).stream()
        .map(
            interval ->
                Instant.ofEpochMilli(interval[0]) + ".." + Instant.ofEpochMilli(interval[1]))
        .toList();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "What did Elise buy on 7 Jan 2024?|2024-01-07T00:00:00Z..2024-01-08T00:00:00Z",
        "Where was she on the 31st of December, 2023?|2023-12-31T00:00:00Z..2024-01-01T00:00:00Z",
        "When is the water park, December 30, 2023?|2023-12-30T00:00:00Z..2023-12-31T00:00:00Z",
        "What happened on 02.01.2024|2024-01-02T00:00:00Z..2024-01-03T00:00:00Z",
        "What happened on 2024-01-02|2024-01-02T00:00:00Z..2024-01-03T00:00:00Z",
        "What did he cook on 5 Jan?|2024-01-05T00:00:00Z..2024-01-06T00:00:00Z",
        "Her plans for 25 December|2023-12-25T00:00:00Z..2023-12-26T00:00:00Z",
        "Where did he travel in May 2023?|2023-05-01T00:00:00Z..2023-06-01T00:00:00Z",
        "Where did he travel in May?|2023-05-01T00:00:00Z..2023-06-01T00:00:00Z",
        "Where did he travel in February?|2024-02-01T00:00:00Z..2024-03-01T00:00:00Z",
        "Which country did she visit in 2021?|2021-01-01T00:00:00Z..2022-01-01T00:00:00Z",
        "What did I eat yesterday?|2024-02-29T00:00:00Z..2024-03-01T00:00:00Z",
        "What did I eat today?|2024-03-01T00:00:00Z..2024-03-02T00:00:00Z",
        "What did we talk about last week?|2024-02-17T00:00:00Z..2024-03-02T00:00:00Z",
        "What did we talk about last month?|2024-02-01T00:00:00Z..2024-03-02T00:00:00Z",
      })
  void intervals_namedTime_givesItsInterval(String text, String interval) {
    assertEquals(List.of(interval), named(text));
  }

  @Test
  void intervals_wordsThatOnlyLookLikeTimes_nameNoTime() {
    assertTrue(named("You may read 2666 by Bolano, op 118 no. 2, or 11/22/63").isEmpty());
    assertEquals(
        List.of("2024-02-01T00:00:00Z..2024-03-01T00:00:00Z"),
        named("31 February 2024 is not a day"));
  }

  @Test
  void within_timeAtTheEndOfAnInterval_isOutside() {
    List<long[]> day = TimeExpressions.intervals("on 7 Jan 2024", NOW);
    assertTrue(TimeExpressions.within(Instant.parse("2024-01-07T23:59:59Z").toEpochMilli(), day));
    assertTrue(!TimeExpressions.within(Instant.parse("2024-01-08T00:00:00Z").toEpochMilli(), day));
  }
}
