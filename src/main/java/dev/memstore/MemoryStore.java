package dev.memstore;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

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
 *
 * <p>The store itself holds memories and search. The rest is reached through views, each a small
 * interface returned by a method of the store, the way a Caffeine cache offers {@code policy()} and
 * {@code asMap()}: {@link #sessions()}, {@link #links()}, {@link #groups()}, {@link #lifecycle()},
 * {@link #file()}, {@link #embeddings()} and {@link #privacy()}. A view is created with the store,
 * is thread-safe and lives as long as the store; calling its accessor again returns the same
 * instance.
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

  /**
   * Creates memories like {@link #createAll} and says for each whether it was new or an exact
   * duplicate (same normalized text, type, user and session as a live memory) that reinforced the
   * existing memory instead.
   */
  List<CreateResult> createAllWithResults(List<NewMemory> memories);

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

  /**
   * Returns what to put into a prompt: a profile of the session's user (their current facts, most
   * important first, within {@link MemoryStoreConfig#profileShare()} of the budget; without a
   * session, the facts stored without a user), the memories most relevant to the query and the
   * session's recent memories, cut to a token budget (see {@link ContextPack} for how tokens are
   * counted). Either the session or the query may be null.
   */
  ContextPack contextPack(String sessionIdOrNull, String queryOrNull, int tokenBudget);

  /** Adds a listener of this store's events; see {@link MemoryListener} for how they arrive. */
  void addListener(MemoryListener listener);

  /** Removes a listener; returns whether it was registered. */
  boolean removeListener(MemoryListener listener);

  // Views: each returns the same instance on every call

  /** Returns the view of this store's sessions. */
  Sessions sessions();

  /** Returns the view of the relationships between this store's memories. */
  Links links();

  /** Returns the view of this store's context groups. */
  ContextGroups groups();

  /** Returns the view of maintenance, cleanup, summaries, learning and consolidation. */
  MemoryLifecycle lifecycle();

  /** Returns the view of the file: statistics, health, repair, export, import and backup. */
  StoreFile file();

  /** Returns the view of the embedding model's circuit breaker and backlog. */
  Embeddings embeddings();

  /** Returns the view of forgetting, the audit trail and the key of sealed memories. */
  Privacy privacy();

  /**
   * Flushes pending access counts, checkpoints the log into the file and releases the file.
   * Idempotent.
   */
  @Override
  void close();
}
