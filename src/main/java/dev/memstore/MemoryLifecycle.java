package dev.memstore;

import java.time.Duration;
import java.util.List;

/**
 * How the memories of a {@link MemoryStore} age, merge and grow: maintenance, cleanup, summaries,
 * learning from interactions and consolidation of near-duplicates. Obtained from {@link
 * MemoryStore#lifecycle()}.
 *
 * <p>Thread-safe, like the store it views: each write runs as transactions of the store, and the
 * view stays usable for as long as the store is open. After {@link MemoryStore#close()} every
 * method throws {@link IllegalStateException}.
 */
public interface MemoryLifecycle {

  /**
   * Runs maintenance now, as the background scheduler does every {@code maintenanceInterval}:
   * deletes expired memories, promotes short-term memories read often or important enough to
   * long-term, folds each session's short-term memories beyond its window into a summary, prunes
   * memories whose effective importance fell below the floor, evicts the lowest over the capacity
   * limit (never pinned ones), and checkpoints. See {@link RetentionPolicy}.
   *
   * @throws ReadOnlyStoreException if the store is open read-only
   * @throws StorageException if the file fails
   */
  MaintenanceReport runMaintenance();

  /**
   * Deletes the unpinned memories older than {@code maxAge} whose effective importance is below
   * {@code minImportance} and that were read at most {@code maxAccessCount} times (seed 003's
   * cleanup_old_memories); with {@code dryRun} only returns their ids.
   *
   * @return the ids deleted, or that would be, oldest first
   * @throws ValidationException if a criterion is out of range
   * @throws ReadOnlyStoreException if the store is open read-only and this is not a dry run
   * @throws StorageException if the file fails
   */
  default List<String> cleanup(
      Duration maxAge, double minImportance, long maxAccessCount, boolean dryRun) {
    return cleanup(MemoryFilter.all(), maxAge, minImportance, maxAccessCount, dryRun);
  }

  /**
   * Deletes the unpinned memories the filter selects that also meet every criterion given: created
   * more than {@code maxAgeOrNull} ago, effective importance below {@code minImportanceOrNull},
   * read at most {@code maxAccessCountOrNull} times. With {@code dryRun} only returns their ids;
   * the dry run reads the same snapshot a real run would, so on an unchanged file both give the
   * same ids. Children of deleted memories are detached, not deleted.
   *
   * @return the ids deleted, or that would be, oldest first
   * @throws ValidationException if a criterion is out of range
   * @throws ReadOnlyStoreException if the store is open read-only and this is not a dry run
   * @throws StorageException if the file fails
   */
  List<String> cleanup(
      MemoryFilter filter,
      Duration maxAgeOrNull,
      Double minImportanceOrNull,
      Long maxAccessCountOrNull,
      boolean dryRun);

  /**
   * Summarizes the memories a filter selects (at most 10,000, oldest first) with the {@link
   * Summarizer}; stores nothing.
   *
   * @throws StorageException if the file fails
   */
  Summary summarize(MemoryFilter filter);

  /**
   * Stores an exchange between user and assistant as a short-term conversation memory and the facts
   * the {@link Extractor} finds in it as long-term memories. The extractor is shown the session
   * user's current keyed facts ({@link CandidateFact}) and decides for each fact (see {@link
   * Extractor#decide}): added and updated facts are stored with their fact key ({@code
   * subject:attribute}, the subject the session's user or {@code user}), and a fact it decides is
   * already known is reinforced instead, as is a fact with the same text, type and user as a stored
   * one. Feedback from -1 to 1 (or null) sets the exchange's importance from 0.25 to 0.75.
   *
   * @throws ValidationException if a text or the session id is malformed, or the feedback out of
   *     range
   * @throws SessionNotFoundException if a session is given and does not exist
   * @throws ReadOnlyStoreException if the store is open read-only
   * @throws StorageException if the file fails
   */
  LearnedInteraction learnFromInteraction(
      String userInput, String assistantResponseOrNull, String sessionIdOrNull, Double feedback);

  /**
   * Merges near-duplicates: live memories of the same user and type whose embeddings are at least
   * {@code threshold} alike (null: the model's default, see {@link
   * MemoryStoreBuilder#consolidationThreshold}) and that were created within {@code window} of each
   * other (null: the configured window). Each group merges into its most important memory, which
   * takes the union of tags, the sum of access counts and the highest importance; the others are
   * archived and linked from it by {@code consolidated_from} relationships, and both histories
   * record the merge. With {@code dryRun} nothing changes and the report shows what would merge.
   *
   * @throws ValidationException if the threshold or window is out of range
   * @throws ReadOnlyStoreException if the store is open read-only and this is not a dry run
   * @throws StorageException if the file fails
   */
  ConsolidationReport consolidate(Duration windowOrNull, Double thresholdOrNull, boolean dryRun);

  /**
   * Makes a superseded fact current again, as a correction: the fact of the same key that is
   * current now ends where it began (its {@code valid_to} becomes its {@code valid_from}), as if it
   * had never held, and names the restored one in {@code superseded_by}. Both histories record the
   * change; restoring a current fact changes nothing. Returns the restored memory.
   *
   * @throws MemoryNotFoundException if no live memory has the id
   * @throws ValidationException naming {@code memory_id} if the memory states no keyed fact
   */
  Memory restoreFact(String memoryId);
}
