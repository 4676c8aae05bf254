package dev.memstore.internal.search;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the times a query names, in English: dates ({@code 7 Jan 2024}, {@code January 7, 2024},
 * {@code 07.01.2024}, {@code 2024-01-07}), months ({@code May 2023}, {@code in May}), years ({@code
 * 2023}) and a few relative times ({@code today}, {@code yesterday}, {@code last week}, {@code last
 * month}, {@code this year}...), each as an interval of epoch milliseconds in UTC. A date or month
 * without a year is the latest one not after now. Anything else names no time: this is a hint for
 * ranking, not a parser of every phrasing.
 */
final class TimeExpressions {
  private static final long DAY = 86_400_000L;

  private static final Map<String, Integer> MONTHS =
      Map.ofEntries(
          Map.entry("jan", 1),
          Map.entry("feb", 2),
          Map.entry("mar", 3),
          Map.entry("apr", 4),
          Map.entry("may", 5),
          Map.entry("jun", 6),
          Map.entry("jul", 7),
          Map.entry("aug", 8),
          Map.entry("sep", 9),
          Map.entry("oct", 10),
          Map.entry("nov", 11),
          Map.entry("dec", 12));

  private static final String MONTH =
      "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          + "|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
  private static final String DAY_OF_MONTH = "(\\d{1,2})(?:st|nd|rd|th)?";
  private static final String YEAR = "((?:19|20)\\d{2})";

  /** 7 Jan 2024, 7th of January, 2024; the year is optional. */
  private static final Pattern DAY_MONTH =
      Pattern.compile(
          "\\b" + DAY_OF_MONTH + "\\s+(?:of\\s+)?" + MONTH + "(?:,?\\s+" + YEAR + ")?\\b");

  /** January 7, 2024; the year is optional. */
  private static final Pattern MONTH_DAY =
      Pattern.compile("\\b" + MONTH + "\\s+" + DAY_OF_MONTH + "(?:,?\\s+" + YEAR + ")?\\b");

  /** 07.01.2024 (day first, as most of the world writes it) and 2024-01-07. */
  private static final Pattern NUMERIC =
      Pattern.compile(
          "\\b(?:(\\d{1,2})\\.(\\d{1,2})\\.(\\d{4}|\\d{2})|(\\d{4})-(\\d{1,2})-(\\d{1,2}))\\b");

  /** May 2023. */
  private static final Pattern MONTH_YEAR =
      Pattern.compile("\\b" + MONTH + ",?\\s+" + YEAR + "\\b");

  /** In May: a month alone only after "in" or "during", since "may" is also a verb. */
  private static final Pattern MONTH_ALONE =
      Pattern.compile("\\b(?:in|during)\\s+" + MONTH + "\\b");

  private static final Pattern YEAR_ALONE = Pattern.compile("\\b" + YEAR + "\\b");

  private static final Pattern RELATIVE =
      Pattern.compile("\\b(today|yesterday|(?:last|this|past)\\s+(?:week|month|year))\\b");

  private TimeExpressions() {}

