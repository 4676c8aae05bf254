package dev.memstore;

import java.util.Locale;
import java.util.Optional;

/** How a search finds memories (seed 001's {@code search_type}). */
public enum SearchMode {
  /** By meaning: cosine similarity of embeddings. */
  SEMANTIC,
  /** By words: BM25 over the full-text index (stemmed, diacritics folded, stop words ignored). */
  KEYWORD,
  /** Both, fused: the default, and the most accurate on the benchmarks (see BENCHMARKS.md). */
  HYBRID;

  /** Returns the name on the wire, for example {@code hybrid}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Returns the mode a wire name denotes, in any letter case. */
  public static Optional<SearchMode> fromName(String name) {
    for (SearchMode mode : values()) {
      if (mode.wireName().equals(NameIndex.normalize(name))) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }
}
