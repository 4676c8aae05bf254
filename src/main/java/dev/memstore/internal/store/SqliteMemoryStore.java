package dev.memstore.internal.store;

import static dev.memstore.internal.storage.StatsQueries.DEGRADED_KEY;

import dev.memstore.Aggregation;
import dev.memstore.BatchGetResult;
import dev.memstore.CircuitBreakerStatus;
import dev.memstore.ConsolidationReport;
import dev.memstore.ContextGroup;
import dev.memstore.ContextPack;
import dev.memstore.CreateResult;
import dev.memstore.Embedder;
import dev.memstore.HistoryEntry;
import dev.memstore.LearnedInteraction;
import dev.memstore.MaintenanceReport;
import dev.memstore.Memory;
import dev.memstore.MemoryEvent;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryListener;
import dev.memstore.MemoryNotFoundException;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryStoreConfig;
import dev.memstore.MemoryStoreException;
import dev.memstore.MemoryUpdate;
import dev.memstore.NewMemory;
import dev.memstore.OptimizeReport;
import dev.memstore.Page;
import dev.memstore.RelatedMemory;
import dev.memstore.Relationship;
import dev.memstore.SearchHit;
import dev.memstore.SearchQuery;
import dev.memstore.SearchResult;
import dev.memstore.Session;
import dev.memstore.SessionNotFoundException;
import dev.memstore.StoreHealth;
import dev.memstore.StoreStats;
import dev.memstore.Summary;
import dev.memstore.TransferReport;
import dev.memstore.ValidationException;
import dev.memstore.internal.background.Background;
import dev.memstore.internal.embed.EmbeddingService;
import dev.memstore.internal.events.Events;
import dev.memstore.internal.events.HistoryFollower;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.lifecycle.Consolidator;
import dev.memstore.internal.lifecycle.ExtractiveSummarizer;
import dev.memstore.internal.lifecycle.Lifecycle;
import dev.memstore.internal.lifecycle.Maintenance;
import dev.memstore.internal.search.RetrievalStats;
import dev.memstore.internal.search.SearchIndexes;
import dev.memstore.internal.search.Searcher;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.Health;
import dev.memstore.internal.storage.HistoryQueries;
import dev.memstore.internal.storage.LinkQueries;
import dev.memstore.internal.storage.MemoryCache;
import dev.memstore.internal.storage.MemoryQueries;
import dev.memstore.internal.storage.SessionQueries;
import dev.memstore.internal.storage.Sql;
import dev.memstore.internal.storage.StatsQueries;
import dev.memstore.internal.storage.VectorStorage;
import dev.memstore.internal.storage.Vectors;
import dev.memstore.internal.transfer.Transfer;
import dev.memstore.internal.write.AccessLog;
import dev.memstore.internal.write.Ids;
import dev.memstore.internal.write.MemoryWrites;
import dev.memstore.internal.write.Validator;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;

/**
 * The store: checks arguments and runs each operation as one transaction of {@link Database};
 * writes go through {@link MemoryWrites}, the lifecycle operations through {@code
 * internal.lifecycle}. It serves them the embedding backlog and the searches they need.
 * Thread-safe.
 */
final class SqliteMemoryStore implements MemoryStore, MemoryWrites.Backlog, Lifecycle.Search {
  private static final System.Logger LOG = System.getLogger(SqliteMemoryStore.class.getName());

  private final MemoryStoreConfig config;
  private final Database database;
  private final MemoryWrites writes;
  private final Validator validator;
  private final Ids ids;
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
  private final Maintenance maintenance;
  private final Lifecycle lifecycle;
  private final Consolidator consolidator;
  private final RetrievalStats retrievals = new RetrievalStats();
  private final Background background;
  private final ScheduledFuture<?> maintenanceTask;

