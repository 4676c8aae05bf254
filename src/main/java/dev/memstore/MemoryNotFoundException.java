package dev.memstore;

import java.util.List;
import java.util.Map;

/** One or more memories do not exist, or have expired. Nothing was changed. */
public final class MemoryNotFoundException extends MemoryStoreException {
  private static final long serialVersionUID = 1L;

  // An array, not a List: the exception is Serializable and List is not.
  private final String[] memoryIds;

  public MemoryNotFoundException(List<String> memoryIds) {
    super(
        ErrorCode.MEMORY_NOT_FOUND,
        memoryIds.size() == 1
            ? "memory " + memoryIds.get(0) + " does not exist"
            : "memories " + String.join(", ", memoryIds) + " do not exist",
        memoryIds.size() == 1
            ? Map.of("memory_id", memoryIds.get(0))
            : Map.of("memory_ids", List.copyOf(memoryIds)),
        null);
    this.memoryIds = memoryIds.toArray(String[]::new);
  }

  public MemoryNotFoundException(String memoryId) {
    this(List.of(memoryId));
  }

  /** Returns the ids that were not found. */
  public List<String> memoryIds() {
    return List.of(memoryIds);
  }
}
