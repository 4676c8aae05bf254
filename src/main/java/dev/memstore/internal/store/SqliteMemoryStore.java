package dev.memstore.internal.store;

import dev.memstore.Aggregation;
import dev.memstore.BatchGetResult;
import dev.memstore.ContextGroup;
import dev.memstore.ContextGroups;
import dev.memstore.ContextPack;
import dev.memstore.CreateResult;
import dev.memstore.Embedder;
import dev.memstore.Embeddings;
import dev.memstore.ForgetReceipt;
import dev.memstore.ForgetRequest;
import dev.memstore.HistoryEntry;
import dev.memstore.Links;
import dev.memstore.Memory;
import dev.memstore.MemoryEvent;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryLifecycle;
import dev.memstore.MemoryListener;
import dev.memstore.MemoryNotFoundException;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryStoreConfig;
import dev.memstore.MemoryStoreException;
import dev.memstore.MemoryUpdate;
import dev.memstore.NewMemory;
import dev.memstore.Page;
import dev.memstore.Privacy;
import dev.memstore.Relationship;
import dev.memstore.SearchHit;
import dev.memstore.SearchQuery;
import dev.memstore.SearchResult;
import dev.memstore.Session;
import dev.memstore.Sessions;
import dev.memstore.StoreFile;
import dev.memstore.StoreStats;
import dev.memstore.TransferReport;
import dev.memstore.internal.audit.AuditLog;
import dev.memstore.internal.audit.AuditTrail;
import dev.memstore.internal.background.Background;
import dev.memstore.internal.embed.EmbeddingBacklog;
import dev.memstore.internal.embed.EmbeddingService;
import dev.memstore.internal.events.Events;
import dev.memstore.internal.events.HistoryFollower;
import dev.memstore.internal.lifecycle.Consolidator;
import dev.memstore.internal.lifecycle.ExtractiveSummarizer;
import dev.memstore.internal.lifecycle.Lifecycle;
import dev.memstore.internal.lifecycle.Maintenance;
import dev.memstore.internal.privacy.Forgetting;
import dev.memstore.internal.search.RetrievalStats;
import dev.memstore.internal.search.SearchIndexes;
import dev.memstore.internal.search.Searcher;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.HistoryQueries;
import dev.memstore.internal.storage.LinkQueries;
import dev.memstore.internal.storage.MemoryCache;
import dev.memstore.internal.storage.MemoryQueries;
import dev.memstore.internal.storage.SessionQueries;
import dev.memstore.internal.storage.Sql;
import dev.memstore.internal.storage.VectorStorage;
import dev.memstore.internal.write.AccessLog;
import dev.memstore.internal.write.MemoryWrites;
import dev.memstore.internal.write.Validator;
import java.io.Writer;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * The store: checks arguments and runs each operation on memories and search as one transaction of
 * {@link Database}; writes go through {@link MemoryWrites}. Sessions, links, groups, the lifecycle,
 * the file and the embeddings are views, each a small final class of this package built here with
 * the parts it needs. It serves the write path the embedding backlog and the lifecycle the searches
 * they need. Thread-safe.
 */
