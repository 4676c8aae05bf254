package dev.memstore;

import java.util.Objects;

/**
 * The outcome of creating one memory. Immutable.
 *
 * @param memory the memory as stored: the new one, or the existing exact duplicate
 * @param duplicate true when an existing memory with the same normalized text, type, user and
 *     session was reinforced instead of adding a copy
 */
public record CreateResult(Memory memory, boolean duplicate) {
  public CreateResult {
    Objects.requireNonNull(memory, "memory");
  }
}
