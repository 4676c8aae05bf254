package dev.memstore.internal.storage;

import dev.memstore.MetadataFilter;
import java.util.List;

/**
 * A {@link MetadataFilter} as SQL over {@code memories m}: {@code json_type} and {@code
 * json_extract} of the memory's metadata (a sealed memory's once opened, {@link
 * ContentFunctions#METADATA}) at a JSON path. Paths and values are bound parameters; a path quotes
 * every key ({@code $."device"."os"}), which {@link MetadataFilter} keeps free of double quotes.
 *
 * <p>Every comparison is wrapped in {@code coalesce(..., 0)}: a missing field makes SQL's
 * comparison null, and {@code not null} is null too, where the filter's semantics want {@code ne}
 * and {@code not} to match. Each comparison checks the JSON type first, because SQLite orders every
 * text above every number and would find {@code "high" >= 3}.
 */
final class MetadataConditions {
  private static final String METADATA = ContentFunctions.METADATA;

  private MetadataConditions() {}

  /** Appends the filter's condition to {@code sql} and its parameters to {@code parameters}. */
  static void append(MetadataFilter filter, StringBuilder sql, List<Object> parameters) {
    switch (filter.operator()) {
      case AND, OR -> {
        String joiner = filter.operator() == MetadataFilter.Operator.AND ? " and " : " or ";
        sql.append('(');
        List<MetadataFilter> clauses = filter.clauses();
        for (int position = 0; position < clauses.size(); position++) {
          if (position > 0) {
            sql.append(joiner);
          }
          append(clauses.get(position), sql, parameters);
        }
        sql.append(')');
      }
      case NOT -> {
        sql.append("(not ");
        append(filter.clauses().get(0), sql, parameters);
        sql.append(')');
      }
      case EXISTS -> {
        sql.append("(json_type(").append(METADATA).append(", ?) is not null)");
        parameters.add(path(filter.path()));
      }
      case IN -> {
        sql.append('(');
        List<Object> values = filter.values();
        for (int position = 0; position < values.size(); position++) {
          if (position > 0) {
            sql.append(" or ");
          }
          compare(filter.path(), "=", values.get(position), sql, parameters);
        }
        sql.append(')');
      }
      case NE -> {
        sql.append("(not ");
        compare(filter.path(), "=", filter.values().get(0), sql, parameters);
        sql.append(')');
      }
      case EQ -> compare(filter.path(), "=", filter.values().get(0), sql, parameters);
      case LT -> compare(filter.path(), "<", filter.values().get(0), sql, parameters);
      case LTE -> compare(filter.path(), "<=", filter.values().get(0), sql, parameters);
      case GT -> compare(filter.path(), ">", filter.values().get(0), sql, parameters);
      case GTE -> compare(filter.path(), ">=", filter.values().get(0), sql, parameters);
    }
  }

  /** One comparison of the field with a value of the same JSON kind; 0 or 1, never null. */
  private static void compare(
      List<String> path,
      String operator,
      Object value,
      StringBuilder sql,
      List<Object> parameters) {
    String jsonPath = path(path);
    if (value instanceof Boolean bool) {
      // json_extract gives 1 and 0 for true and false: only the type tells them from numbers.
      sql.append("coalesce(json_type(").append(METADATA).append(", ?) = ?, 0)");
      parameters.add(jsonPath);
      parameters.add(bool ? "true" : "false");
      return;
    }
    String types = value instanceof String ? "('text')" : "('integer', 'real')";
    sql.append("coalesce(json_type(")
        .append(METADATA)
        .append(", ?) in ")
        .append(types)
        .append(" and json_extract(")
        .append(METADATA)
        .append(", ?) ")
        .append(operator)
        .append(" ?, 0)");
    parameters.add(jsonPath);
    parameters.add(jsonPath);
    parameters.add(value);
  }

  /** The JSON path of a field's segments, each quoted. */
  static String path(List<String> segments) {
    StringBuilder path = new StringBuilder("$");
    for (String segment : segments) {
      path.append(".\"").append(segment).append('"');
    }
    return path.toString();
  }
}
