package dev.memstore.langchain4j;

import dev.langchain4j.data.document.Metadata;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A text segment's {@link Metadata} as a memory's JSON metadata and back, with every value's Java
 * type: JSON keeps numbers and strings but not whether a number was an {@code int} or a {@code
 * float}, nor that a string was a {@link UUID}, so the types ride along under {@link #RESERVED}, a
 * key that no memstore filter can name.
 */
final class SegmentMetadata {
  /** The key of the adapter's own entry in a memory's metadata. */
  static final String RESERVED = "$langchain4j";

  private static final String TYPES = "types";
  private static final String NO_TEXT = "no_text";

  private SegmentMetadata() {}

  /**
   * Returns the memory metadata of a segment's metadata (null for none); {@code withoutText} marks
   * an embedding stored without a segment.
   *
   * @throws IllegalArgumentException when a key is the reserved one
   */
  static Map<String, Object> toMemory(Metadata metadata, boolean withoutText) {
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, Object> types = new LinkedHashMap<>();
    if (metadata != null) {
      for (Map.Entry<String, Object> entry : metadata.toMap().entrySet()) {
        if (entry.getKey().equals(RESERVED)) {
          throw new IllegalArgumentException(
              "metadata key " + RESERVED + " is reserved by memstore's LangChain4j adapter");
        }
        Object value = entry.getValue();
        values.put(entry.getKey(), comparable(value));
        types.put(entry.getKey(), typeOf(value));
      }
    }
    Map<String, Object> own = new LinkedHashMap<>();
    own.put(TYPES, types);
    if (withoutText) {
      own.put(NO_TEXT, true);
    }
    values.put(RESERVED, own);
    return values;
  }

  /** Returns whether a memory holds an embedding stored without a segment. */
  static boolean withoutText(Map<String, Object> memoryMetadata) {
    return memoryMetadata.get(RESERVED) instanceof Map<?, ?> own
        && Boolean.TRUE.equals(own.get(NO_TEXT));
  }

  /** Returns the segment metadata of a memory's metadata, each value of its original type. */
  static Metadata fromMemory(Map<String, Object> memoryMetadata) {
    Map<?, ?> types =
        memoryMetadata.get(RESERVED) instanceof Map<?, ?> own
                && own.get(TYPES) instanceof Map<?, ?> known
            ? known
            : Map.of();
    Map<String, Object> values = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : memoryMetadata.entrySet()) {
      if (entry.getKey().equals(RESERVED) || entry.getValue() == null) {
        continue;
      }
      Object value = restored(entry.getValue(), types.get(entry.getKey()));
      if (value != null) {
        values.put(entry.getKey(), value);
      }
    }
    return Metadata.from(values);
  }

  /**
   * Returns a metadata or filter value as memstore stores and compares it: a UUID as its string, a
   * float as the double of its shortest decimal form (so that 1.1f is stored, and compared, as 1.1,
   * not 1.100000023841858).
   */
  static Object comparable(Object value) {
    if (value instanceof UUID uuid) {
      return uuid.toString();
    }
    if (value instanceof Float number) {
      return Double.valueOf(Float.toString(number));
    }
    return value;
  }

  private static String typeOf(Object value) {
    if (value instanceof UUID) {
      return "uuid";
    }
    if (value instanceof Integer) {
      return "integer";
    }
    if (value instanceof Long) {
      return "long";
    }
    if (value instanceof Float) {
      return "float";
    }
    if (value instanceof Double) {
      return "double";
    }
    return "string";
  }

  /** The value as its recorded type; a value stored by another client keeps its JSON type. */
  private static Object restored(Object value, Object type) {
    if (value instanceof Number number) {
      if ("integer".equals(type)) {
        return number.intValue();
      }
      if ("long".equals(type)) {
        return number.longValue();
      }
      if ("float".equals(type)) {
        return number.floatValue();
      }
      if ("double".equals(type)) {
        return number.doubleValue();
      }
      if (number instanceof Integer || number instanceof Long || number instanceof Double) {
        return number;
      }
      return number.doubleValue();
    }
    if (value instanceof String text) {
      return "uuid".equals(type) ? UUID.fromString(text) : text;
    }
    // LangChain4j's metadata holds strings, UUIDs and numbers only: other JSON is shown as text.
    return value instanceof Boolean ? value.toString() : null;
  }
}
