package dev.memstore.internal.write;

import dev.memstore.NewMemory;
import dev.memstore.Page;
import dev.memstore.SensitiveText;
import dev.memstore.ValidationException;
import dev.memstore.internal.embed.EmbeddingService;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.storage.MemoryQueries;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules every value must pass before anything is written. Each failure names the field as the
 * protocol spells it.
 */
public final class Validator {
  static final int MAX_TAGS = 64;
  static final int MAX_TAG_LENGTH = 128;
  static final int MAX_NAME_LENGTH = 256;
  static final Duration MAX_TTL = Duration.ofDays(365L * 100);

  /**
   * The deepest metadata accepted: objects and arrays nested at most this many levels (the metadata
   * object itself is the first). Far below the depth at which responses that include the memory
   * could no longer be written.
   */
  static final int MAX_METADATA_DEPTH = 32;

  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
  private static final Pattern RELATIONSHIP_TYPE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
  private static final Pattern FACT_KEY = Pattern.compile("[a-z0-9_.@+-]+(?::[a-z0-9_.-]+)+");

  /** The longest fact key accepted, in characters. */
  public static final int MAX_FACT_KEY_LENGTH = 200;

  private final int maxContentBytes;
  private final SensitiveText sensitiveText;
  private final SecretDetector secrets = new SecretDetector();

  public Validator(int maxContentBytes, SensitiveText sensitiveText) {
    this.maxContentBytes = maxContentBytes;
    this.sensitiveText = sensitiveText;
  }

  public String content(String field, String content) {
    if (content == null || content.isBlank()) {
      throw new ValidationException(field, field + " must not be empty");
    }
    Json.requireWellFormed(field, content);
    int bytes = utf8Length(content);
    if (bytes > maxContentBytes) {
      throw new ValidationException(
          field,
          field + " is " + bytes + " bytes of UTF-8, more than the limit of " + maxContentBytes);
    }
    return content;
  }

  /**
   * Applies the sensitive-text policy to a memory's content: under {@link SensitiveText#REFUSE}
   * refuses content that looks like it holds a secret, naming the kind of secret and never the
   * text; under {@link SensitiveText#SEAL} returns the kind found, for the caller to seal; else
   * (and when nothing is found) returns null.
   */
  public SecretDetector.Kind sensitiveText(String field, String content) {
    if (sensitiveText == SensitiveText.ALLOW) {
      return null;
    }
    SecretDetector.Kind kind = secrets.find(content).orElse(null);
    if (kind != null && sensitiveText == SensitiveText.REFUSE) {
      throw new ValidationException(
          field,
          field
              + " looks like it holds "
              + kind.description()
              + ", and this store refuses such text (sensitive_text: refuse); nothing was written."
              + " Leave the secret out of the text");
    }
    return kind;
  }

  public double importance(double importance) {
    if (!(importance >= 0 && importance <= 1)) {
      throw new ValidationException(
          "importance", "importance must be between 0 and 1, was " + importance);
    }
    return importance;
  }

  public int priority(int priority) {
    if (priority < 1 || priority > 10) {
      throw new ValidationException(
          "priority", "priority must be between 1 and 10, was " + priority);
    }
    return priority;
  }

  /** Returns the time to live in whole seconds, or null. */
  public Long ttlSeconds(Duration ttl) {
    if (ttl == null) {
      return null;
    }
    // Compared before any conversion: a huge ttl overflows toMillis().
    if (ttl.isNegative() || ttl.isZero() || ttl.getNano() != 0) {
      throw new ValidationException(
          "ttl", "ttl must be a positive whole number of seconds, was " + ttl);
    }
    if (ttl.compareTo(MAX_TTL) > 0) {
      throw new ValidationException(
          "ttl", "ttl must be at most " + MAX_TTL.toSeconds() + " s (100 years)");
    }
    return ttl.toSeconds();
  }

  /** Returns the tags trimmed and without duplicates, in their first order. */
  public List<String> tags(List<String> tags) {
    if (tags == null) {
      return List.of();
    }
    LinkedHashSet<String> unique = new LinkedHashSet<>();
    if (tags.size() > MAX_TAGS * 4) {
      throw new ValidationException("tags", "at most " + MAX_TAGS + " tags, got " + tags.size());
    }
    for (String tag : tags) {
      String trimmed = tag == null ? "" : tag.strip();
      Json.requireWellFormed("tags", trimmed);
      if (trimmed.isEmpty()) {
        throw new ValidationException("tags", "tags must not be empty");
      }
      if (trimmed.length() > MAX_TAG_LENGTH || CONTROL.matcher(trimmed).find()) {
        throw new ValidationException(
            "tags",
            "tag '"
                + Json.excerpt(trimmed, 64)
                + "' must be at most "
                + MAX_TAG_LENGTH
                + " characters without control characters");
      }
      unique.add(trimmed);
    }
    if (unique.size() > MAX_TAGS) {
      throw new ValidationException("tags", "at most " + MAX_TAGS + " tags, got " + unique.size());
    }
    return new ArrayList<>(unique);
  }

  /** Checks an optional name such as a user, agent or source agent; blank counts as absent. */
  public String name(String field, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String trimmed = value.strip();
    Json.requireWellFormed(field, trimmed);
    if (trimmed.length() > MAX_NAME_LENGTH || CONTROL.matcher(trimmed).find()) {
      throw new ValidationException(
          field,
          field + " must be at most " + MAX_NAME_LENGTH + " characters without control characters");
    }
    return trimmed;
  }

