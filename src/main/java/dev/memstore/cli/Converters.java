package dev.memstore.cli;

import dev.memstore.MemorySort;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.SearchMode;
import dev.memstore.internal.config.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Turns flag values into memstore's types, accepting the names the protocol accepts; a bad value
 * fails with the list of good ones, which picocli reports as a usage error.
 */
final class Converters {
  private Converters() {}

  static final class Type implements ITypeConverter<MemoryType> {
    @Override
    public MemoryType convert(String value) {
      return MemoryType.fromName(value)
          .orElseThrow(
              () -> unknown("memory type", value, names(MemoryType.values(), t -> t.wireName())));
    }
  }

  /** Lists the type names for help and shell completion. */
  static final class TypeNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(MemoryType.values()).map(MemoryType::wireName).iterator();
    }
  }

  static final class Tier implements ITypeConverter<MemoryTier> {
    @Override
    public MemoryTier convert(String value) {
      return MemoryTier.fromName(value)
          .orElseThrow(
              () -> unknown("memory tier", value, names(MemoryTier.values(), t -> t.wireName())));
    }
  }

  static final class TierNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(MemoryTier.values()).map(MemoryTier::wireName).iterator();
    }
  }

  static final class SortField implements ITypeConverter<MemorySort.Field> {
    @Override
    public MemorySort.Field convert(String value) {
      return MemorySort.Field.fromName(value)
          .orElseThrow(
              () ->
                  unknown(
                      "sort field", value, names(MemorySort.Field.values(), f -> f.wireName())));
    }
  }

  static final class SortFieldNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(MemorySort.Field.values()).map(MemorySort.Field::wireName).iterator();
    }
  }

  static final class Mode implements ITypeConverter<SearchMode> {
    @Override
    public SearchMode convert(String value) {
      return SearchMode.fromName(value)
          .orElseThrow(
              () -> unknown("search mode", value, names(SearchMode.values(), m -> m.wireName())));
    }
  }

  /** A duration: 30d, 12h, 15m, 10s, 500ms or ISO-8601. */
  static final class Age implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Durations.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** An ISO-8601 time with an offset, or a date, which means its start in UTC. */
  static final class Time implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return OffsetDateTime.parse(value).toInstant();
      } catch (DateTimeParseException notDateTime) {
        try {
          return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notDate) {
          throw new TypeConversionException(
              "'"
                  + value
                  + "' is not an ISO-8601 time with an offset such as 2025-01-31T09:00:00Z,"
                  + " nor a date such as 2025-01-31");
        }
      }
    }
  }

  private static <E> String names(E[] values, Function<E, String> name) {
    return String.join(", ", Arrays.stream(values).map(name).toList());
  }

  private static TypeConversionException unknown(String what, String value, String known) {
    return new TypeConversionException(
        "unknown " + what + " '" + value + "'; expected one of: " + known);
  }
}
