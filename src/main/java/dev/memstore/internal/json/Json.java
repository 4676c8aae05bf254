package dev.memstore.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.memstore.InternalErrorException;
import dev.memstore.InvalidRequestException;
import dev.memstore.ValidationException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

  /**
   * The largest JSON document read from outside, in UTF-8 bytes: one protocol request (in process
   * and through {@code memctl exec}) and one line of an import file. Larger input is refused before
   * it is parsed.
   */
  public static final int MAX_LINE_BYTES = 16 << 20;

  /**
   * The deepest nesting of objects and arrays in one document read from outside; it leaves room for
   * the envelope around metadata nested as deep as the validation allows, and stays far below what
   * Jackson can write back.
   */
  public static final int MAX_INPUT_NESTING = 64;

  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  /** Reads what comes from outside: duplicate keys refused, nesting and size bounded. */
  private static final ObjectMapper INPUT =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_INPUT_NESTING)
                          .maxStringLength(MAX_LINE_BYTES)
                          .maxDocumentLength(MAX_LINE_BYTES)
                          .build())
                  .build())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
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

  /**
   * Parses one document from outside (a protocol request, an import line): at most {@link
   * #MAX_LINE_BYTES}, nested at most {@link #MAX_INPUT_NESTING} levels, no key twice in one object,
   * no unpaired UTF-16 surrogate in any string or key.
   *
   * @param what names the document in messages, for example "the request"
   * @param root names the document in field paths, for example "request"
   * @throws InvalidRequestException when it is too large or not valid JSON, with a message that
   *     names the problem and where it is, never the parser's own text
   * @throws ValidationException when a string holds an unpaired surrogate
   */
  public static JsonNode readInput(String text, String what, String root) {
    if (text == null || text.isBlank()) {
      throw new InvalidRequestException(what + " is empty; send one JSON object");
    }
    long bytes = utf8Length(text);
    if (bytes > MAX_LINE_BYTES) {
      throw new InvalidRequestException(
          what + " is " + bytes + " bytes, more than the limit of " + MAX_LINE_BYTES + " bytes",
          Map.of("limit_bytes", MAX_LINE_BYTES));
    }
    JsonNode node;
    try {
      node = INPUT.readTree(text);
    } catch (JsonProcessingException e) {
      if (String.valueOf(e.getOriginalMessage()).contains("surrogate")) {
        // Jackson 2.22.4 and newer refuse an unpaired surrogate in a key while parsing; in a value
        // it reaches requireWellFormedText. Either way the same error.
        throw new ValidationException(
            root,
            "a key in "
                + what
                + " holds an unpaired UTF-16 surrogate"
                + where(e.getLocation())
                + ", which is not valid Unicode; send well-formed UTF-8");
      }
      throw new InvalidRequestException(what + " is not valid JSON: " + describe(e));
    }
    requireWellFormedText(node, root);
    return node;
  }

  /**
   * Returns an integer field within bounds, checked on the number as sent (before any narrowing, so
   * 4294967306 is refused rather than read as 10 by an int conversion); null when the value is
   * missing or null.
   *
   * @throws ValidationException naming the field and the range when the value is not an integer or
   *     lies outside the bounds
   */
  public static Long integerBetween(JsonNode value, String field, long min, long max) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return null;
    }
    boolean integral =
        value.isIntegralNumber()
            || (value.isNumber() && value.doubleValue() == Math.rint(value.doubleValue()));
    if (!integral
        || !value.canConvertToLong()
        || value.longValue() < min
        || value.longValue() > max) {
      throw new ValidationException(
          field,
          field
              + " must be an integer between "
              + min
              + " and "
              + max
              + ", was "
              + excerpt(value.isTextual() ? "'" + value.textValue() + "'" : value.toString(), 40));
    }
    return value.longValue();
  }

  /**
   * Returns the UTF-8 length of a text, counting an unpaired surrogate as the 3 bytes it would
   * take; stops counting once past the limit of a line.
   */
  public static long utf8Length(String text) {
    if (text.length() > MAX_LINE_BYTES) {
      return text.length();
    }
    long bytes = 0;
    for (int index = 0; index < text.length(); index++) {
      char c = text.charAt(index);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && index + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(index + 1))) {
        bytes += 4;
        index++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /**
   * Returns the index of the first unpaired UTF-16 surrogate in a text, or -1. Such a text has no
   * UTF-8 form: SQLite would store a '?' in its place.
   */
  public static int unpairedSurrogate(String text) {
    for (int index = 0; index < text.length(); index++) {
      char c = text.charAt(index);
      if (Character.isHighSurrogate(c)) {
        if (index + 1 < text.length() && Character.isLowSurrogate(text.charAt(index + 1))) {
          index++;
        } else {
          return index;
        }
      } else if (Character.isLowSurrogate(c)) {
        return index;
      }
    }
    return -1;
  }

  /** Refuses a tree holding a string or key that is not well-formed Unicode. */
  private static void requireWellFormedText(JsonNode node, String path) {
    if (node.isTextual()) {
      requireWellFormed(path, node.textValue());
    } else if (node.isObject()) {
      for (var field : node.properties()) {
        requireWellFormed(path + " (a key)", field.getKey());
        requireWellFormedText(field.getValue(), path + "." + field.getKey());
      }
    } else if (node.isArray()) {
      int index = 0;
      for (JsonNode element : node) {
        requireWellFormedText(element, path + "[" + index++ + "]");
      }
    }
  }

  /**
   * Refuses text holding an unpaired UTF-16 surrogate: it has no UTF-8 form, and SQLite would
   * silently store '?' in its place.
   *
   * @throws ValidationException naming the field and where the surrogate is
   */
  public static void requireWellFormed(String path, String text) {
    int at = unpairedSurrogate(text);
    if (at >= 0) {
      String field = excerpt(path, 200);
      throw new ValidationException(
          field,
          field
              + " holds an unpaired UTF-16 surrogate at character "
              + at
              + ", which is not valid Unicode; send well-formed UTF-8");
    }
  }

  /**
   * Returns a text short enough to echo in a message: at most {@code max} characters, with the full
   * length said when it was cut.
   */
  public static String excerpt(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    return text.substring(0, end) + "... (" + text.length() + " characters)";
  }

  /** Says what is wrong with a document in words of its own, not the parser's. */
  static String describe(JsonProcessingException e) {
    String where = where(e.getLocation());
    if (e instanceof StreamConstraintsException) {
      String original = String.valueOf(e.getOriginalMessage());
      if (original.contains("nesting depth")) {
        return "objects and arrays are nested more than " + MAX_INPUT_NESTING + " levels deep";
      }
      if (original.contains("Number value length")) {
        return "a number has too many digits" + where;
      }
      return "a string or the document is longer than " + MAX_LINE_BYTES + " bytes" + where;
    }
    if (e instanceof JsonEOFException) {
      return "it ends before the JSON is complete";
    }
    String original = String.valueOf(e.getOriginalMessage());
    if (original.startsWith("Duplicate Object property")
        || original.startsWith("Duplicate field")) {
      char quote = original.indexOf('"') >= 0 ? '"' : '\'';
      int open = original.indexOf(quote);
      int close = original.lastIndexOf(quote);
      String name = open >= 0 && close > open ? original.substring(open + 1, close) : "?";
      return "the key '"
          + excerpt(name, 64)
          + "' appears twice in one object"
          + where
          + "; send each key once";
    }
    if (original.startsWith("Trailing token")) {
      return "there is more text after the JSON value" + where + "; send one value per line";
    }
    if (original.contains("Invalid UTF-8") || original.contains("Invalid UTF-16")) {
      return "it is not valid UTF-8" + where;
    }
    return "it is malformed" + where;
  }

  private static String where(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
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

  /**
   * Converts an object node, parsed or built with its {@code put} methods, to the plain values that
   * writing it and reading the text back with {@link #readObject} gives (an empty object reads as
   * {@code Map.of()}), without the text. (Not for {@code valueToTree} results: that conversion
   * already rounds floats and trims decimals, so arbitrary Java values go through text.) Whole
   * numbers as the narrowest of Integer, Long and BigInteger, other numbers as BigDecimal, NaN and
   * the infinities as the strings Jackson writes for them, binary as base64.
   */
  public static Map<String, Object> toObject(JsonNode node) {
    if (node.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> object = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      object.put(field.getKey(), asRead(field.getValue()));
    }
    return object;
  }

  private static Object asRead(JsonNode node) {
    switch (node.getNodeType()) {
      case OBJECT:
        Map<String, Object> object = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          object.put(field.getKey(), asRead(field.getValue()));
        }
        return object;
      case ARRAY:
        List<Object> array = new ArrayList<>();
        for (JsonNode item : node) {
          array.add(asRead(item));
        }
        return array;
      case NUMBER:
        if (node.isIntegralNumber()) {
          return node.canConvertToInt()
              ? (Object) node.intValue()
              : node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
          return node.asText();
        }
        // The text Jackson writes for the number, read back as USE_BIG_DECIMAL_FOR_FLOATS reads it.
        return new BigDecimal(node.asText());
      case STRING:
      case BINARY:
        return node.asText();
      case BOOLEAN:
        return node.booleanValue();
      case NULL:
      case MISSING:
        return null;
      default:
        // A node around an arbitrary object: only its serializer knows its text.
        try {
          return MAPPER.readValue(write(node), Object.class);
        } catch (JsonProcessingException e) {
          throw new InternalErrorException("cannot convert " + node.getNodeType(), e);
        }
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
