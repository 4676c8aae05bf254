package dev.memstore.internal.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.memstore.InternalErrorException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** The shared JSON mapper and the wire format of instants. */
public final class Json {
  /**
   * ISO-8601 UTC with milliseconds, as the protocol writes every timestamp: {@code
   * 2023-06-15T08:30:45.456Z}.
   */
  private static final DateTimeFormatter INSTANT_FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private Json() {}

  /** Writes a value (maps, lists, strings, numbers, booleans, nodes) as compact JSON. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new InternalErrorException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Reads a JSON object stored by memstore itself. */
  public static Map<String, Object> readObject(String json) {
    if (json == null || json.isEmpty() || json.equals("{}")) {
      return Map.of();
    }
    try {
      return MAPPER.readValue(json, OBJECT);
    } catch (JsonProcessingException e) {
      throw new InternalErrorException("stored JSON is unreadable: " + e.getOriginalMessage(), e);
    }
  }

  /** Reads a JSON array of strings stored by memstore itself; null reads as empty. */
  public static List<String> readStringList(String json) {
    if (json == null || json.equals("[]")) {
      return List.of();
    }
    try {
      return MAPPER.readValue(json, STRINGS);
    } catch (JsonProcessingException e) {
      throw new InternalErrorException("stored JSON is unreadable: " + e.getOriginalMessage(), e);
    }
  }

  /** Converts a JSON node to plain Java values (maps, lists, strings, numbers, booleans, null). */
  public static Object toValue(JsonNode node) {
    return MAPPER.convertValue(node, Object.class);
  }

  /** Formats an instant as the protocol does. */
  public static String formatInstant(Instant instant) {
    return instant == null ? null : INSTANT_FORMAT.format(instant);
  }

  /**
   * Parses an ISO-8601 instant with an offset ({@code Z} or {@code +02:00}).
   *
   * @throws DateTimeParseException when it is not one
   */
  public static Instant parseInstant(String text) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
  }
}
