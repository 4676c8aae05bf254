package dev.memstore.internal.access;

import dev.memstore.Aggregation;
import dev.memstore.BatchGetResult;
import dev.memstore.ContextGroups;
import dev.memstore.ContextPack;
import dev.memstore.CreateResult;
import dev.memstore.Embeddings;
import dev.memstore.HistoryEntry;
import dev.memstore.Links;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryLifecycle;
import dev.memstore.MemoryListener;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryStoreConfig;
import dev.memstore.MemoryUpdate;
import dev.memstore.NewMemory;
import dev.memstore.Page;
import dev.memstore.Privacy;
import dev.memstore.SearchHit;
import dev.memstore.SearchQuery;
import dev.memstore.SearchResult;
import dev.memstore.Sessions;
import dev.memstore.StoreFile;
import dev.memstore.internal.access.Guard.Kind;
import dev.memstore.internal.write.Validator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store as one agent sees it: every call of the store and of its views passes through the
 * agent's {@link Guard}. Lists, counts, searches and statistics run over the agent's scope (pushed
 * into the query, see {@link Scope}); calls on given memories are refused when one lies outside it.
 * Thread-safe.
 */
public final class AgentStore implements MemoryStore {
  private final Agents agents;
  private final Guard guard;
  private final boolean ownsStore;
  private final Sessions sessions;
  private final Links links;
  private final ContextGroups groups;
  private final MemoryLifecycle lifecycle;
  private final StoreFile file;
  private final Embeddings embeddings;
  private final Privacy privacy;
  private final Map<MemoryListener, MemoryListener> listeners = new ConcurrentHashMap<>();

  AgentStore(Agents agents, Guard guard, boolean ownsStore) {
    this.agents = agents;
    this.guard = guard;
    this.ownsStore = ownsStore;
    MemoryStore store = guard.store;
    this.sessions = new AgentSessions(guard, store.sessions());
    this.links = new AgentLinks(guard, store.links());
    this.groups = new AgentGroups(guard, store.groups());
    this.lifecycle = new AgentLifecycle(guard, store.lifecycle());
    this.file = new AgentFile(guard, store.file());
    this.embeddings = new AgentEmbeddings(guard, store.embeddings());
    this.privacy = new AgentPrivacy(guard, store.privacy());
  }

  /** Returns the agents of the store this one guards: for the protocol's source_agent. */
  public Agents agents() {
    return agents;
  }

  /** Returns the acting agent's name, or null when none was named. */
  public String agent() {
    return guard.agentName();
  }

  @Override
  public MemoryStoreConfig config() {
    return guard.store.config();
  }

  // Memories

  @Override
  public Memory create(NewMemory memory) {
    Objects.requireNonNull(memory, "memory");
    return createAll(List.of(memory)).get(0);
  }

  @Override
  public List<Memory> createAll(List<NewMemory> memories) {
    return createAllWithResults(memories).stream().map(CreateResult::memory).toList();
  }

  @Override
  public List<CreateResult> createAllWithResults(List<NewMemory> memories) {
    Objects.requireNonNull(memories, "memories");
    List<String> parents = new ArrayList<>();
    memories.stream()
        .filter(Objects::nonNull)
        .forEach(memory -> addIfSet(parents, memory.parentId()));
    return guard.run(
        "create",
        Kind.WRITE,
        parents,
        () -> {
          for (NewMemory memory : memories) {
            if (memory != null) {
              guard.requireNewInScope("create", memory.type(), memory.tier(), memory.userId());
            }
          }
          return guard.store.createAllWithResults(memories);
        },
        results -> results.stream().map(result -> result.memory().id()).toList());
  }

  private static void addIfSet(List<String> ids, String id) {
    if (id != null) {
      ids.add(id);
    }
  }

  @Override
  public Memory get(String memoryId) {
    return guard.run(
        "read",
        Kind.READ,
        Collections.singletonList(memoryId),
        () -> guard.store.get(memoryId),
        memory -> ids(memory));
  }

  @Override
  public BatchGetResult getAll(List<String> memoryIds) {
    Objects.requireNonNull(memoryIds, "memoryIds");
    return guard.run(
        "batch_read",
        Kind.READ,
        memoryIds,
        () -> guard.store.getAll(memoryIds),
        result -> result.memories().stream().map(Memory::id).toList());
  }

