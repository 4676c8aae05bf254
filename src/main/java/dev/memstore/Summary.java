package dev.memstore;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A summary of memories and what it covers. Immutable.
 *
 * @param text the summary
 * @param memoryCount how many memories it covers
 * @param from the creation time of the oldest, or null if it covers none
 * @param until the creation time of the newest, or null if it covers none
 * @param memoryIds the ids of the memories it covers, oldest first
 */
public record Summary(
    String text, int memoryCount, Instant from, Instant until, List<String> memoryIds) {
  public Summary {
    Objects.requireNonNull(text, "text");
    memoryIds = List.copyOf(memoryIds);
  }
}
