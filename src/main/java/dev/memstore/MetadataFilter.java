package dev.memstore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A condition on a memory's metadata: comparisons of one field with JSON scalars, combined with
 * {@link #and}, {@link #or} and {@link #not}. Immutable and thread-safe; build with the static
 * factories; set it on a {@link MemoryFilter} with {@link MemoryFilter.Builder#metadata}.
 *
 * <p>A field is a metadata key, or a dotted path into nested objects ({@code "device.os"}); a key
 * that itself holds a dot, a double quote or a backslash, or starts with {@code $}, cannot be
 * named. Values are strings, numbers (integers and finite decimals) and booleans.
 *
 * <p>Semantics, as MongoDB's (which SQL's three-valued logic would make surprising):
 *
 * <ul>
 *   <li>numbers compare as numbers ({@code 3} equals {@code 3.0}), strings as strings by Unicode
 *       code point, booleans only for equality; a value of another kind never matches ({@code
 *       "high"} is neither {@code >= 3} nor {@code < 3});
 *   <li>a missing field (or one holding null, an object or an array) fails every comparison and
 *       {@code in}; {@link #ne} is {@code not(eq)} and so matches a memory without the field;
 *   <li>{@link #exists} matches a field that is present with any value, null included.
 * </ul>
 *
 * <p>Limits: {@link #MAX_DEPTH} levels of nesting, {@link #MAX_COMPARISONS} comparisons (each value
 * of an {@code in} counts as one), {@link #MAX_PATH_SEGMENTS} segments of at most {@link
 * #MAX_FIELD_LENGTH} characters per field, strings of at most {@link #MAX_STRING_LENGTH}
 * characters. A sealed memory's metadata is compared once the store opens it; without its key the
 * memory matches no metadata filter.
 */
public final class MetadataFilter {
  /** The deepest nesting of {@code and}, {@code or} and {@code not}; a comparison is level 1. */
  public static final int MAX_DEPTH = 8;

  /** The most comparisons in one filter, each value of an {@code in} counting as one. */
  public static final int MAX_COMPARISONS = 256;

  /** The most segments of a dotted field. */
  public static final int MAX_PATH_SEGMENTS = 16;

  /** The longest field, in characters. */
  public static final int MAX_FIELD_LENGTH = 256;

  /** The longest string value, in characters. */
  public static final int MAX_STRING_LENGTH = 4096;

  /** What a filter node does. */
  public enum Operator {
    /** The field equals the value. */
    EQ("$eq"),
    /** The field is missing or does not equal the value. */
    NE("$ne"),
    /** The field is less than the value. */
    LT("$lt"),
    /** The field is at most the value. */
    LTE("$lte"),
    /** The field is greater than the value. */
    GT("$gt"),
    /** The field is at least the value. */
    GTE("$gte"),
    /** The field equals one of the values. */
    IN("$in"),
    /** The field is present. */
    EXISTS("$exists"),
    /** Every clause holds. */
    AND("$and"),
    /** At least one clause holds. */
    OR("$or"),
    /** The one clause does not hold. */
    NOT("$not");

    private final String wireName;

    Operator(String wireName) {
      this.wireName = wireName;
    }

    /** Returns the protocol's name, such as {@code $gte}. */
    public String wireName() {
      return wireName;
    }

    /**
     * Returns whether the operator orders values ({@code <}, {@code <=}, {@code >}, {@code >=}).
     */
    public boolean isRange() {
      return this == LT || this == LTE || this == GT || this == GTE;
    }
  }

  private final Operator operator;
  private final String field;
  private final List<String> path;
  private final List<Object> values;
  private final List<MetadataFilter> clauses;
  private final int depth;
  private final int comparisons;

  private MetadataFilter(
      Operator operator, String field, List<Object> values, List<MetadataFilter> clauses) {
    this.operator = operator;
    this.field = field;
    this.path = field == null ? List.of() : segments(field);
    this.values = List.copyOf(values);
    this.clauses = List.copyOf(clauses);
    int deepest = 0;
    int count = field == null ? 0 : Math.max(1, values.size());
    for (MetadataFilter clause : this.clauses) {
      deepest = Math.max(deepest, clause.depth);
      count += clause.comparisons;
    }
    this.depth = deepest + 1;
    this.comparisons = count;
    if (depth > MAX_DEPTH) {
      throw new ValidationException(
          "metadata", "a metadata filter may nest at most " + MAX_DEPTH + " levels deep");
    }
    if (comparisons > MAX_COMPARISONS) {
      throw new ValidationException(
          "metadata",
          "a metadata filter may hold at most "
              + MAX_COMPARISONS
              + " comparisons, had "
              + comparisons);
    }
  }

  /** Returns a filter that keeps memories whose field equals the value. */
  public static MetadataFilter eq(String field, Object value) {
    return comparison(Operator.EQ, field, value);
  }

  /** Returns a filter that keeps memories whose field is missing or differs from the value. */
  public static MetadataFilter ne(String field, Object value) {
    return comparison(Operator.NE, field, value);
  }

  /** Returns a filter that keeps memories whose field is less than the value. */
  public static MetadataFilter lt(String field, Object value) {
    return comparison(Operator.LT, field, value);
  }

  /** Returns a filter that keeps memories whose field is at most the value. */
  public static MetadataFilter lte(String field, Object value) {
    return comparison(Operator.LTE, field, value);
  }

  /** Returns a filter that keeps memories whose field is greater than the value. */
  public static MetadataFilter gt(String field, Object value) {
    return comparison(Operator.GT, field, value);
  }

  /** Returns a filter that keeps memories whose field is at least the value. */
  public static MetadataFilter gte(String field, Object value) {
    return comparison(Operator.GTE, field, value);
  }

  /**
   * Returns a filter that keeps memories whose field equals one of the values.
   *
   * @throws ValidationException when there is no value, or one is not a string, number or boolean
   */
  public static MetadataFilter in(String field, Collection<?> values) {
    Objects.requireNonNull(values, "values");
    if (values.isEmpty()) {
      throw new ValidationException(field(field), "in needs at least one value");
    }
    List<Object> scalars = new ArrayList<>(values.size());
    for (Object value : values) {
      scalars.add(scalar(field, value));
    }
    return new MetadataFilter(Operator.IN, checkedField(field), scalars, List.of());
  }

  /** Returns a filter that keeps memories whose field equals one of the values. */
  public static MetadataFilter in(String field, Object... values) {
    return in(field, List.of(values));
  }

  /** Returns a filter that keeps memories whose metadata holds the field, with any value. */
  public static MetadataFilter exists(String field) {
    return new MetadataFilter(Operator.EXISTS, checkedField(field), List.of(), List.of());
  }

  /** Returns a filter that keeps memories every clause keeps. */
  public static MetadataFilter and(Collection<MetadataFilter> clauses) {
    return combined(Operator.AND, clauses);
  }

  /** Returns a filter that keeps memories every clause keeps. */
  public static MetadataFilter and(MetadataFilter... clauses) {
    return and(List.of(clauses));
  }

  /** Returns a filter that keeps memories at least one clause keeps. */
  public static MetadataFilter or(Collection<MetadataFilter> clauses) {
    return combined(Operator.OR, clauses);
  }

  /** Returns a filter that keeps memories at least one clause keeps. */
  public static MetadataFilter or(MetadataFilter... clauses) {
    return or(List.of(clauses));
  }

  /** Returns a filter that keeps the memories the clause leaves out. */
  public static MetadataFilter not(MetadataFilter clause) {
    Objects.requireNonNull(clause, "clause");
    return new MetadataFilter(Operator.NOT, null, List.of(), List.of(clause));
  }

  private static MetadataFilter combined(Operator operator, Collection<MetadataFilter> clauses) {
    Objects.requireNonNull(clauses, "clauses");
    if (clauses.isEmpty()) {
      throw new ValidationException(
          "metadata", operator.name().toLowerCase(Locale.ROOT) + " needs at least one clause");
    }
    return new MetadataFilter(operator, null, List.of(), List.copyOf(clauses));
  }

  private static MetadataFilter comparison(Operator operator, String field, Object value) {
    Object scalar = scalar(field, value);
    if (operator.isRange() && scalar instanceof Boolean) {
      throw new ValidationException(
          field(field), "booleans compare only for equality, not with " + operator.wireName());
    }
    return new MetadataFilter(operator, checkedField(field), List.of(scalar), List.of());
  }

  /** The name a validation error gives for a field, even an invalid one. */
  private static String field(String field) {
    return field == null ? "metadata" : "metadata." + field;
  }

  /** Checks a value, turning integers into {@link Long} and other numbers into {@link Double}. */
  private static Object scalar(String field, Object value) {
    if (value instanceof String text) {
      if (text.length() > MAX_STRING_LENGTH) {
        throw new ValidationException(
            field(field),
            "a metadata filter's strings may hold at most " + MAX_STRING_LENGTH + " characters");
      }
      return text;
    }
    if (value instanceof Boolean) {
      return value;
    }
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Double || value instanceof Float) {
      double number = ((Number) value).doubleValue();
      if (!Double.isFinite(number)) {
        throw new ValidationException(field(field), "a number must be finite, was " + number);
      }
      return number;
    }
    throw new ValidationException(
        field(field),
        "a metadata filter compares with strings, numbers and booleans, got "
            + (value == null
                ? "null (use exists or not(exists) for presence)"
                : value.getClass().getSimpleName()));
  }

  private static String checkedField(String field) {
    segments(field);
    return field;
  }

  private static List<String> segments(String field) {
    if (field == null || field.isEmpty()) {
      throw new ValidationException("metadata", "a metadata filter's field must not be empty");
    }
    if (field.length() > MAX_FIELD_LENGTH) {
      throw new ValidationException(
          "metadata", "a metadata field may hold at most " + MAX_FIELD_LENGTH + " characters");
    }
    List<String> segments = List.of(field.split("\\.", -1));
    if (segments.size() > MAX_PATH_SEGMENTS) {
      throw new ValidationException(
          field(field), "a metadata field may have at most " + MAX_PATH_SEGMENTS + " segments");
    }
    for (String segment : segments) {
      if (segment.isEmpty() || segment.startsWith("$")) {
        throw new ValidationException(
            field(field),
            "'"
                + field
                + "' is not a metadata field: segments between dots must be non-empty and must not"
                + " start with $");
      }
      for (int position = 0; position < segment.length(); position++) {
        char character = segment.charAt(position);
        if (character == '"' || character == '\\' || Character.isISOControl(character)) {
          throw new ValidationException(
              field(field),
              "a metadata field must not hold double quotes, backslashes or control characters");
        }
      }
    }
    return segments;
  }

  /** Returns what this node does. */
  public Operator operator() {
    return operator;
  }

  /** Returns the field a comparison reads, or null for {@code and}, {@code or} and {@code not}. */
  public String field() {
    return field;
  }

  /** Returns the field's segments (the keys from the outermost object in), empty for no field. */
  public List<String> path() {
    return path;
  }

  /**
   * Returns the values a comparison compares with: one for {@code eq} to {@code gte}, at least one
   * for {@code in}, none otherwise; integers as {@link Long}, other numbers as {@link Double}.
   */
  public List<Object> values() {
    return values;
  }

  /** Returns the clauses of {@code and} and {@code or}, the one clause of {@code not}, or none. */
  public List<MetadataFilter> clauses() {
    return clauses;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MetadataFilter that
        && operator == that.operator
        && Objects.equals(field, that.field)
        && values.equals(that.values)
        && clauses.equals(that.clauses);
  }

  @Override
  public int hashCode() {
    return Objects.hash(operator, field, values, clauses);
  }

  /** Returns a readable form, such as {@code (priority >= 3 and lang in [en, de])}. */
  @Override
  public String toString() {
    return switch (operator) {
      case AND, OR -> {
        List<String> parts = clauses.stream().map(MetadataFilter::toString).toList();
        yield "(" + String.join(" " + operator.name().toLowerCase(Locale.ROOT) + " ", parts) + ")";
      }
      case NOT -> "not " + clauses.get(0);
      case EXISTS -> field + " exists";
      case IN -> field + " in " + values;
      case EQ -> field + " = " + values.get(0);
      case NE -> field + " != " + values.get(0);
      case LT -> field + " < " + values.get(0);
      case LTE -> field + " <= " + values.get(0);
      case GT -> field + " > " + values.get(0);
      case GTE -> field + " >= " + values.get(0);
    };
  }
}
