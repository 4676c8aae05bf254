package dev.memstore;

import java.util.Objects;

/**
 * A fact found in an interaction, to be stored as a long-term memory. Immutable.
 *
 * @param content the fact as a sentence about the user, for example "The user's name is Ada."
 * @param type its memory type, usually {@link MemoryType#SEMANTIC} or {@link MemoryType#PREFERENCE}
 * @param importance how much it matters, 0 to 1
 */
public record ExtractedFact(String content, MemoryType type, double importance) {
  public ExtractedFact {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(type, "type");
    if (!(importance >= 0 && importance <= 1)) {
      throw new IllegalArgumentException("importance must be between 0 and 1, was " + importance);
    }
  }
}