  public String metadata(Map<String, Object> metadata) {
    checkNested("metadata", metadata, 1);
    String json = Json.write(metadata == null ? Map.of() : metadata);
    if (utf8Length(json) > maxContentBytes) {
      throw new ValidationException(
          "metadata", "metadata is larger than the limit of " + maxContentBytes + " bytes");
    }
    return json;
  }

  /**
   * Refuses metadata nested deeper than {@link #MAX_METADATA_DEPTH} and text that is not
   * well-formed Unicode, in keys and values alike.
   */
  private static void checkNested(String path, Object value, int depth) {
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      if (depth > MAX_METADATA_DEPTH) {
        throw new ValidationException(
            "metadata",
            "metadata is nested more than "
                + MAX_METADATA_DEPTH
                + " levels deep (at "
                + Json.excerpt(path, 200)
                + "); flatten it");
      }
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String key = String.valueOf(entry.getKey());
        Json.requireWellFormed("metadata", key);
        checkNested(path + "." + key, entry.getValue(), depth + 1);
      }
    } else if (value instanceof List<?> list) {
      int index = 0;
      for (Object element : list) {
        checkNested(path + "[" + index++ + "]", element, depth + 1);
      }
    } else if (value instanceof String text) {
      Json.requireWellFormed("metadata", text);
    }
  }

  public static String memoryId(String field, String id) {
    if (!Ids.isMemoryId(id)) {
      throw new ValidationException(
          field,
          field
              + " '"
              + Json.excerpt(id, 64)
              + "' is not a memory id (mem- followed by letters, digits, _ or -)");
    }
    return id;
  }

  /** Checks the form of an id of the caller's choosing (null: none). */
  public static void chosenId(String id) {
    if (id != null) {
      memoryId("id", id);
    }
  }

  /**
   * Refuses ids of the caller's choosing that a memory in the file, or an earlier memory of the
   * batch, already has: a memory created under its own id is never merged into another.
   */
  public static void requireFreeIds(Connection connection, List<NewMemory> memories) {
    Set<String> batch = new HashSet<>();
    for (int index = 0; index < memories.size(); index++) {
      String id = memories.get(index).id();
      if (id != null && (!batch.add(id) || MemoryQueries.exists(connection, id))) {
        ValidationException taken =
            new ValidationException(
                "id", "memory id " + id + " is taken; choose another id or leave it unset");
        throw memories.size() == 1 ? taken : inBatch(index, taken);
      }
    }
  }

  public static String sessionId(String field, String id) {
    if (!Ids.isSessionId(id)) {
      throw new ValidationException(
          field,
          field
              + " '"
              + Json.excerpt(id, 64)
              + "' is not a session id (session- followed by letters, digits, _ or -)");
    }
    return id;
  }

  /**
   * Returns the fact key in lower case (keys compare without case), or null when there is none.
   *
   * @throws ValidationException naming {@code fact_key} unless it is {@code subject:attribute}
   */
  public static String factKey(String key) {
    if (key == null) {
      return null;
    }
    String lower = key.toLowerCase(Locale.ROOT);
    if (lower.length() > MAX_FACT_KEY_LENGTH || !FACT_KEY.matcher(lower).matches()) {
      throw new ValidationException(
          "fact_key",
          "fact_key must be subject:attribute (letters, digits, _, - and .; the subject may also"
              + " hold @ and +, the attribute further colons, as in user-7:preference:jazz; at most "
              + MAX_FACT_KEY_LENGTH
              + " characters), such as user-12345:home_city; was "
              + Json.excerpt(key, 80));
    }
    return lower;
  }

  public static String relationshipType(String type) {
    if (type == null || !RELATIONSHIP_TYPE.matcher(type).matches()) {
      throw new ValidationException(
          "relationship_type",
          "relationship_type must be 1 to 64 letters, digits or _ . : -, was '"
              + Json.excerpt(type, 64)
              + "'");
    }
    return type;
  }

  public static double strength(double strength) {
    if (!(strength >= 0 && strength <= 1)) {
      throw new ValidationException(
          "strength", "strength must be between 0 and 1, was " + strength);
    }
    return strength;
  }

  public static double reinforcementFactor(double factor) {
    if (!(factor > 0 && factor <= 100)) {
      throw new ValidationException(
          "reinforcement_factor",
          "reinforcement_factor must be above 0 and at most 100, was " + factor);
    }
    return factor;
  }

  public static void page(int offset, int limit) {
    offset(offset);
    if (limit < 1 || limit > MemoryQueries.MAX_LIMIT) {
      throw new ValidationException(
          "limit", "limit must be between 1 and " + MemoryQueries.MAX_LIMIT + ", was " + limit);
    }
  }

  /** Checks an offset for paging; the bound keeps offset + limit arithmetic far from overflow. */
  public static void offset(int offset) {
    if (offset < 0 || offset > Page.MAX_OFFSET) {
      throw new ValidationException(
          "offset", "offset must be between 0 and " + Page.MAX_OFFSET + ", was " + offset);
    }
  }

  /** Checks a caller's embedding; the check lives next to the embedder, which needs it too. */
  public static void embedding(float[] embedding, int dimension) {
    EmbeddingService.checkVector(embedding, dimension);
  }

  private static int utf8Length(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Names the field of a memory in a batch: {@code memories[2].content}. */
  static ValidationException inBatch(int index, ValidationException e) {
    String field = "memories[" + index + "]." + e.field();
    return new ValidationException(field, field + ": " + e.getMessage());
  }
}
