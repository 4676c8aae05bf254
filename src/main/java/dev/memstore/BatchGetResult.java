package dev.memstore;

import java.util.List;

/**
 * The result of reading several memories by id.
 *
 * @param memories the memories found, in the order their ids were asked for
 * @param missingIds the ids that do not exist or have expired, in the order asked for
 */
public record BatchGetResult(List<Memory> memories, List<String> missingIds) {
  public BatchGetResult {
    memories = List.copyOf(memories);
    missingIds = List.copyOf(missingIds);
  }
}
