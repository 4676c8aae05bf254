package dev.memstore;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a memory is about: the union of the seeds' memory types, one name each. {@link #fromName}
 * also accepts the seeds' other spellings ({@code user_preference}, {@code contextual}).
 */
public enum MemoryType {
  /** A turn of dialogue: what the user said or the assistant answered. */
  CONVERSATION(Set.of()),
  /** A specific event or experience, including summaries of past sessions. */
  EPISODIC(Set.of()),
  /** A fact or piece of general knowledge. */
  SEMANTIC(Set.of()),
  /** A preference or setting of the user. */
  PREFERENCE(Set.of("user_preference")),
  /** How-to knowledge: a procedure or routine. */
  PROCEDURAL(Set.of()),
  /** An emotional association or response. */
  EMOTIONAL(Set.of()),
  /** Conversation context and patterns: what is going on right now. */
  CONTEXT(Set.of("contextual")),
  /** State an agent keeps for itself between turns. */
  AGENT_STATE(Set.of()),
  /** Anything not classified further; the default. */
  GENERAL(Set.of());

  private static final Map<String, MemoryType> BY_NAME =
      NameIndex.of(values(), MemoryType::aliases);

  private final Set<String> aliases;

  MemoryType(Set<String> aliases) {
    this.aliases = aliases;
  }

  /**
   * Returns the canonical name used on the wire and in the file, for example {@code agent_state}.
   */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Returns the other spellings the seeds use for this type. */
  public Set<String> aliases() {
    return aliases;
  }

  /**
   * Returns the type a name denotes: a canonical name or an alias, in any letter case, with {@code
   * -} or {@code _}.
   */
  public static Optional<MemoryType> fromName(String name) {
    return Optional.ofNullable(BY_NAME.get(NameIndex.normalize(name)));
  }
}
