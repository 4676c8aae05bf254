package dev.memstore.cli;

import dev.memstore.MetadataFilter;
import dev.memstore.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The short form of a metadata condition that {@code --meta} takes: {@code FIELD OP VALUE} with OP
 * one of {@code = != < <= > >=}, {@code FIELD in A,B,C}, {@code FIELD !in A,B}, {@code FIELD
 * exists} or {@code FIELD !exists}. A value is a number when it reads as one, a boolean for {@code
 * true} and {@code false}, and otherwise a string; double quotes make it a string ({@code
 * 'code="42"'}). Fields with spaces or operator characters need {@code --meta-json}.
 */
final class MetadataExpressions {
  private static final Pattern EXISTS = Pattern.compile("\\s*([^\\s=<>!]+)\\s+(!?)exists\\s*");
  private static final Pattern IN = Pattern.compile("\\s*([^\\s=<>!]+)\\s+(!?)in\\s+(.+)");
  private static final Pattern COMPARISON =
      Pattern.compile("\\s*([^\\s=<>!]+)\\s*(!=|<=|>=|=|<|>)\\s*(.*?)\\s*");
  private static final Pattern NUMBER =
      Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  private MetadataExpressions() {}

  /**
   * Returns the condition an expression states.
   *
   * @throws IllegalArgumentException with a message for the user, when it states none
   */
  static MetadataFilter parse(String expression) {
    try {
      return parseChecked(expression);
    } catch (ValidationException e) {
      throw new IllegalArgumentException("--meta '" + expression + "': " + e.getMessage(), e);
    }
  }

  private static MetadataFilter parseChecked(String expression) {
    Matcher exists = EXISTS.matcher(expression);
    if (exists.matches()) {
      MetadataFilter present = MetadataFilter.exists(exists.group(1));
      return exists.group(2).isEmpty() ? present : MetadataFilter.not(present);
    }
    Matcher in = IN.matcher(expression);
    if (in.matches()) {
      List<Object> values = new ArrayList<>();
      for (String item : in.group(3).split(",", -1)) {
        values.add(value(item.trim()));
      }
      MetadataFilter any = MetadataFilter.in(in.group(1), values);
      return in.group(2).isEmpty() ? any : MetadataFilter.not(any);
    }
    Matcher comparison = COMPARISON.matcher(expression);
    if (!comparison.matches()) {
      throw new IllegalArgumentException(
          "--meta '"
              + expression
              + "' is not a metadata condition: use FIELD=VALUE, FIELD!=VALUE, FIELD<VALUE,"
              + " FIELD<=VALUE, FIELD>VALUE, FIELD>=VALUE, 'FIELD in A,B', 'FIELD !in A,B',"
              + " 'FIELD exists' or 'FIELD !exists' (or --meta-json)");
    }
    String field = comparison.group(1);
    Object value = value(comparison.group(3));
    return switch (comparison.group(2)) {
      case "=" -> MetadataFilter.eq(field, value);
      case "!=" -> MetadataFilter.ne(field, value);
      case "<" -> MetadataFilter.lt(field, value);
      case "<=" -> MetadataFilter.lte(field, value);
      case ">" -> MetadataFilter.gt(field, value);
      default -> MetadataFilter.gte(field, value);
    };
  }

  /** A number, a boolean, or a string (quoted or not). */
  private static Object value(String text) {
    if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
      return text.substring(1, text.length() - 1);
    }
    if (text.equals("true") || text.equals("false")) {
      return Boolean.parseBoolean(text);
    }
    if (NUMBER.matcher(text).matches()) {
      if (text.matches("-?[0-9]+")) {
        try {
          return Long.parseLong(text);
        } catch (NumberFormatException tooLarge) {
          return Double.parseDouble(text);
        }
      }
      return Double.parseDouble(text);
    }
    return text;
  }
}
