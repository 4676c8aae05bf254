package dev.memstore;

import java.util.List;

/**
 * Finds facts and preferences worth remembering in one exchange between the user and the assistant,
 * for {@link MemoryLifecycle#learnFromInteraction}. The default is rule-based: it matches
 * first-person statements such as "my name is ...", "I love ...", "I work as ..." in the user's
 * words and nothing else (no inference, no coreference, English only). Implementations must be
 * thread-safe.
 */
@FunctionalInterface
public interface Extractor {
  /**
   * Returns the facts found, possibly none.
   *
   * @param userInput what the user said
   * @param assistantResponse what the assistant answered, or null
   */
  List<ExtractedFact> extract(String userInput, String assistantResponse);
}
