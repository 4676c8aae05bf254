package dev.memstore;

import java.util.List;

/**
 * Writes the text of a summary of memories: of a session when it ends, of the short-term memories a
 * session's window folds away, or of whatever {@link MemoryLifecycle#summarize} selects. The
 * default is extractive (no language model): it states how many memories over what time span and
 * quotes the most representative, least redundant ones. Plug in another, for example one that calls
 * a local language model, with {@link MemoryStoreBuilder#summarizer}. Implementations must be
 * thread-safe.
 */
@FunctionalInterface
public interface Summarizer {
  /**
   * Returns the summary of the memories, given oldest first; never called with an empty list.
   *
   * @throws RuntimeException if it cannot summarize; the operation that asked fails and changes
   *     nothing
   */
  String summarize(List<Memory> memories);
}