  @Override
  public Memory update(String memoryId, MemoryUpdate update) {
    Objects.requireNonNull(update, "update");
    List<String> named = new ArrayList<>();
    named.add(memoryId);
    addIfSet(named, update.parentId());
    return guard.run(
        "update",
        Kind.WRITE,
        named,
        () -> {
          if (!guard.unscoped()
              && (update.changes(MemoryUpdate.Field.TYPE)
                  || update.changes(MemoryUpdate.Field.TIER)
                  || update.changes(MemoryUpdate.Field.USER_ID))) {
            Validator.memoryId("memory_id", memoryId);
            Memory current = guard.reads.peek(List.of(memoryId)).stream().findFirst().orElse(null);
            if (current != null) {
              guard.requireNewInScope(
                  "update",
                  update.changes(MemoryUpdate.Field.TYPE) ? update.type() : current.type(),
                  update.changes(MemoryUpdate.Field.TIER) ? update.tier() : current.tier(),
                  update.changes(MemoryUpdate.Field.USER_ID) ? update.userId() : current.userId());
            }
          }
          return guard.store.update(memoryId, update);
        },
        memory -> ids(memory));
  }

  @Override
  public List<String> delete(String memoryId, boolean cascade) {
    return deleteAll(List.of(memoryId), cascade);
  }

  @Override
  public List<String> deleteAll(Collection<String> memoryIds, boolean cascade) {
    Objects.requireNonNull(memoryIds, "memoryIds");
    return guard.run(
        "delete",
        Kind.DELETE,
        memoryIds,
        () -> {
          if (cascade && !guard.unscoped()) {
            for (String id : memoryIds) {
              if (id != null) {
                Validator.memoryId("memory_ids", id);
                guard.requireInScope("delete", guard.reads.withDescendants(id));
              }
            }
          }
          return guard.store.deleteAll(memoryIds, cascade);
        },
        deleted -> deleted);
  }

  @Override
  public List<String> deleteMatching(MemoryFilter filter) {
    Objects.requireNonNull(filter, "filter");
    return guard.run(
        "bulk_delete",
        Kind.DELETE,
        () -> {
          if (filter.isUnrestricted()) {
            return guard.store.deleteMatching(filter); // refused there: name a criterion
          }
          MemoryFilter narrowed = guard.narrow(filter);
          return narrowed == null ? List.<String>of() : guard.store.deleteMatching(narrowed);
        },
        deleted -> deleted);
  }

  @Override
  public Page<Memory> list(MemoryFilter filter, MemorySort sort, int offset, int limit) {
    Objects.requireNonNull(filter, "filter");
    return guard.run(
        "list",
        Kind.READ,
        () -> {
          MemoryFilter narrowed = guard.narrow(filter);
          return narrowed == null
              ? Guard.emptyPage(offset, limit)
              : guard.store.list(narrowed, sort, offset, limit);
        },
        Guard::pageIds);
  }

  static List<String> ids(Memory memory) {
    return memory == null ? List.of() : List.of(memory.id());
  }

  @Override
  public Page<Memory> children(String parentId, MemorySort sort, int offset, int limit) {
    return guard.run(
        "get_children",
        Kind.READ,
        Collections.singletonList(parentId),
        () -> {
          if (guard.unscoped()) {
            return guard.store.children(parentId, sort, offset, limit);
          }
          guard.store.children(parentId, sort, 0, 1); // the store's checks: the parent exists
          MemoryFilter narrowed = guard.narrow(MemoryFilter.builder().parentId(parentId).build());
          return narrowed == null
              ? Guard.emptyPage(offset, limit)
              : guard.store.list(narrowed, sort, offset, limit);
        },
        Guard::pageIds);
  }

  @Override
  public Memory reinforce(String memoryId, double factor) {
    return guard.run(
        "reinforce_memory",
        Kind.WRITE,
        Collections.singletonList(memoryId),
        () -> guard.store.reinforce(memoryId, factor),
        memory -> ids(memory));
  }

  @Override
  public List<HistoryEntry> history(String memoryId) {
    return guard.run(
        "get_history",
        Kind.READ,
        Collections.singletonList(memoryId),
        () -> {
          Validator.memoryId("memory_id", memoryId);
          if (!guard.unscoped() && guard.reads.peek(List.of(memoryId)).isEmpty()) {
            guard.store.history(memoryId); // not found, or the history of a deleted memory:
            throw guard.outsideScope(
                "get_history",
                "the history of deleted memory " + memoryId + " (its scope is gone)");
          }
          return guard.store.history(memoryId);
        },
        entries -> List.of(memoryId));
  }

  // Search

  @Override
  public SearchResult search(SearchQuery query) {
    Objects.requireNonNull(query, "query");
    return guard.run(
        "search",
        Kind.READ,
        () -> {
          SearchQuery scoped = scoped(query);
          return scoped == null ? nothingFound(query) : inScope(guard.store.search(scoped));
        },
        AgentStore::hitIds);
  }

