package dev.memstore.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memstore.MetadataFilter;
import dev.memstore.ValidationException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The wire form of a {@link MetadataFilter}, MongoDB's query language restricted to what the filter
 * can say: {@code {"lang": "en"}} (equality), {@code {"priority": {"$gte": 3, "$lt": 8}}}, {@code
 * {"lang": {"$in": ["en", "de"]}}}, {@code {"$nin": [...]}}, {@code {"source": {"$exists": true}}},
 * {@code {"$or": [{...}, {...}]}}, {@code {"$and": [...]}}, {@code {"$not": {...}}}. Several fields
 * or operators in one object must all hold. A malformed filter is a {@link ValidationException}
 * whose field is the path to the offending part, such as {@code filters.metadata.priority.$gte}.
 */
public final class MetadataFilterJson {
  private MetadataFilterJson() {}

  /**
   * Returns the filter a JSON object describes; null for an empty object (no condition).
   *
   * @param path the name of the object in the request, such as {@code filters.metadata}
   * @throws ValidationException naming the offending part
   */
  public static MetadataFilter read(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return null;
    }
    requireObject(node, path);
    if (node.isEmpty()) {
      return null;
    }
    return document(node, path);
  }

  /** Returns the wire form of a filter, as maps, lists and scalars for {@link Json#write}. */
  public static Map<String, Object> write(MetadataFilter filter) {
    Map<String, Object> json = new LinkedHashMap<>();
    switch (filter.operator()) {
      case AND, OR ->
          json.put(
              filter.operator().wireName(),
              filter.clauses().stream().map(MetadataFilterJson::write).toList());
      case NOT -> json.put("$not", write(filter.clauses().get(0)));
      case EXISTS -> json.put(filter.field(), Map.of("$exists", true));
      case IN -> json.put(filter.field(), Map.of("$in", filter.values()));
      default ->
          json.put(filter.field(), Map.of(filter.operator().wireName(), filter.values().get(0)));
    }
    return json;
  }

  /** An object whose entries must all hold. */
  private static MetadataFilter document(JsonNode node, String path) {
    List<MetadataFilter> clauses = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> entry = fields.next();
      String key = entry.getKey();
      JsonNode value = entry.getValue();
      String keyPath = path + "." + Json.excerpt(key, 200);
      switch (key) {
        case "$and", "$or" -> clauses.add(combination(key, value, keyPath, path));
        case "$not" -> {
          requireObject(value, keyPath);
          requireNotEmpty(value, keyPath);
          MetadataFilter inner = document(value, keyPath);
          clauses.add(built(keyPath, () -> MetadataFilter.not(inner)));
        }
        default -> {
          if (key.startsWith("$")) {
            throw new ValidationException(
                keyPath,
                keyPath
                    + " is not an operator here: use $and, $or, $not, or a metadata field name");
          }
          clauses.add(field(key, value, keyPath));
        }
      }
    }
    return clauses.size() == 1 ? clauses.get(0) : built(path, () -> MetadataFilter.and(clauses));
  }

  private static MetadataFilter combination(
      String operator, JsonNode value, String keyPath, String path) {
    if (!value.isArray() || value.isEmpty()) {
      throw new ValidationException(
          keyPath, keyPath + " must be a non-empty array of filter objects");
    }
    List<MetadataFilter> clauses = new ArrayList<>();
    for (int position = 0; position < value.size(); position++) {
      String itemPath = keyPath + "[" + position + "]";
      JsonNode item = value.get(position);
      requireObject(item, itemPath);
      requireNotEmpty(item, itemPath);
      clauses.add(document(item, itemPath));
    }
    return built(
        path,
        () -> operator.equals("$and") ? MetadataFilter.and(clauses) : MetadataFilter.or(clauses));
  }

  /** A field's conditions: a scalar for equality, or an object of operators. */
  private static MetadataFilter field(String field, JsonNode value, String fieldPath) {
    if (!value.isObject()) {
      Object scalar = scalar(value, fieldPath);
      return built(fieldPath, () -> MetadataFilter.eq(field, scalar));
    }
    requireNotEmpty(value, fieldPath);
    List<MetadataFilter> clauses = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> operators = value.properties().iterator();
    while (operators.hasNext()) {
      Map.Entry<String, JsonNode> entry = operators.next();
      String operatorPath = fieldPath + "." + Json.excerpt(entry.getKey(), 200);
      JsonNode operand = entry.getValue();
      clauses.add(
          switch (entry.getKey()) {
            case "$eq" -> comparison(MetadataFilter::eq, field, operand, operatorPath);
            case "$ne" -> comparison(MetadataFilter::ne, field, operand, operatorPath);
            case "$lt" -> comparison(MetadataFilter::lt, field, operand, operatorPath);
            case "$lte" -> comparison(MetadataFilter::lte, field, operand, operatorPath);
            case "$gt" -> comparison(MetadataFilter::gt, field, operand, operatorPath);
            case "$gte" -> comparison(MetadataFilter::gte, field, operand, operatorPath);
            case "$in" -> in(field, operand, operatorPath);
            case "$nin" -> {
              MetadataFilter in = in(field, operand, operatorPath);
              yield built(operatorPath, () -> MetadataFilter.not(in));
            }
            case "$exists" -> {
              if (!operand.isBoolean()) {
                throw new ValidationException(
                    operatorPath, operatorPath + " must be true or false");
              }
              MetadataFilter exists = built(operatorPath, () -> MetadataFilter.exists(field));
              yield operand.booleanValue()
                  ? exists
                  : built(operatorPath, () -> MetadataFilter.not(exists));
            }
            default ->
                throw new ValidationException(
                    operatorPath,
                    operatorPath
                        + " is not an operator: use $eq, $ne, $lt, $lte, $gt, $gte, $in, $nin or"
                        + " $exists (a nested field is named with a dotted path, such as a.b)");
          });
    }
    return clauses.size() == 1
        ? clauses.get(0)
        : built(fieldPath, () -> MetadataFilter.and(clauses));
  }

  private interface Comparison {
    MetadataFilter of(String field, Object value);
  }

  private static MetadataFilter comparison(
      Comparison comparison, String field, JsonNode operand, String operatorPath) {
    Object scalar = scalar(operand, operatorPath);
    return built(operatorPath, () -> comparison.of(field, scalar));
  }

  private static MetadataFilter in(String field, JsonNode operand, String operatorPath) {
    if (!operand.isArray() || operand.isEmpty()) {
      throw new ValidationException(
          operatorPath,
          operatorPath + " must be a non-empty array of strings, numbers or booleans");
    }
    List<Object> values = new ArrayList<>();
    for (int position = 0; position < operand.size(); position++) {
      values.add(scalar(operand.get(position), operatorPath + "[" + position + "]"));
    }
    return built(operatorPath, () -> MetadataFilter.in(field, values));
  }

  /** A string, a number (an integer as a long when it fits) or a boolean. */
  private static Object scalar(JsonNode value, String path) {
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return value.longValue();
    }
    if (value.isNumber()) {
      return value.doubleValue();
    }
    throw new ValidationException(
        path,
        path
            + " must be a string, a number or a boolean, got "
            + value.getNodeType().name().toLowerCase(Locale.ROOT)
            + (value.isNull() ? " (use {\"$exists\": false} for a missing field)" : ""));
  }

  /** Builds a filter, naming the request's path in the error instead of the API's field name. */
  private static MetadataFilter built(String path, Supplier<MetadataFilter> factory) {
    try {
      return factory.get();
    } catch (ValidationException e) {
      throw new ValidationException(path, path + ": " + e.getMessage());
    }
  }

  private static void requireObject(JsonNode node, String path) {
    if (!node.isObject()) {
      throw new ValidationException(
          path,
          path
              + " must be a filter object, got "
              + node.getNodeType().name().toLowerCase(Locale.ROOT));
    }
  }

  private static void requireNotEmpty(JsonNode node, String path) {
    if (node.isEmpty()) {
      throw new ValidationException(path, path + " must not be empty");
    }
  }
}