final class SqliteMemoryStore
    implements MemoryStore, ScopedReads, MemoryWrites.Backlog, Lifecycle.Search {
  private static final System.Logger LOG = System.getLogger(SqliteMemoryStore.class.getName());

  private final MemoryStoreConfig config;
  private final Database database;
  private final MemoryWrites writes;
  private final AccessLog accessLog;
  private final EmbeddingService embeddings;
  private final Searcher searcher;

  /** The database, for tests. */
  Database database() {
    return database;
  }

  /** The search engine, for tests of its indexes. */
  Searcher searcher() {
    return searcher;
  }

  private final int dimension;
  private final String embeddingModel;
  private final VectorStorage vectors;
  private final Events events = new Events();
  private final HistoryFollower historyFollower;
  private final MemoryCache cache;
  private final Lifecycle lifecycle;
  private final RetrievalStats retrievals = new RetrievalStats();
  private final EmbeddingBacklog backlog;
  private final Sessions sessionView;
  private final Links linkView;
  private final ContextGroups groupView;
  private final MemoryLifecycle lifecycleView;
  private final StoreFile fileView;
  private final Embeddings embeddingView;
  private final Privacy privacyView;
  private final Background background;
  private final AuditLog auditLog;
  private final Forgetting forgetting;
  private final ScheduledFuture<?> maintenanceTask;

  SqliteMemoryStore(
      MemoryStoreConfig config,
      Database database,
      Background background,
      AuditLog auditLog,
      Embedder embedder,
      int dimension,
      String fileModel) {
    this.config = config;
    this.database = database;
    this.background = background;
    this.auditLog = auditLog;
    this.embeddings = new EmbeddingService(embedder, dimension, config.clock());
    this.dimension = dimension;
    this.embeddingModel = embedder != null ? embedder.modelId() : fileModel;
    this.vectors =
        new VectorStorage(
            database.hasSqliteVec(),
            dimension,
            embedder != null ? embedder.modelId() : null,
            embeddings::modelMoved);
    this.backlog = new EmbeddingBacklog(database, background, embeddings, vectors, config.clock());
    this.writes =
        new MemoryWrites(
            database,
            background,
            config,
            dimension,
            vectors,
            events,
            config.summarizer() != null ? config.summarizer() : new ExtractiveSummarizer(),
            this);
    this.accessLog = writes.accessLog();
    this.historyFollower = new HistoryFollower(database, background, events);
    this.cache =
        config.cacheSize() > 0
            ? new MemoryCache(database, config.cacheSize(), config.cacheExpiry(), config.clock())
            : null;
    SearchIndexes searchIndexes = new SearchIndexes(database, background, dimension);
    this.searcher =
        new Searcher(
            database, searchIndexes, embeddings, config.ranking(), config.retention(), cache);
    database.beforeCheckpoint(
        connection -> {
          vectors.fill(connection);
          return MemoryQueries.purgeRemovedTerms(connection);
        });
    database.beforeCheckpointInSteps(connection -> vectors.fillSome(connection, 128));
    // A read-only store is what tools such as memctl open for one command: building the index
    // there would cost more than most commands themselves. Its first search builds it.
    if (!database.isReadOnly()) {
      searchIndexes.warmUp();
    }
    this.lifecycle = new Lifecycle(writes, this, database, config, events, this::lineTokens);
    this.sessionView = new SqliteSessions(database, writes, lifecycle);
    this.linkView = new SqliteLinks(database, writes);
    this.groupView = new SqliteContextGroups(database, writes);
    this.lifecycleView =
        new SqliteMemoryLifecycle(
            config,
            database,
            writes,
            new Maintenance(writes, database, config.retention(), events, auditLog),
            lifecycle,
            new Consolidator(writes, database, searcher::neighbours, events),
            embeddingModel);
    this.fileView =
        new SqliteStoreFile(
            database,
            writes,
            vectors,
            embeddings,
            backlog,
            embeddingModel,
            dimension,
            cache,
            retrievals,
            events,
            this::noticeModelChange);
    this.embeddingView = new SqliteEmbeddings(embeddings, backlog, database, this::now);
    this.forgetting = new Forgetting(database, writes, events, background, this::forgetMatches);
    this.privacyView = new SqlitePrivacy(database, auditLog, forgetting);
    boolean scheduled = !database.isReadOnly() && !config.maintenanceInterval().isZero();
    this.maintenanceTask =
        scheduled
            ? background.every("maintenance", this::maintainQuietly, config.maintenanceInterval())
            : null;
    if (cache != null && config.preloadImportant() > 0) {
      background.runLater("preload", this::preloadQuietly, Duration.ZERO);
    }
  }

  private void maintainQuietly() {
    try {
      lifecycleView.runMaintenance();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "a maintenance run failed; the next one tries again", e);
    }
  }

  private void preloadQuietly() {
    try {
      long now = now().toEpochMilli();
      database
          .read(
              connection -> MemoryQueries.mostImportant(connection, config.preloadImportant(), now))
          .forEach(row -> cache.put(row.seq(), row.memory()));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "preloading the cache failed; memories load on first read", e);
    }
  }

  @Override
  public MemoryStoreConfig config() {
    return config;
  }

  private Instant now() {
    return writes.now();
  }

  // Memories

  @Override
  public Memory create(NewMemory memory) {
    return createAll(List.of(memory)).get(0);
  }

  @Override
  public List<Memory> createAll(List<NewMemory> memories) {
    return createAllWithResults(memories).stream().map(CreateResult::memory).toList();
  }

  @Override
  public List<CreateResult> createAllWithResults(List<NewMemory> memories) {
    return writes.create(memories);
  }

  // The write path's view of the embedding model, answered by the backlog.

  @Override
  public List<float[]> embedOrDefer(List<String> texts) {
    return backlog.embedOrDefer(texts);
  }

  @Override
  public int embedPending() {
    return backlog.embedPending();
  }

  /**
   * Notes whether another process moved the file to another model, before this store embeds a query
   * with its own (one primary-key lookup); writes check inside their transactions.
   */
  private void noticeModelChange() {
    if (!embeddings.hasModel() || embeddings.movedTo() != null) {
      return;
    }
    String fileModel =
        database.read(
            connection ->
                Sql.queryFirst(
                    connection,
                    "select value from store_meta where key = 'embedding_model'",
                    row -> row.getString(1)));
    if (fileModel != null && !fileModel.equals(embeddings.modelId())) {
      embeddings.modelMoved(fileModel);
    }
  }

  @Override
  public SearchResult search(SearchQuery query) {
    Instant now = now();
    return countedAsRead(searchWithoutReads(query, now), now);
  }

  /**
   * Runs a search, recorded in the retrieval stats, without counting its hits as reads: for callers
   * that return only some of them ({@link #searchMany}, {@link #contextPack}) and count those with
   * {@link #countAsRead}.
   */
  @Override
  public SearchResult searchWithoutReads(SearchQuery query, Instant now) {
    Objects.requireNonNull(query, "query");
    noticeModelChange();
    long started = System.nanoTime();
    SearchResult direct = searcher.search(query, now);
    SearchResult result =
        query.expansionDepth() == 0
            ? direct
            : RetrievalCombinations.expand(this, direct, query.expansionDepth());
    retrievals.record(result, System.nanoTime() - started);
    return result;
  }

  /**
   * The text search of a forget: a hybrid search whose hits are not counted as reads (they are
   * about to go); returns the ids of those scoring at least {@code minScore} (null: a share of the
   * best hit's score), best first.
   */
  private List<String> forgetMatches(String text, MemoryFilter filter, int limit, Double minScore) {
    SearchQuery query = SearchQuery.builder(text).filter(filter).limit(limit).build();
    List<SearchHit> hits = searchWithoutReads(query, now()).hits();
    double floor =
        minScore != null
            ? minScore
            : hits.stream().mapToDouble(SearchHit::score).max().orElse(0)
                * ForgetRequest.DEFAULT_SHARE_OF_BEST;
    return hits.stream().filter(hit -> hit.score() >= floor).map(hit -> hit.memory().id()).toList();
  }

  /**
   * Counts hits that a caller returns as reads: each one's access count and time, and a {@code
   * retrieved} event. Returns them with their new counts.
   */
  @Override
  public List<SearchHit> countAsRead(List<SearchHit> hits, Instant now) {
    List<SearchHit> counted = new ArrayList<>(hits.size());
    for (SearchHit hit : hits) {
      counted.add(
          new SearchHit(
              accessLog.record(hit.memory(), now),
              hit.score(),
              hit.similarity(),
              hit.relevance(),
              hit.parts(),
              hit.expandedFrom()));
      if (events.hasListeners()) {
        events.publish(
            MemoryEvent.Type.RETRIEVED, hit.memory().id(), now, Map.of("score", hit.score()));
      }
    }
    return counted;
  }

  @Override
  public SearchResult searchMany(
      List<String> queries, List<Double> weights, Aggregation aggregation, SearchQuery template) {
    Objects.requireNonNull(queries, "queries");
    Objects.requireNonNull(aggregation, "aggregation");
    Objects.requireNonNull(template, "template");
    Instant now = now();
    return countedAsRead(
        RetrievalCombinations.searchMany(
            query -> searchWithoutReads(query, now), queries, weights, aggregation, template),
        now);
  }

  private SearchResult countedAsRead(SearchResult result, Instant now) {
    return new SearchResult(
        countAsRead(result.hits(), now),
        result.totalCount(),
        result.totalCountExact(),
        result.mode(),
        result.degraded(),
        result.degradation(),
        result.embeddingModel(),
        result.dimension());
  }

  @Override
  public Memory get(String memoryId) {
    Validator.memoryId("memory_id", memoryId);
    Instant now = now();
    Function<String, MemoryQueries.Row> load =
        id -> database.read(connection -> MemoryQueries.find(connection, id, now.toEpochMilli()));
    Memory memory;
    if (cache != null) {
      memory = cache.get(memoryId, load);
    } else {
      MemoryQueries.Row row = load.apply(memoryId);
      memory = row == null ? null : row.memory();
    }
    if (memory == null || memory.isExpiredAt(now)) {
      throw new MemoryNotFoundException(memoryId);
    }
    events.publish(MemoryEvent.Type.RETRIEVED, memoryId, now, Map.of());
    return accessLog.record(memory, now);
  }

  @Override
  public BatchGetResult getAll(List<String> memoryIds) {
    Objects.requireNonNull(memoryIds, "memoryIds");
    for (String id : memoryIds) {
      Validator.memoryId("memory_ids", id);
    }
    Instant now = now();
    List<MemoryQueries.Row> rows =
        database.read(
            connection -> MemoryQueries.findAll(connection, memoryIds, now.toEpochMilli()));
    Map<String, Memory> byId = new HashMap<>();
    rows.forEach(row -> byId.put(row.memory().id(), row.memory()));
    List<Memory> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String id : new LinkedHashSet<>(memoryIds)) {
      Memory memory = byId.get(id);
      if (memory == null) {
        missing.add(id);
      } else {
        found.add(accessLog.record(memory, now));
      }
    }
    return new BatchGetResult(found, missing);
  }

  @Override
  public Memory update(String memoryId, MemoryUpdate update) {
    return writes.update(memoryId, update);
  }

  @Override
  public List<String> delete(String memoryId, boolean cascade) {
    return deleteAll(List.of(memoryId), cascade);
  }

  @Override
  public List<String> deleteAll(Collection<String> memoryIds, boolean cascade) {
    return writes.deleteAll(memoryIds, cascade);
  }

  @Override
  public List<String> deleteMatching(MemoryFilter filter) {
    return writes.deleteMatching(filter);
  }

  @Override
  public Page<Memory> list(MemoryFilter filter, MemorySort sort, int offset, int limit) {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(sort, "sort");
    Validator.page(offset, limit);
    long now = now().toEpochMilli();
    return database.read(
        connection -> {
          List<Memory> items = MemoryQueries.list(connection, filter, sort, offset, limit, now);
          long total = MemoryQueries.count(connection, filter, now);
          return new Page<>(
              items.stream().map(accessLog::withPending).toList(), total, offset, limit);
        });
  }

  @Override
  public Page<Memory> children(String parentId, MemorySort sort, int offset, int limit) {
    Validator.memoryId("parent_id", parentId);
    Validator.page(offset, limit);
    long now = now().toEpochMilli();
    return database.read(
        connection -> {
          if (MemoryQueries.find(connection, parentId, now) == null) {
            throw new MemoryNotFoundException(parentId);
          }
          MemoryFilter filter = MemoryFilter.builder().parentId(parentId).build();
          List<Memory> items = MemoryQueries.list(connection, filter, sort, offset, limit, now);
          long total = MemoryQueries.count(connection, filter, now);
          return new Page<>(
              items.stream().map(accessLog::withPending).toList(), total, offset, limit);
        });
  }

  @Override
  public Memory reinforce(String memoryId, double factor) {
    return writes.reinforce(memoryId, factor);
  }

  @Override
  public List<HistoryEntry> history(String memoryId) {
    Validator.memoryId("memory_id", memoryId);
    List<HistoryEntry> entries =
        database.read(connection -> HistoryQueries.list(connection, memoryId));
    if (entries.isEmpty()) {
      throw new MemoryNotFoundException(memoryId);
    }
    return entries;
  }

  /**
   * The tokens of a memory's line in a context pack: by the embedding model's own tokenizer where
   * the store knows it, else estimated from the characters (see {@link ContextPack}).
   */
  private int lineTokens(String content) {
    int tokens = embeddings.countTokens(content);
    return tokens < 0 ? ContextPack.estimateTokens(content) : tokens + ContextPack.LINE_TOKENS;
  }

  @Override
  public ContextPack contextPack(String sessionIdOrNull, String queryOrNull, int tokenBudget) {
    if (sessionIdOrNull != null) {
      Validator.sessionId("session_id", sessionIdOrNull);
    }
    return lifecycle.contextPack(sessionIdOrNull, queryOrNull, tokenBudget);
  }

  @Override
  public void addListener(MemoryListener listener) {
    events.add(Objects.requireNonNull(listener, "listener"));
    historyFollower.start();
  }

  @Override
  public boolean removeListener(MemoryListener listener) {
    return events.remove(listener);
  }

  // Views

  @Override
  public Sessions sessions() {
    return sessionView;
  }

  @Override
  public Links links() {
    return linkView;
  }

  @Override
  public ContextGroups groups() {
    return groupView;
  }

  @Override
  public MemoryLifecycle lifecycle() {
    return lifecycleView;
  }

  @Override
  public StoreFile file() {
    return fileView;
  }

  @Override
  public Embeddings embeddings() {
    return embeddingView;
  }

  @Override
  public Privacy privacy() {
    return privacyView;
  }

  // What the agent guard needs (ScopedReads)

  /** The store_meta key of the saved access policy. */
  static final String POLICY_KEY = "access_policy";

  @Override
  public AuditTrail auditTrail() {
    return auditLog;
  }

  @Override
  public ForgetReceipt forget(ForgetRequest request, String agent) {
    return forgetting.forget(request, agent);
  }

  @Override
  public String savedAccessPolicy() {
    return database.read(
        connection ->
            Sql.queryFirst(
                connection,
                "select value from store_meta where key = ?",
                row -> row.getString(1),
                POLICY_KEY));
  }

  @Override
  public void saveAccessPolicy(String policyJson) {
    Objects.requireNonNull(policyJson, "policyJson");
    database.write(
        connection ->
            Sql.update(
                connection,
                "insert into store_meta (key, value) values (?, ?)"
                    + " on conflict (key) do update set value = excluded.value",
                POLICY_KEY,
                policyJson));
  }

  @Override
  public List<Memory> peek(Collection<String> memoryIds) {
    List<String> ids = List.copyOf(memoryIds);
    return database
        .read(connection -> MemoryQueries.findAll(connection, ids, Long.MIN_VALUE))
        .stream()
        .map(MemoryQueries.Row::memory)
        .toList();
  }

  @Override
  public List<String> withDescendants(String memoryId) {
    return database.read(connection -> MemoryQueries.withDescendants(connection, memoryId));
  }

  @Override
  public List<String> matchingIds(MemoryFilter filter) {
    long now = now().toEpochMilli();
    return database.read(connection -> MemoryQueries.matchingIds(connection, filter, now));
  }

  @Override
  public StoreStats stats(MemoryFilter within, Set<String> sessionUsers) {
    return ((SqliteStoreFile) fileView).stats(within, sessionUsers);
  }

  @Override
  public List<ContextGroup> groups(MemoryFilter within) {
    long now = now().toEpochMilli();
    return database.read(connection -> LinkQueries.groupsWithin(connection, within, now));
  }

  @Override
  public Page<Session> sessionsOfUsers(
      boolean includeEnded, Set<String> users, int offset, int limit) {
    Validator.page(offset, limit);
    return database.read(
        connection -> SessionQueries.pageOfUsers(connection, includeEnded, users, offset, limit));
  }

  @Override
  public ContextPack contextPack(
      String sessionIdOrNull, String queryOrNull, int tokenBudget, MemoryFilter within) {
    if (sessionIdOrNull != null) {
      Validator.sessionId("session_id", sessionIdOrNull);
    }
    return lifecycle.contextPack(sessionIdOrNull, queryOrNull, tokenBudget, within);
  }

  @Override
  public TransferReport exportWithin(Writer out, LongConsumer progress, MemoryFilter within) {
    return ((SqliteStoreFile) fileView).exportTo(out, progress, within);
  }

  @Override
  public Relationship relationship(long relationshipId) {
    return database.read(connection -> LinkQueries.relationship(connection, relationshipId));
  }

  @Override
  public void close() {
    if (maintenanceTask != null) {
      maintenanceTask.cancel(false);
    }
    // Nothing starts once closing begins; a running maintenance run or snapshot ends first.
    background.stopScheduling();
    events.drain();
    try {
      accessLog.flush();
    } catch (MemoryStoreException e) {
      LOG.log(Level.WARNING, "access counts could not be written before closing", e);
    } catch (IllegalStateException alreadyClosed) {
      return;
    }
    try {
      auditLog.flush();
    } catch (MemoryStoreException e) {
      LOG.log(Level.WARNING, "audit entries could not be written before closing", e);
    } catch (IllegalStateException alreadyClosed) {
      return;
    }
    try {
      database.close();
    } finally {
      // After the database: an index build in progress stops at its next chunk.
      background.close();
      events.close();
    }
  }
}
