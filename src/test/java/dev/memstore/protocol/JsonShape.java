package dev.memstore.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.util.Map;
import java.util.Set;

/**
 * Compares a response with a seed example: every field the seed shows must be present with the same
 * JSON kind, recursively through objects and arrays; the response may carry more fields.
 */
final class JsonShape {
  private JsonShape() {}

  /** Asserts that {@code actual} has every field of {@code expected}, of the same JSON kind. */
  static void assertSameShape(JsonNode expected, JsonNode actual) {
    compare(expected, actual, "data", null);
  }

  /**
   * Asserts the same shape and, in addition, equal leaf values, except under the fields named in
   * {@code generated} (values the store makes up, such as ids and times), whose kind alone is
   * compared. Arrays must also have the same length.
   */
  static void assertSameShapeAndValues(JsonNode expected, JsonNode actual, Set<String> generated) {
    compare(expected, actual, "data", generated);
  }

  private static void compare(
      JsonNode expected, JsonNode actual, String path, Set<String> generated) {
    if (actual == null || actual.isMissingNode()) {
      fail(path + " is missing; expected " + kind(expected) + " " + expected);
    }
    assertEquals(kind(expected), kind(actual), path + " has the wrong JSON kind: " + actual);
    boolean values = generated != null;
    switch (expected.getNodeType()) {
      case OBJECT -> {
        for (Map.Entry<String, JsonNode> field : expected.properties()) {
          String name = field.getKey();
          assertTrue(actual.has(name), path + "." + name + " is missing in " + actual);
          compare(
              field.getValue(),
              actual.get(name),
              path + "." + name,
              values && generated.contains(name) ? null : generated);
        }
      }
      case ARRAY -> {
        if (values) {
          assertEquals(expected.size(), actual.size(), path + " has the wrong length: " + actual);
        }
        for (int index = 0; index < Math.min(expected.size(), actual.size()); index++) {
          compare(expected.get(index), actual.get(index), path + "[" + index + "]", generated);
        }
      }
      case NUMBER -> {
        if (values) {
          assertEquals(
              0,
              expected.decimalValue().compareTo(actual.decimalValue()),
              path + " is " + actual + ", expected " + expected);
        }
      }
      default -> {
        if (values) {
          assertEquals(expected, actual, path);
        }
      }
    }
  }

  /** The JSON kind: string, number, boolean, object, array or null. */
  private static JsonNodeType kind(JsonNode node) {
    return node.getNodeType();
  }
}
