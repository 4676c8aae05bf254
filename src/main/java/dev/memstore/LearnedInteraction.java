package dev.memstore;

import java.util.List;
import java.util.Objects;

/**
 * What {@link MemoryLifecycle#learnFromInteraction} stored. Immutable.
 *
 * @param exchange the interaction itself, a conversation memory
 * @param facts the facts found in it, each a long-term memory (an existing memory when the same
 *     fact was already known, reinforced)
 */
public record LearnedInteraction(Memory exchange, List<Memory> facts) {
  public LearnedInteraction {
    Objects.requireNonNull(exchange, "exchange");
    facts = List.copyOf(facts);
  }
}