  @Override
  public SearchResult searchMany(
      List<String> queries, List<Double> weights, Aggregation aggregation, SearchQuery template) {
    Objects.requireNonNull(template, "template");
    return guard.run(
        "search_multi_query",
        Kind.READ,
        () -> {
          SearchQuery scoped = scoped(template);
          return scoped == null
              ? nothingFound(template)
              : inScope(guard.store.searchMany(queries, weights, aggregation, scoped));
        },
        AgentStore::hitIds);
  }

  /** The query over the scope, or null when its filter and the scope share no memory. */
  private SearchQuery scoped(SearchQuery query) {
    if (guard.unscoped()) {
      return query;
    }
    MemoryFilter narrowed = guard.narrow(query.filter());
    return narrowed == null
        ? null
        : new SearchQuery(
            query.text(),
            query.mode(),
            narrowed,
            query.limit(),
            query.offset(),
            query.minSimilarity(),
            query.explain(),
            query.expansionDepth(),
            query.vector());
  }

  /** The answer of a search whose filter and scope share no memory. */
  private SearchResult nothingFound(SearchQuery query) {
    SearchQuery none =
        new SearchQuery(
            query.text(),
            query.mode(),
            Guard.nothing(),
            query.limit(),
            query.offset(),
            query.minSimilarity(),
            query.explain(),
            0,
            query.vector());
    // Through the store, so that the query is checked and the answer says which mode ran.
    return guard.store.search(none);
  }

  /**
   * Drops hits that expansion through links brought from outside the scope; the direct hits came
   * from the scoped search, and the total counts those only.
   */
  private SearchResult inScope(SearchResult result) {
    if (guard.unscoped()) {
      return result;
    }
    List<SearchHit> hits =
        result.hits().stream().filter(hit -> guard.scope.contains(hit.memory())).toList();
    return hits.size() == result.hits().size()
        ? result
        : new SearchResult(
            hits,
            result.totalCount(),
            result.totalCountExact(),
            result.mode(),
            result.degraded(),
            result.degradation(),
            result.embeddingModel(),
            result.dimension());
  }

  static List<String> hitIds(SearchResult result) {
    return result.hits().stream().map(hit -> hit.memory().id()).toList();
  }

  @Override
  public ContextPack contextPack(String sessionIdOrNull, String queryOrNull, int tokenBudget) {
    return guard.run(
        "get_context_pack",
        Kind.READ,
        () -> {
          if (guard.unscoped()) {
            return guard.store.contextPack(sessionIdOrNull, queryOrNull, tokenBudget);
          }
          MemoryFilter within = guard.within();
          return within == null
              ? guard.reads.contextPack(sessionIdOrNull, null, tokenBudget, Guard.nothing())
              : guard.reads.contextPack(sessionIdOrNull, queryOrNull, tokenBudget, within);
        },
        pack -> {
          List<String> touched = new ArrayList<>();
          pack.profile().forEach(memory -> touched.add(memory.id()));
          pack.recent().forEach(memory -> touched.add(memory.id()));
          pack.relevant().forEach(hit -> touched.add(hit.memory().id()));
          return touched;
        });
  }

  @Override
  public void addListener(MemoryListener listener) {
    Objects.requireNonNull(listener, "listener");
    guard.run(
        "add_listener",
        Kind.READ,
        () -> {
          MemoryListener scoped =
              guard.unscoped()
                  ? listener
                  : event -> {
                    // Deleted memories cannot be placed in a scope: their events are left out.
                    if (event.memoryId() != null
                        && guard.reads.peek(List.of(event.memoryId())).stream()
                            .anyMatch(guard.scope::contains)) {
                      listener.onEvent(event);
                    }
                  };
          listeners.put(listener, scoped);
          guard.store.addListener(scoped);
          return null;
        },
        Guard::none);
  }

  @Override
  public boolean removeListener(MemoryListener listener) {
    return guard.run(
        "remove_listener",
        Kind.READ,
        () -> {
          MemoryListener scoped = listeners.remove(listener);
          return scoped != null && guard.store.removeListener(scoped);
        },
        Guard::none);
  }

  // Views

  @Override
  public Sessions sessions() {
    return sessions;
  }

  @Override
  public Links links() {
    return links;
  }

  @Override
  public ContextGroups groups() {
    return groups;
  }

  @Override
  public MemoryLifecycle lifecycle() {
    return lifecycle;
  }

  @Override
  public StoreFile file() {
    return file;
  }

  @Override
  public Embeddings embeddings() {
    return embeddings;
  }

  @Override
  public Privacy privacy() {
    return privacy;
  }

  /** Closes the store when this agent's store opened it; an agent of a request leaves it open. */
  @Override
  public void close() {
    if (ownsStore) {
      guard.store.close();
    }
  }
}
