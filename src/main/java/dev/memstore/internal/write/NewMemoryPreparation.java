package dev.memstore.internal.write;

import dev.memstore.NewMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The part of creating memories that runs outside any transaction: the checks that need no
 * database, and embedding the contents that came without a vector, so that the writer is held only
 * for the inserts.
 */
final class NewMemoryPreparation {
  private final Validator validator;
  private final int dimension;
  private final Function<List<String>, List<float[]>> embedOrDefer;

  /** A new memory whose values passed every check that needs no database. */
  record Checked(NewMemory memory, List<String> tags, Long ttlSeconds, float[] vector) {}

  /**
   * With the embedding that returns the texts' vectors, or null when the model failed (the backlog
   * embeds them later).
   */
  NewMemoryPreparation(
      Validator validator, int dimension, Function<List<String>, List<float[]>> embedOrDefer) {
    this.validator = validator;
    this.dimension = dimension;
    this.embedOrDefer = embedOrDefer;
  }

  /** Checks what needs no database; throws a ValidationException naming the bad field. */
  Checked check(NewMemory memory) {
    Objects.requireNonNull(memory, "memory");
    validator.content("content", memory.content());
    validator.importance(memory.importance());
    validator.priority(memory.priority());
    validator.metadata(memory.metadata());
    validator.name("source_agent", memory.sourceAgent());
    validator.name("user_id", memory.userId());
    validator.name("agent_id", memory.agentId());
    Validator.chosenId(memory.id());
    if (memory.parentId() != null) {
      Validator.memoryId("parent_id", memory.parentId());
    }
    if (memory.sessionId() != null) {
      Validator.sessionId("session_id", memory.sessionId());
    }
    if (memory.embedding() != null) {
      Validator.embedding(memory.embedding(), dimension);
    }
    Facts.check(memory);
    return new Checked(
        memory,
        validator.tags(memory.tags()),
        validator.ttlSeconds(memory.ttl()),
        memory.embedding());
  }

  /** Embeds, outside any transaction, the contents that came without a precomputed vector. */
  List<float[]> embedMissing(List<Checked> checked) {
    List<float[]> found = new ArrayList<>(checked.size());
    List<Integer> missing = new ArrayList<>();
    for (int index = 0; index < checked.size(); index++) {
      found.add(checked.get(index).vector());
      if (checked.get(index).vector() == null) {
        missing.add(index);
      }
    }
    if (missing.isEmpty()) {
      return found;
    }
    List<float[]> computed =
        embedOrDefer.apply(
            missing.stream().map(index -> checked.get(index).memory().content()).toList());
    if (computed == null) {
      // Stored without vectors: the backlog embeds them once the model answers again.
      return found;
    }
    for (int position = 0; position < missing.size(); position++) {
      found.set(missing.get(position), computed.get(position));
    }
    return found;
  }
}
