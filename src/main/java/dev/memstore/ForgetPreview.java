package dev.memstore;

import java.util.List;
import java.util.stream.Stream;

/**
 * What {@link Privacy#forget} would remove for a request, from {@link Privacy#previewForget}.
 * Immutable.
 *
 * @param memories the memories the request selects, oldest first
 * @param derived the memories built from them that quote them and go with them: summaries of them
 *     (and summaries of those), and the memories merged with them by consolidation; oldest first
 */
public record ForgetPreview(List<Memory> memories, List<Memory> derived) {
  public ForgetPreview {
    memories = List.copyOf(memories);
    derived = List.copyOf(derived);
  }

  /** Returns the ids of every memory that would go, the selected ones first. */
  public List<String> ids() {
    return Stream.concat(memories.stream(), derived.stream()).map(Memory::id).toList();
  }

  /** Returns whether nothing would go. */
  public boolean isEmpty() {
    return memories.isEmpty() && derived.isEmpty();
  }
}
