package dev.memstore.internal.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memstore.InvalidRequestException;
import dev.memstore.MemoryFilter;
import dev.memstore.ValidationException;
import dev.memstore.internal.json.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Typed access to the fields of one JSON object of a request. A missing required field, an unknown
 * field or a value of the wrong JSON kind is an {@code invalid_request}; a well-formed value that
 * is not acceptable is a {@code validation_error}. Every message names the field by its full path,
 * for example {@code payload.filter.limit}.
 */
final class Fields {
  private final ObjectNode node;
  private final String path;

  Fields(ObjectNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /** Returns the same object with its fields named under another path. */
  Fields named(String newPath) {
    return new Fields(node, newPath);
  }

  String path(String name) {
    return path + "." + name;
  }

  boolean has(String name) {
    return node.has(name);
  }

  /** Whether the field is present with an explicit null. */
  boolean isNull(String name) {
    return node.has(name) && node.get(name).isNull();
  }

  /**
   * Refuses fields this object does not define, so a misspelt name is reported rather than ignored.
   */
  Fields allow(Set<String> names) {
    Iterator<String> iterator = node.fieldNames();
    while (iterator.hasNext()) {
      String name = iterator.next();
      if (!names.contains(name)) {
        throw new InvalidRequestException(
            "unknown field "
                + Json.excerpt(path(name), 200)
                + "; allowed here: "
                + String.join(", ", names.stream().sorted().toList()),
            Map.of("field", Json.excerpt(path(name), 200)));
      }
    }
    return this;
  }

  private JsonNode value(String name) {
    JsonNode value = node.get(name);
    return value == null || value.isNull() ? null : value;
  }

  /** The value when present and not null, else null; a value of another JSON kind is refused. */
  private JsonNode value(String name, Predicate<JsonNode> isKind, String kind) {
    JsonNode value = value(name);
    if (value != null && !isKind.test(value)) {
      throw wrongKind(name, kind);
    }
    return value;
  }

  private InvalidRequestException wrongKind(String name, String kind) {
    return new InvalidRequestException(
        path(name)
            + " must be "
            + kind
            + ", got "
            + node.get(name).getNodeType().name().toLowerCase(),
        Map.of("field", path(name)));
  }

  static InvalidRequestException missing(String fieldPath) {
    return new InvalidRequestException(
        "missing required field " + fieldPath, Map.of("field", fieldPath));
  }

  String text(String name) {
    JsonNode value = value(name, JsonNode::isTextual, "a string");
    return value == null ? null : value.textValue();
  }

  String requiredText(String name) {
    return required(name, text(name));
  }

  Double number(String name) {
    JsonNode value = value(name, JsonNode::isNumber, "a number");
    return value == null ? null : value.doubleValue();
  }

  /**
   * Reads a name from a closed set: the default when absent, an error listing the choices when the
   * name is not one of them.
   */
  <T> T choice(String name, Function<String, Optional<T>> fromName, T absent, String choices) {
    String value = text(name);
    if (value == null) {
      return absent;
    }
    return fromName
        .apply(value)
        .orElseThrow(
            () ->
                new ValidationException(
                    path(name), path(name) + " '" + value + "' must be " + choices));
  }

  /**
   * Returns an integer within the given bounds, or null when absent. The bounds are checked on the
   * value as sent, before any narrowing, so 4294967306 is refused rather than read as 10.
   */
  Long longBetween(String name, long min, long max) {
    JsonNode value = value(name);
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber()
        && !(value.isNumber() && value.doubleValue() == Math.rint(value.doubleValue()))) {
      throw wrongKind(name, "an integer");
    }
    if (!value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
      throw new ValidationException(
          path(name),
          path(name)
              + " must be between "
              + min
              + " and "
              + max
              + ", was "
              + Json.excerpt(value.asText(), 40));
    }
    return Json.integerBetween(value, path(name), min, max);
  }

  long requiredLongBetween(String name, long min, long max) {
    return required(name, longBetween(name, min, max));
  }

  /** Returns an int within the given bounds, or the default when absent. */
  int intBetween(String name, int min, int max, int defaultValue) {
    Long value = longBetween(name, min, max);
    return value == null ? defaultValue : value.intValue();
  }

  Boolean bool(String name) {
    JsonNode value = value(name, JsonNode::isBoolean, "true or false");
    return value == null ? null : value.booleanValue();
  }

  /** Returns the boolean, or the default when absent or null. */
  boolean bool(String name, boolean defaultValue) {
    Boolean value = bool(name);
    return value == null ? defaultValue : value;
  }

  /** The most elements a list of ids or texts in one request may have. */
  static final int MAX_LIST = 10_000;

  List<String> texts(String name) {
    JsonNode value = value(name, JsonNode::isArray, "an array of strings");
    if (value == null) {
      return null;
    }
    if (value.size() > MAX_LIST) {
      throw new ValidationException(
          path(name),
          path(name) + " has " + value.size() + " elements, more than the limit of " + MAX_LIST);
    }
    List<String> texts = new ArrayList<>();
    for (JsonNode element : value) {
      if (!element.isTextual()) {
        throw new InvalidRequestException(
            path(name) + " must be an array of strings", Map.of("field", path(name)));
      }
      texts.add(element.textValue());
    }
    return texts;
  }

  List<String> requiredTexts(String name) {
    return required(name, texts(name));
  }

  Fields object(String name) {
    JsonNode value = value(name, JsonNode::isObject, "an object");
    return value == null ? null : new Fields((ObjectNode) value, path(name));
  }

  Fields requiredObject(String name) {
    return required(name, object(name));
  }

  private <T> T required(String name, T value) {
    if (value == null) {
      throw missing(path(name));
    }
    return value;
  }

  /** Returns a JSON object's value as plain Java maps and lists. */
  @SuppressWarnings("unchecked")
  Map<String, Object> jsonObject(String name) {
    JsonNode value = value(name, JsonNode::isObject, "an object");
    return value == null ? null : (Map<String, Object>) Json.toValue(value);
  }

  List<Fields> requiredObjects(String name) {
    JsonNode value = value(name, JsonNode::isArray, "an array of objects");
    if (value == null) {
      throw missing(path(name));
    }
    List<Fields> objects = new ArrayList<>();
    int index = 0;
    for (JsonNode element : value) {
      String elementPath = path(name) + "[" + index++ + "]";
      if (!element.isObject()) {
        throw new InvalidRequestException(
            elementPath + " must be an object", Map.of("field", elementPath));
      }
      objects.add(new Fields((ObjectNode) element, elementPath));
    }
    return objects;
  }

  JsonNode raw(String name) {
    return value(name);
  }

  Instant instant(String name) {
    String text = text(name);
    if (text == null) {
      return null;
    }
    Instant instant;
    try {
      instant = Json.parseInstant(text);
    } catch (DateTimeParseException e) {
      throw new ValidationException(
          path(name),
          path(name)
              + " '"
              + Json.excerpt(text, 64)
              + "' is not an ISO-8601 time such as 2023-06-15T08:30:45.123Z");
    }
    if (instant.isBefore(MemoryFilter.EARLIEST) || instant.isAfter(MemoryFilter.LATEST)) {
      throw new ValidationException(
          path(name),
          path(name)
              + " must be between "
              + MemoryFilter.EARLIEST
              + " and "
              + MemoryFilter.LATEST
              + ", was "
              + Json.excerpt(text, 64));
    }
    return instant;
  }
}
