package dev.memstore;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deep, immutable copies of JSON-like values (maps, lists, strings, numbers, booleans, null). */
final class JsonValues {
  private JsonValues() {}

  /**
   * Returns an unmodifiable deep copy of a JSON object.
   *
   * @throws IllegalArgumentException if a value is not a string, number, boolean, null, list or map
   *     with string keys
   */
  static Map<String, Object> freezeObject(Map<String, ?> map) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, ?> entry : map.entrySet()) {
      if (entry.getKey() == null) {
        throw new IllegalArgumentException("metadata keys must not be null");
      }
      copy.put(entry.getKey(), freeze(entry.getValue()));
    }
    return Collections.unmodifiableMap(copy);
  }

  private static Object freeze(Object value) {
    if (value == null
        || value instanceof String
        || value instanceof Number
        || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!(entry.getKey() instanceof String key)) {
          throw new IllegalArgumentException(
              "metadata keys must be strings, got " + entry.getKey());
        }
        copy.put(key, freeze(entry.getValue()));
      }
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (Object element : list) {
        copy.add(freeze(element));
      }
      return Collections.unmodifiableList(copy);
    }
    throw new IllegalArgumentException(
        "metadata values must be JSON values (string, number, boolean, null, list, map), got "
            + value.getClass().getName());
  }
}
