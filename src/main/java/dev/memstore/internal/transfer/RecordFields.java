package dev.memstore.internal.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memstore.ValidationException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Reads the fields of an import's records: texts and times, with the import's messages. */
final class RecordFields {
  private RecordFields() {}

  static String requiredText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
      throw new IllegalArgumentException("missing " + field);
    }
    return value.textValue();
  }

  static String optionalText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(field + " must be text");
    }
    return value.textValue();
  }

  static long instant(JsonNode node, String field, boolean required) {
    Long value = nullableInstant(node, field);
    if (value == null && required) {
      throw new IllegalArgumentException("missing " + field);
    }
    return value == null ? 0 : value;
  }

  static Long nullableInstant(JsonNode node, String field) {
    String text = optionalText(node, field);
    if (text == null) {
      return null;
    }
    Instant instant;
    try {
      instant = Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(field + " is not an ISO-8601 time: " + text);
    }
    if (instant.isBefore(Instant.EPOCH) || instant.isAfter(LATEST)) {
      throw new ValidationException(field, field + " must be between 1970 and 9999, was " + text);
    }
    return instant.toEpochMilli();
  }

  /** The latest time an import accepts: times beyond are mistakes, not memories. */
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

  static Instant instantOrNull(JsonNode node, String field) {
    Long millis = nullableInstant(node, field);
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }
}
