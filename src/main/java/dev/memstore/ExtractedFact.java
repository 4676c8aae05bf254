package dev.memstore;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A fact found in an interaction, to be stored as a long-term memory, with what to do about it.
 * Immutable.
 *
 * <p>A fact key names what the fact is about, {@code subject:attribute}: the subject is the user's
 * id (or {@code user} when the interaction has no user), the attribute a lower-case name such as
 * {@code home_city}, {@code employer} or {@code preference:jazz} (the subject is everything before
 * the first colon). Two facts with the same key are values of one attribute, so that storing the
 * newer supersedes the older. A fact without a key supersedes nothing: an extractor that is unsure
 * of the attribute leaves the key out, since a wrong key hides a true fact.
 *
 * @param content the fact as a sentence about the user, for example "The user's name is Ada."
 * @param type its memory type, usually {@link MemoryType#SEMANTIC} or {@link MemoryType#PREFERENCE}
 * @param importance how much it matters, 0 to 1
 * @param factKey its fact key, {@code subject:attribute}, or null when it has none
 * @param action what to do with it: {@link FactAction#ADD} unless the extractor decided otherwise
 *     against the candidate facts it was shown
 * @param targetMemoryId for {@link FactAction#UPDATE}, {@link FactAction#DELETE} and {@link
 *     FactAction#NONE}, the id of the candidate fact it changes, ends or repeats; else null
 */
public record ExtractedFact(
    String content,
    MemoryType type,
    double importance,
    String factKey,
    FactAction action,
    String targetMemoryId) {
  /** A subject, a colon and an attribute, no control characters, at most 256 characters. */
  private static final Pattern FACT_KEY = Pattern.compile("[^:\\p{Cntrl}]+:[^\\p{Cntrl}]+");

  /**
   * Validates a fact.
   *
   * @throws IllegalArgumentException if the importance is out of range, the key malformed, or a
   *     target given to an added fact or missing from a fact without a key that is not added
   */
  public ExtractedFact {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(action, "action");
    if (!(importance >= 0 && importance <= 1)) {
      throw new IllegalArgumentException("importance must be between 0 and 1, was " + importance);
    }
    if (factKey != null) {
      requireFactKey(factKey);
    }
    if (action == FactAction.ADD && targetMemoryId != null) {
      throw new IllegalArgumentException(
          "an added fact changes no other fact, but was given target " + targetMemoryId);
    }
    if (action != FactAction.ADD && factKey == null && targetMemoryId == null) {
      throw new IllegalArgumentException(
          "a fact to " + action + " needs a fact key or a target memory id");
    }
  }

  /** A fact to add, without a key: the form of extractors that know no keys. */
  public ExtractedFact(String content, MemoryType type, double importance) {
    this(content, type, importance, null, FactAction.ADD, null);
  }

  /** A fact to add with a key (or null). */
  public ExtractedFact(String content, MemoryType type, double importance, String factKeyOrNull) {
    this(content, type, importance, factKeyOrNull, FactAction.ADD, null);
  }

  /** Returns this fact with another action and target. */
  public ExtractedFact withAction(FactAction newAction, String newTargetMemoryIdOrNull) {
    return new ExtractedFact(
        content, type, importance, factKey, newAction, newTargetMemoryIdOrNull);
  }

  /** Returns this fact with another key (or none), the action and target unchanged. */
  public ExtractedFact withFactKey(String newFactKeyOrNull) {
    return new ExtractedFact(content, type, importance, newFactKeyOrNull, action, targetMemoryId);
  }

  static String requireFactKey(String factKey) {
    if (factKey.length() > 256 || factKey.isBlank() || !FACT_KEY.matcher(factKey).matches()) {
      throw new IllegalArgumentException(
          "a fact key is subject:attribute, such as user-12345:home_city, was '" + factKey + "'");
    }
    return factKey;
  }
}
