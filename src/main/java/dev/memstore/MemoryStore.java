package dev.memstore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * An embedded long-term memory store in one SQLite file: memories with their hierarchy,
 * relationships, context groups, sessions and change history, plus the full-text and vector
 * indexes.
 *
 * <p>Thread-safe: one instance serves every thread of a process. Other processes (for example
 * {@code memctl}) may use the same file at the same time; every write is one transaction that
 * either commits whole or leaves nothing behind, and a write that returned survives a crash of the
 * process (and, with {@link Durability#FULL}, of the machine).
 *
 * <p>Every method throws {@link ValidationException} or {@link InvalidRequestException} for bad
 * input (nothing is written), {@link MemoryNotFoundException} or {@link SessionNotFoundException}
 * for ids that do not exist, {@link ReadOnlyStoreException} for writes to a read-only store and
 * {@link StorageException} when the file fails. Expired memories behave as if they did not exist,
 * except where a filter asks for them.
 */
public interface MemoryStore extends AutoCloseable {

  /** Opens (and creates if missing) the store at the given file with default settings. */
  static MemoryStore open(Path path) {
    return builder(path).build();
  }

  /** Returns a builder for a store at the given file. */
  static MemoryStoreBuilder builder(Path path) {
    return new MemoryStoreBuilder(path);
  }

  /** Returns the settings this store was opened with. */
  MemoryStoreConfig config();

  // Memories

  /** Creates a memory and returns it as stored. */
  Memory create(NewMemory memory);

  /** Creates several memories in one transaction: all of them, or none when any is invalid. */
  List<Memory> createAll(List<NewMemory> memories);

  /** Returns a memory by id and records the access. */
  Memory get(String memoryId);

  /** Returns the memories found among the ids, in order, and records the accesses. */
  BatchGetResult getAll(List<String> memoryIds);

  /** Applies a partial update and returns the memory as stored afterwards. */
  Memory update(String memoryId, MemoryUpdate update);

  /**
   * Deletes a memory from every table and index in one transaction. With {@code cascade}, its
   * descendants go too; without, its children are detached (their parent becomes null).
   *
   * @return the ids deleted, the memory first
   */
  List<String> delete(String memoryId, boolean cascade);

  /**
   * Deletes several memories in one transaction: all of them, or none when any id does not exist.
   */
  List<String> deleteAll(Collection<String> memoryIds, boolean cascade);

  /**
   * Deletes exactly the memories the filter matches, in one transaction. Children that do not match
   * stay and are detached (their parent becomes null): a bulk delete never removes what its filter
   * did not select.
   *
   * @return the ids deleted
   * @throws ValidationException if the filter sets no criterion (use an explicit criterion to
   *     delete everything)
   */
  List<String> deleteMatching(MemoryFilter filter);

  /**
   * Returns one page of the memories the filter matches, with the total count taken in the same
   * snapshot.
   */
  Page<Memory> list(MemoryFilter filter, MemorySort sort, int offset, int limit);

  /** Returns one page of a memory's children. */
  Page<Memory> children(String parentId, MemorySort sort, int offset, int limit);

  /**
   * Multiplies a memory's importance by a factor (above 1 strengthens, below 1 weakens), keeping it
   * within 0 to 1.
   */
  Memory reinforce(String memoryId, double factor);

  /**
   * Returns the change history of a memory, oldest first; a deleted memory keeps its deletion
   * entry.
   */
  List<HistoryEntry> history(String memoryId);

  // Search

  /**
   * Finds the memories that match a text best: by meaning, by words, or both (the default), ranked
   * with importance and recency. Expired memories never come back. When the embedding model is
   * unavailable, a semantic or hybrid search answers keyword results and says it was degraded
   * instead of failing.
   */
  SearchResult search(SearchQuery query);

  /**
   * Searches with several queries and combines their hits into one ranking (seed 003's multi-query
   * retrieval). Each query runs with the template's mode, filter and minimum similarity; the
   * template's limit and offset page the combined ranking.
   *
   * @param queries 1 to 32 texts
   * @param weights one weight per query (not negative), or null for equal weights
   */
  SearchResult searchMany(
      List<String> queries, List<Double> weights, Aggregation aggregation, SearchQuery template);

  /** Returns the state of the circuit breaker that guards the embedding model. */
  CircuitBreakerStatus circuitBreaker();

  /** Closes the circuit breaker at once, so the next call reaches the embedding model. */
  void resetCircuitBreaker();

  /**
   * Embeds every memory that has no embedding yet (stored while the model was failing); the store
   * also does this by itself in the background. Returns how many were embedded; stops early when
   * the model fails again.
   */
  int embedPending();

  // Relationships

  /** Links two memories; adding the same link (source, target, type) again updates its strength. */
  Relationship addRelationship(String sourceId, String targetId, String type, double strength);

  /**
   * Returns the memories linked to a memory in either direction, optionally only by links of one
   * type.
   */
  List<RelatedMemory> relatedMemories(String memoryId, String typeOrNull);

  /** Removes a link; returns false when it did not exist. */
  boolean removeRelationship(long relationshipId);

  // Context groups

  /** Creates a context group with a unique name. */
  ContextGroup createContextGroup(String name, String descriptionOrNull);

  /** Returns every context group, by name. */
  List<ContextGroup> contextGroups();

  /** Adds a memory to a group; returns false when it was already a member. */
  boolean addToGroup(long groupId, String memoryId);

  /**
   * Removes a memory from a group; returns false when it was not a member.
   *
   * @throws MemoryNotFoundException when no memory has this id
   * @throws ValidationException when the id is malformed or the group does not exist
   */
  boolean removeFromGroup(long groupId, String memoryId);

  /** Returns one page of a group's live members, newest first. */
  Page<Memory> groupMembers(long groupId, int offset, int limit);

  // Sessions

  /** Starts a session. */
  Session createSession(String userIdOrNull, String sessionTypeOrNull, Map<String, ?> metadata);

  /** Returns a session by id. */
  Session getSession(String sessionId);

  /** Returns one page of sessions, newest first, optionally with the ended ones. */
  Page<Session> sessions(boolean includeEnded, int offset, int limit);

  /**
   * Ends a session. Its summary, the one given or else one the {@link Summarizer} writes from the
   * session's memories, is stored on the session and as a long-term episodic memory of the session
   * tagged {@code session_summary}. With {@code archive}, the session's short-term memories are
   * archived: kept for history and reads by id, left out of lists and searches.
   *
   * @throws SessionNotFoundException if there is no such session
   * @throws ValidationException if the session already ended
   */
  Session endSession(String sessionId, String summaryOrNull, boolean archive);

  /**
   * Returns the last {@code last} memories of a session, oldest first (a conversation's context).
   */
  List<Memory> conversationContext(String sessionId, int last);

  /**
   * Returns what to put into a prompt: the session's recent memories and the memories most relevant
   * to the query, cut to a token budget (see {@link ContextPack} for the estimate). Either the
   * session or the query may be null.
   */
  ContextPack contextPack(String sessionIdOrNull, String queryOrNull, int tokenBudget);

  // Lifecycle

  /**
   * Creates memories like {@link #createAll} and says for each whether it was new or an exact
   * duplicate (same normalized text, type, user and session as a live memory) that reinforced the
   * existing memory instead.
   */
  List<CreateResult> createAllWithResults(List<NewMemory> memories);

  /**
   * Runs maintenance now, as the background scheduler does every {@code maintenanceInterval}:
   * deletes expired memories, promotes short-term memories read often or important enough to
   * long-term, folds each session's short-term memories beyond its window into a summary, prunes
   * memories whose effective importance fell below the floor, evicts the lowest over the capacity
   * limit (never pinned ones), and checkpoints. See {@link RetentionPolicy}.
   */
  MaintenanceReport runMaintenance();

  /**
   * Deletes the unpinned memories older than {@code maxAge} whose effective importance is below
   * {@code minImportance} and that were read at most {@code maxAccessCount} times (seed 003's
   * cleanup_old_memories); with {@code dryRun} only returns their ids.
   *
   * @return the ids deleted, or that would be
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
   */
  Summary summarize(MemoryFilter filter);

  /**
   * Stores an exchange between user and assistant as a short-term conversation memory and the facts
   * the {@link Extractor} finds in it as long-term memories; a fact already known is reinforced
   * instead. Feedback from -1 to 1 (or null) sets the exchange's importance from 0.25 to 0.75.
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
   */
  ConsolidationReport consolidate(Duration windowOrNull, Double thresholdOrNull, boolean dryRun);

  /** Adds a listener of this store's events; see {@link MemoryListener} for how they arrive. */
  void addListener(MemoryListener listener);

  /** Removes a listener; returns whether it was registered. */
  boolean removeListener(MemoryListener listener);

  // The file

  /**
   * Checks the file: SQLite's quick integrity check, then every row an export reads (so a file that
   * {@link #exportTo} cannot read is never called healthy), the full-text index and the sqlite-vec
   * table against the memories, the stored vectors of 20 random memories against the file's model
   * (each re-embedded; a cosine below 0.99 is a problem), and memories waiting for embeddings.
   * Reads only.
   */
  StoreHealth health();

  /**
   * Checks the file as {@link #health()} does, and with {@code full} more thoroughly: SQLite's full
   * {@code integrity_check} (which also compares every index with its table) instead of the quick
   * one, and the vectors of 500 random memories instead of 20. Takes seconds on a large file.
   */
  StoreHealth health(boolean full);

  /**
   * Repairs what can be repaired without loss: rebuilds the full-text index and the sqlite-vec
   * table from the memories, embeds the memories waiting for it, and when the check finds vectors
   * that do not match the file's model, embeds every memory again and replaces those that differ,
   * then checks again. A file that fails SQLite's integrity check is not changed; restore it from a
   * backup.
   *
   * @return the health after the repair
   */
  StoreHealth repair();

  /**
   * Merges the full-text index, refreshes SQLite's statistics and, when a quarter of the file is
   * free pages or {@code forceVacuum}, rewrites the file smaller. Writers of this process wait
   * while the file is rewritten.
   */
  OptimizeReport optimize(boolean forceVacuum);

  /**
   * Writes the whole store as JSON Lines: a header, then every session, memory (with its embedding
   * and change history), relationship and context group (with its members), one per line, in an
   * order that depends only on the contents, so that exporting an imported export gives the same
   * bytes. README documents the format. Reads one snapshot; writers are not held up.
   *
   * @param progress told the number of records written so far, now and then
   */
  TransferReport exportTo(java.io.Writer out, java.util.function.LongConsumer progress);

  /**
   * Reads an export into this store, keeping every id, time, count and vector (vectors only when
   * the export's model is this store's). Memories without a vector for this store's model are
   * embedded with it before the import returns, so that none is left unsearchable; those the model
   * could not embed (it failed) are counted in {@link TransferReport#awaitingEmbedding()} and
   * embedded by {@link #embedPending()} or the background backlog. Every line is checked before
   * anything is written, with the checks of {@link #create} and more (vectors of finite numbers and
   * the export's dimension, counts not negative, no memory related to itself or its own parent,
   * well-formed ids, times from 1970 to 9999): a bad line is skipped with {@code skipBadLines}, and
   * otherwise fails the import with a {@link ValidationException} naming its line, and nothing is
   * imported. Records are written in transactions of 1,000, each record whole.
   *
   * @param progress told the number of records written so far, now and then
   */
  TransferReport importFrom(
      java.io.Reader in, boolean skipBadLines, java.util.function.LongConsumer progress);

  /** Returns counts and sizes of the store. */
  StoreStats stats();

  /**
   * Writes a complete, consistent copy of the store to a new file while the store stays in use. The
   * target must not exist; it appears only once complete.
   */
  void backup(Path target);

  /** Moves everything in the write-ahead log into the database file now. */
  void checkpoint();

  /**
   * Flushes pending access counts, checkpoints the log into the file and releases the file.
   * Idempotent.
   */
  @Override
  void close();
}