  SqliteMemoryStore(
      MemoryStoreConfig config,
      Database database,
      Background background,
      Embedder embedder,
      int dimension,
      String fileModel) {
    this.config = config;
    this.database = database;
    this.background = background;
    this.embeddings = new EmbeddingService(embedder, dimension, config.clock());
    this.dimension = dimension;
    this.embeddingModel = embedder != null ? embedder.modelId() : fileModel;
    this.vectors =
        new VectorStorage(
            database.hasSqliteVec(),
            dimension,
            embedder != null ? embedder.modelId() : null,
            embeddings::modelMoved);
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
    this.validator = writes.validator();
    this.ids = writes.ids();
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
    this.maintenance = new Maintenance(writes, database, config.retention(), events);
    this.lifecycle = new Lifecycle(writes, this, database, config, events);
    this.consolidator = new Consolidator(writes, database, searcher::neighbours, events);
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
      runMaintenance();
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

  @Override
  public List<float[]> embedOrDefer(List<String> texts) {
    List<float[]> computed = embeddings.embedAll(texts);
    if (computed == null) {
      recordDegradation(embeddings.lastFailure());
      scheduleBacklog();
    }
    return computed;
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
  public CircuitBreakerStatus circuitBreaker() {
    return embeddings.status();
  }

  @Override
  public void resetCircuitBreaker() {
    embeddings.reset();
  }

  @Override
  public int embedPending() {
    if (!embeddings.hasModel() || embeddings.movedTo() != null || database.isReadOnly()) {
      return 0;
    }
    int embedded = 0;
    while (true) {
      List<Object[]> pending =
          database.read(
              connection ->
                  Sql.query(
                      connection,
                      "select m.seq, m.content, m.updated_at from memories m where not exists"
                          + " (select 1 from memory_embeddings e where e.memory_seq = m.seq) order by m.seq limit ?",
                      row -> new Object[] {row.getLong(1), row.getString(2), row.getLong(3)},
                      BACKLOG_BATCH));
      if (pending.isEmpty()) {
        return embedded;
      }
      List<float[]> computed =
          embeddings.embedAll(pending.stream().map(row -> (String) row[1]).toList());
      if (computed == null) {
        recordDegradation(embeddings.lastFailure());
        scheduleBacklog();
        return embedded;
      }
      if (embedded == 0) {
        clearDegradation();
      }
      embedded +=
          database.write(
              connection -> {
                int written = 0;
                for (int index = 0; index < pending.size(); index++) {
                  Object[] row = pending.get(index);
                  // Skip a memory whose text changed since it was read: its vector would describe
                  // the old text.
                  if (Sql.queryLong(
                          connection,
                          "select count(*) from memories where seq = ? and updated_at = ?",
                          row[0],
                          row[2])
                      == 1) {
                    if (vectors.write(connection, (Long) row[0], computed.get(index))) {
                      MemoryQueries.logChange(connection, (Long) row[0]);
                      written++;
                    }
                  }
                }
                return written;
              });
    }
  }

  /** The reason this process last recorded, so that a run of failed writes records it once. */
  private volatile String recordedDegradation;

  /**
   * Records in the file why the model failed, for {@code stats} in any process ({@code memctl
   * stats}); the next write whose memories the model embeds clears it.
   */
  private void recordDegradation(String reason) {
    if (reason == null || database.isReadOnly() || reason.equals(recordedDegradation)) {
      return;
    }
    database.write(
        connection ->
            Sql.update(
                connection,
                "insert or replace into store_meta (key, value) values (?, ?)",
                DEGRADED_KEY,
                reason));
    recordedDegradation = reason;
  }

  private void clearDegradation() {
    if (database.isReadOnly()) {
      return;
    }
    database.write(
        connection -> Sql.update(connection, "delete from store_meta where key = ?", DEGRADED_KEY));
    recordedDegradation = null;
  }

  private static final int BACKLOG_BATCH = 64;
  private final java.util.concurrent.atomic.AtomicBoolean backlogScheduled =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** Runs the backlog once the breaker lets calls through again. */
  private void scheduleBacklog() {
    if (embeddings.movedTo() != null || !backlogScheduled.compareAndSet(false, true)) {
      return;
    }
    Duration wait = Duration.between(config.clock().instant(), embeddings.nextAttempt());
    background.runLater(
        "embed-backlog",
        () -> {
          backlogScheduled.set(false);
          try {
            embedPending();
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "embedding the backlog failed; retrying later", e);
            scheduleBacklog();
          }
        },
        wait.isNegative() ? Duration.ofSeconds(1) : wait.plusSeconds(1));
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

  // Relationships

  @Override
  public Relationship addRelationship(
      String sourceId, String targetId, String type, double strength) {
    Validator.memoryId("source_id", sourceId);
    Validator.memoryId("target_id", targetId);
    Validator.relationshipType(type);
    Validator.strength(strength);
    if (sourceId.equals(targetId)) {
      throw new ValidationException("target_id", "a memory cannot be related to itself");
    }
    return database.write(
        connection -> {
          long now = now().toEpochMilli();
          List<String> missing = new ArrayList<>();
          for (String id : List.of(sourceId, targetId)) {
            if (MemoryQueries.find(connection, id, now) == null) {
              missing.add(id);
            }
          }
          if (!missing.isEmpty()) {
            throw new MemoryNotFoundException(missing);
          }
          return LinkQueries.putRelationship(connection, sourceId, targetId, type, strength, now);
        });
  }

  @Override
  public List<RelatedMemory> relatedMemories(String memoryId, String typeOrNull) {
    Validator.memoryId("memory_id", memoryId);
    if (typeOrNull != null) {
      Validator.relationshipType(typeOrNull);
    }
    long now = now().toEpochMilli();
    return database.read(
        connection -> {
          if (MemoryQueries.find(connection, memoryId, now) == null) {
            throw new MemoryNotFoundException(memoryId);
          }
          List<Relationship> links = LinkQueries.relationshipsOf(connection, memoryId, typeOrNull);
          Function<Relationship, String> other =
              link -> link.sourceId().equals(memoryId) ? link.targetId() : link.sourceId();
          Map<String, Memory> memories = new HashMap<>();
          MemoryQueries.findAll(connection, links.stream().map(other).toList(), now)
              .forEach(row -> memories.put(row.memory().id(), accessLog.withPending(row.memory())));
          List<RelatedMemory> related = new ArrayList<>();
          for (Relationship link : links) {
            Memory memory = memories.get(other.apply(link));
            if (memory != null) {
              related.add(new RelatedMemory(memory, link, link.sourceId().equals(memoryId)));
            }
          }
          return related;
        });
  }

  @Override
  public boolean removeRelationship(long relationshipId) {
    return database.write(connection -> LinkQueries.removeRelationship(connection, relationshipId));
  }

  // Context groups

  @Override
  public ContextGroup createContextGroup(String name, String descriptionOrNull) {
    String checkedName = validator.name("name", name);
    if (checkedName == null) {
      throw new ValidationException("name", "name must not be empty");
    }
    String description =
        descriptionOrNull == null ? null : validator.content("description", descriptionOrNull);
    return database.write(
        connection -> {
          if (LinkQueries.groupNamed(connection, checkedName)) {
            throw new ValidationException(
                "name", "a context group named '" + checkedName + "' already exists");
          }
          return LinkQueries.insertGroup(connection, checkedName, description, now());
        });
  }

  @Override
  public List<ContextGroup> contextGroups() {
    long now = now().toEpochMilli();
    return database.read(connection -> LinkQueries.groups(connection, now));
  }

  private static void requireGroup(Connection connection, long groupId) {
    if (!LinkQueries.groupExists(connection, groupId)) {
      throw new ValidationException("group_id", "context group " + groupId + " does not exist");
    }
  }

  @Override
  public boolean addToGroup(long groupId, String memoryId) {
    Validator.memoryId("memory_id", memoryId);
    return database.write(
        connection -> {
          Instant now = now();
          requireGroup(connection, groupId);
          MemoryWrites.requireLive(connection, memoryId, now);
          return LinkQueries.addMember(connection, groupId, memoryId, now.toEpochMilli());
        });
  }

  @Override
  public boolean removeFromGroup(long groupId, String memoryId) {
    Validator.memoryId("memory_id", memoryId);
    return database.write(
        connection -> {
          requireGroup(connection, groupId);
          // Expired memories may still be members and can be removed; an unknown id cannot.
          if (!MemoryQueries.exists(connection, memoryId)) {
            throw new MemoryNotFoundException(memoryId);
          }
          return LinkQueries.removeMember(connection, groupId, memoryId);
        });
  }

  @Override
  public Page<Memory> groupMembers(long groupId, int offset, int limit) {
    Validator.page(offset, limit);
    long now = now().toEpochMilli();
    return database.read(
        connection -> {
          requireGroup(connection, groupId);
          MemoryFilter filter = MemoryFilter.builder().groupId(groupId).build();
          List<Memory> items =
              MemoryQueries.list(connection, filter, MemorySort.NEWEST_FIRST, offset, limit, now);
          long total = MemoryQueries.count(connection, filter, now);
          return new Page<>(
              items.stream().map(accessLog::withPending).toList(), total, offset, limit);
        });
  }

  // Sessions

  @Override
  public Session createSession(
      String userIdOrNull, String sessionTypeOrNull, Map<String, ?> metadata) {
    String userId = validator.name("user_id", userIdOrNull);
    String sessionType = validator.name("session_type", sessionTypeOrNull);
    Map<String, Object> frozen =
        metadata == null ? Map.of() : Json.readObject(Json.write(metadata));
    String metadataJson = validator.metadata(frozen);
    return database.write(
        connection -> {
          Instant now = now();
          Session session =
              new Session(
                  ids.newSessionId(now.toEpochMilli()),
                  userId,
                  sessionType == null ? "conversation" : sessionType,
                  frozen,
                  now,
                  null,
                  null,
                  false);
          SessionQueries.insert(connection, session, metadataJson);
          return session;
        });
  }

  @Override
  public Session getSession(String sessionId) {
    Validator.sessionId("session_id", sessionId);
    Session session = database.read(connection -> SessionQueries.find(connection, sessionId));
    if (session == null) {
      throw new SessionNotFoundException(sessionId);
    }
    return session;
  }

  @Override
  public Page<Session> sessions(boolean includeEnded, int offset, int limit) {
    Validator.page(offset, limit);
    return database.read(
        connection -> SessionQueries.page(connection, includeEnded, offset, limit));
  }

  @Override
  public Session endSession(String sessionId, String summaryOrNull, boolean archive) {
    Validator.sessionId("session_id", sessionId);
    String summary = summaryOrNull == null ? null : validator.content("summary", summaryOrNull);
    return lifecycle.endSession(sessionId, summary, archive);
  }

  @Override
  public List<Memory> conversationContext(String sessionId, int last) {
    Validator.sessionId("session_id", sessionId);
    return lifecycle.conversationContext(sessionId, last);
  }

  @Override
  public ContextPack contextPack(String sessionIdOrNull, String queryOrNull, int tokenBudget) {
    if (sessionIdOrNull != null) {
      Validator.sessionId("session_id", sessionIdOrNull);
    }
    return lifecycle.contextPack(sessionIdOrNull, queryOrNull, tokenBudget);
  }

  // Lifecycle

  @Override
  public MaintenanceReport runMaintenance() {
    if (database.isReadOnly()) {
      throw new dev.memstore.ReadOnlyStoreException(
          database.path() + " is open read-only; maintenance writes, so it did not run", null);
    }
    accessLog.flush();
    return maintenance.run(now());
  }

  @Override
  public List<String> cleanup(
      MemoryFilter filter,
      Duration maxAgeOrNull,
      Double minImportanceOrNull,
      Long maxAccessCountOrNull,
      boolean dryRun) {
    Objects.requireNonNull(filter, "filter");
    if (!dryRun && database.isReadOnly()) {
      throw new dev.memstore.ReadOnlyStoreException(
          database.path() + " is open read-only; nothing was deleted", null);
    }
    if (!database.isReadOnly()) {
      accessLog.flush();
    }
    return lifecycle.cleanup(
        filter, maxAgeOrNull, minImportanceOrNull, maxAccessCountOrNull, dryRun);
  }

  @Override
  public Summary summarize(MemoryFilter filter) {
    Objects.requireNonNull(filter, "filter");
    return lifecycle.summarize(filter);
  }

  @Override
  public LearnedInteraction learnFromInteraction(
      String userInput, String assistantResponseOrNull, String sessionIdOrNull, Double feedback) {
    if (sessionIdOrNull != null) {
      Validator.sessionId("session_id", sessionIdOrNull);
    }
    return lifecycle.learn(userInput, assistantResponseOrNull, sessionIdOrNull, feedback);
  }

  @Override
  public ConsolidationReport consolidate(
      Duration windowOrNull, Double thresholdOrNull, boolean dryRun) {
    double threshold =
        thresholdOrNull != null
            ? thresholdOrNull
            : config.consolidationThreshold() != null
                ? config.consolidationThreshold()
                : Consolidator.defaultThreshold(embeddingModel);
    Duration window = windowOrNull != null ? windowOrNull : config.consolidationWindow();
    if (!dryRun && database.isReadOnly()) {
      throw new dev.memstore.ReadOnlyStoreException(
          database.path() + " is open read-only; nothing was consolidated", null);
    }
    return consolidator.consolidate(threshold, window, dryRun);
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

  // The file

  @Override
  public StoreStats stats() {
    long now = now().toEpochMilli();
    RetrievalStats.Snapshot search = retrievals.snapshot();
    return database.read(
        connection ->
            StatsQueries.read(connection, database.path(), vectors.hasSqliteVec(), now)
                .embedding(embeddingModel, dimension)
                .cache(
                    cache == null ? 0 : cache.size(),
                    cache == null ? 0 : cache.stats().hitCount(),
                    cache == null ? 0 : cache.stats().missCount())
                .searches(
                    search.count(), search.averageScore(), search.p50Millis(), search.p95Millis())
                .droppedEvents(events.dropped())
                .build());
  }

  @Override
  public StoreHealth health() {
    return health(false);
  }

  /** How many random memories' vectors a check embeds again: plain, and full. */
  static final int VECTOR_SAMPLE = 20;

  static final int FULL_VECTOR_SAMPLE = 500;

  /** The least cosine between a stored vector and its text embedded again by the file's model. */
  static final double SAME_VECTOR = 0.99;

  @Override
  public StoreHealth health(boolean full) {
    noticeModelChange();
    StoreHealth base = Health.check(database, vectors.hasSqliteVec(), embeddings.hasModel(), full);
    List<String> issues = new ArrayList<>(base.issues());
    boolean integrityOk = base.integrityOk();
    boolean vectorsOk = base.vectorsConsistent();
    if (integrityOk && !readableByExport()) {
      integrityOk = false;
      issues.add(
          "reading the memories as an export does failed: SQLite reports the file damaged."
              + " Restore it from a backup");
    }
    if (embeddings.movedTo() != null) {
      issues.add(embeddings.movedProblem());
    } else if (integrityOk) {
      long[] sampled = foreignVectors(full ? FULL_VECTOR_SAMPLE : VECTOR_SAMPLE, false);
      if (sampled[1] > 0) {
        vectorsOk = false;
        issues.add(
            sampled[1]
                + " of "
                + sampled[0]
                + " sampled memories have vectors that do not match the file's model "
                + embeddings.modelId()
                + " (embedded again, cosine below "
                + SAME_VECTOR
                + "); repair embeds them again");
      }
    }
    double score = integrityOk ? Math.max(0.2, 1 - 0.2 * issues.size()) : 0;
    return new StoreHealth(
        score,
        integrityOk,
        base.fullTextConsistent(),
        vectorsOk,
        base.memoriesWithoutEmbedding(),
        issues);
  }

  /**
   * Whether every row an export reads can be read: quick_check does not compare indexes with their
   * tables, so a file it passes can still fail an export with SQLITE_CORRUPT. Runs the export
   * itself into nothing, so the two cannot disagree.
   */
  private boolean readableByExport() {
    try {
      transfer().export(java.io.Writer.nullWriter(), count -> {});
      return true;
    } catch (RuntimeException e) {
      // Damaged rows fail as SQLite errors, or as values no column may hold (an unknown type).
      LOG.log(Level.WARNING, "the health check could not read " + database.path(), e);
      return false;
    }
  }

  /**
   * Embeds again the text of up to {@code limit} random memories with a vector (every one when
   * {@code replace}) and compares each with its stored vector; with {@code replace}, writes the new
   * vector where they differ. Returns how many were compared and how many differed; nothing when
   * this store has no model or it is unavailable.
   */
  private long[] foreignVectors(int limit, boolean replace) {
    long compared = 0;
    long differing = 0;
    if (!embeddings.hasModel()) {
      return new long[] {0, 0};
    }
    long after = 0;
    while (true) {
      long from = after;
      List<Object[]> rows =
          database.read(
              connection ->
                  Sql.query(
                      connection,
                      replace
                          ? "select m.seq, m.content, e.vector, m.updated_at from memories m join"
                              + " memory_embeddings e on e.memory_seq = m.seq where m.seq > ?"
                              + " order by m.seq limit ?"
                          : "select m.seq, m.content, e.vector, m.updated_at from memories m join"
                              + " memory_embeddings e on e.memory_seq = m.seq where m.seq > ?"
                              + " order by random() limit ?",
                      row ->
                          new Object[] {
                            row.getLong(1), row.getString(2), row.getBytes(3), row.getLong(4)
                          },
                      from,
                      replace ? BACKLOG_BATCH : limit));
      if (rows.isEmpty()) {
        break;
      }
      List<float[]> computed =
          embeddings.embedAll(rows.stream().map(row -> (String) row[1]).toList());
      if (computed == null) {
        break;
      }
      List<Integer> different = new ArrayList<>();
      for (int index = 0; index < rows.size(); index++) {
        float[] stored = Vectors.fromBytes((byte[]) rows.get(index)[2]);
        if (stored.length != computed.get(index).length
            || Vectors.cosine(stored, computed.get(index)) < SAME_VECTOR) {
          different.add(index);
        }
      }
      compared += rows.size();
      differing += different.size();
      if (!replace) {
        break;
      }
      if (!different.isEmpty()) {
        database.write(
            connection -> {
              for (int index : different) {
                Object[] row = rows.get(index);
                // A memory changed since it was read gets its vector from its own write.
                if (Sql.queryLong(
                            connection,
                            "select count(*) from memories where seq = ? and updated_at = ?",
                            row[0],
                            row[3])
                        == 1
                    && vectors.write(connection, (Long) row[0], computed.get(index))) {
                  MemoryQueries.logChange(connection, (Long) row[0]);
                }
              }
              return null;
            });
      }
      after = (Long) rows.get(rows.size() - 1)[0];
    }
    return new long[] {compared, differing};
  }

  @Override
  public TransferReport exportTo(java.io.Writer out, java.util.function.LongConsumer progress) {
    Objects.requireNonNull(out, "out");
    accessLog.flush();
    return transfer().export(out, progress == null ? count -> {} : progress);
  }

  @Override
  public TransferReport importFrom(
      java.io.Reader in, boolean skipBadLines, java.util.function.LongConsumer progress) {
    Objects.requireNonNull(in, "in");
    if (database.isReadOnly()) {
      throw new dev.memstore.ReadOnlyStoreException(
          database.path() + " is open read-only; nothing was imported", null);
    }
    TransferReport report =
        transfer().importFrom(in, skipBadLines, progress == null ? count -> {} : progress);
    if (report.awaitingEmbedding() == 0) {
      return report;
    }
    // Embedded now, not by the backlog: memctl import closes the store as soon as this returns,
    // and a memory without a vector is invisible to semantic search.
    if (embeddings.hasModel()) {
      embedPending();
    }
    long awaiting =
        database.read(
            connection ->
                Sql.queryLong(
                    connection,
                    "select count(*) from memories m where not exists"
                        + " (select 1 from memory_embeddings e where e.memory_seq = m.seq)"));
    return new TransferReport(
        report.sessions(),
        report.memories(),
        report.relationships(),
        report.contextGroups(),
        report.skippedLines(),
        Math.min(report.awaitingEmbedding(), awaiting));
  }

  private Transfer transfer() {
    return new Transfer(database, vectors, embeddingModel, dimension, validator);
  }

  @Override
  public StoreHealth repair() {
    if (database.isReadOnly()) {
      throw new dev.memstore.ReadOnlyStoreException(
          database.path() + " is open read-only; nothing was repaired", null);
    }
    StoreHealth before = health();
    if (!before.integrityOk()) {
      return before;
    }
    Health.rebuildIndexes(database, vectors);
    embedPending();
    if (embeddings.movedTo() == null && foreignVectors(VECTOR_SAMPLE, false)[1] > 0) {
      foreignVectors(Integer.MAX_VALUE, true);
    }
    return health();
  }

  @Override
  public OptimizeReport optimize(boolean forceVacuum) {
    if (database.isReadOnly()) {
      throw new dev.memstore.ReadOnlyStoreException(
          database.path() + " is open read-only; nothing was optimized", null);
    }
    accessLog.flush();
    return Health.optimize(database, forceVacuum);
  }

  @Override
  public void backup(Path target) {
    Objects.requireNonNull(target, "target");
    accessLog.flush();
    database.backup(target);
  }

  @Override
  public void checkpoint() {
    accessLog.flush();
    database.checkpoint();
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
      database.close();
    } finally {
      // After the database: an index build in progress stops at its next chunk.
      background.close();
      events.close();
    }
  }
}
