package dev.memstore;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How long a memory is meant to live: the seeds' tiers. {@link #fromName} also accepts the short
 * spellings of seed 002 ({@code short}, {@code long}).
 */
public enum MemoryTier {
  /** Recent conversation history; the default tier of new memories. */
  SHORT_TERM(Set.of("short")),
  /** What the current task needs right now. */
  WORKING(Set.of()),
  /** Persistent knowledge, kept across sessions. */
  LONG_TERM(Set.of("long"));

  private static final Map<String, MemoryTier> BY_NAME =
      NameIndex.of(values(), MemoryTier::aliases);

  private final Set<String> aliases;

  MemoryTier(Set<String> aliases) {
    this.aliases = aliases;
  }

  /**
   * Returns the canonical name used on the wire and in the file, for example {@code short_term}.
   */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Returns the other spellings the seeds use for this tier. */
  public Set<String> aliases() {
    return aliases;
  }

  /**
   * Returns the tier a name denotes: a canonical name or an alias, in any letter case, with {@code
   * -} or {@code _}.
   */
  public static Optional<MemoryTier> fromName(String name) {
    return Optional.ofNullable(BY_NAME.get(NameIndex.normalize(name)));
  }
}
