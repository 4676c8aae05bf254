package dev.memstore.internal.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in config files and on command lines. */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 7d} or ISO-8601 ({@code
   * PT10S}).
   *
   * @throws IllegalArgumentException saying what is accepted
   */
  public static Duration parse(String text) {
    String trimmed = text.strip();
    Matcher matcher = SHORT.matcher(trimmed);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
    try {
      return Duration.parse(trimmed);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "must be a duration such as 500ms, 10s, 5m, 2h, 7d or PT10S, was '" + trimmed + "'");
    }
  }
}