  /** Returns the intervals [start, end) the text names, in epoch milliseconds; often none. */
  static List<long[]> intervals(String text, long now) {
    String lower = text.toLowerCase(Locale.ROOT);
    LocalDate today = LocalDate.ofEpochDay(Math.floorDiv(now, DAY));
    List<long[]> intervals = new ArrayList<>();
    // Each pattern blanks what it took, so that "7 Jan 2024" is not also the year 2024.
    StringBuilder rest = new StringBuilder(lower);
    for (Pattern pattern : List.of(DAY_MONTH, MONTH_DAY)) {
      Matcher matcher = pattern.matcher(rest);
      while (matcher.find()) {
        boolean dayFirst = pattern == DAY_MONTH;
        int day = Integer.parseInt(matcher.group(dayFirst ? 1 : 2));
        int month = MONTHS.get(matcher.group(dayFirst ? 2 : 1).substring(0, 3));
        String year = matcher.group(3);
        LocalDate date = date(year == null ? today.getYear() : Integer.parseInt(year), month, day);
        if (date != null && year == null && date.isAfter(today)) {
          date = date(today.getYear() - 1, month, day);
        }
        if (date != null) {
          intervals.add(days(date, date.plusDays(1)));
          blank(rest, matcher);
        }
      }
    }
    Matcher numeric = NUMERIC.matcher(rest);
    while (numeric.find()) {
      LocalDate date =
          numeric.group(1) != null
              ? date(
                  fullYear(numeric.group(3)),
                  Integer.parseInt(numeric.group(2)),
                  Integer.parseInt(numeric.group(1)))
              : date(
                  Integer.parseInt(numeric.group(4)),
                  Integer.parseInt(numeric.group(5)),
                  Integer.parseInt(numeric.group(6)));
      if (date != null) {
        intervals.add(days(date, date.plusDays(1)));
        blank(rest, numeric);
      }
    }
    Matcher monthYear = MONTH_YEAR.matcher(rest);
    while (monthYear.find()) {
      YearMonth month =
          YearMonth.of(
              Integer.parseInt(monthYear.group(2)), MONTHS.get(monthYear.group(1).substring(0, 3)));
      intervals.add(days(month.atDay(1), month.plusMonths(1).atDay(1)));
      blank(rest, monthYear);
    }
    Matcher monthAlone = MONTH_ALONE.matcher(rest);
    while (monthAlone.find()) {
      YearMonth month =
          YearMonth.of(today.getYear(), MONTHS.get(monthAlone.group(1).substring(0, 3)));
      if (month.atDay(1).isAfter(today)) {
        month = month.minusYears(1);
      }
      intervals.add(days(month.atDay(1), month.plusMonths(1).atDay(1)));
    }
    Matcher year = YEAR_ALONE.matcher(rest);
    while (year.find()) {
      int value = Integer.parseInt(year.group(1));
      intervals.add(days(LocalDate.of(value, 1, 1), LocalDate.of(value + 1, 1, 1)));
    }
    Matcher relative = RELATIVE.matcher(lower);
    while (relative.find()) {
      String phrase = relative.group(1).replaceAll("\\s+", " ");
      LocalDate tomorrow = today.plusDays(1);
      intervals.add(
          switch (phrase) {
            case "today" -> days(today, tomorrow);
            case "yesterday" -> days(today.minusDays(1), today);
            case "this week", "past week" -> days(today.minusDays(6), tomorrow);
            case "last week" -> days(today.minusDays(13), tomorrow);
            case "this month", "past month" -> days(today.withDayOfMonth(1), tomorrow);
            case "last month" -> days(today.withDayOfMonth(1).minusMonths(1), tomorrow);
            case "this year", "past year" -> days(today.withDayOfYear(1), tomorrow);
            default -> days(today.withDayOfYear(1).minusYears(1), tomorrow); // last year
          });
    }
    return intervals;
  }

  /** Returns whether a time falls in one of the intervals. */
  static boolean within(long time, List<long[]> intervals) {
    for (long[] interval : intervals) {
      if (time >= interval[0] && time < interval[1]) {
        return true;
      }
    }
    return false;
  }

  private static LocalDate date(int year, int month, int day) {
    try {
      return LocalDate.of(year, month, day);
    } catch (DateTimeException invalid) {
      return null; // 31 February and the like name no date
    }
  }

  private static int fullYear(String year) {
    return year.length() == 2 ? 2000 + Integer.parseInt(year) : Integer.parseInt(year);
  }

  private static long[] days(LocalDate from, LocalDate until) {
    return new long[] {
      from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(),
      until.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()
    };
  }

  private static void blank(StringBuilder text, Matcher matcher) {
    for (int index = matcher.start(); index < matcher.end(); index++) {
      text.setCharAt(index, ' ');
    }
  }
}
