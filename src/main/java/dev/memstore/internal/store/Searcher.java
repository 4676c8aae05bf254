package dev.memstore.internal.store;

import dev.memstore.InternalErrorException;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.Ranking;
import dev.memstore.RetentionPolicy;
import dev.memstore.SearchHit;
import dev.memstore.SearchMode;
import dev.memstore.SearchQuery;
import dev.memstore.SearchResult;
import dev.memstore.StorageException;
import dev.memstore.ValidationException;
import dev.memstore.internal.embed.EmbeddingService;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.search.KeywordIndex;
import dev.memstore.internal.search.KeywordQuery;
import dev.memstore.internal.search.VectorIndex;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.MemoryCache;
import dev.memstore.internal.storage.MemoryQueries;
import dev.memstore.internal.storage.Sql;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Answers searches: semantic hits from the in-memory {@link VectorIndex}, keyword hits by BM25 (the
 * in-memory {@link KeywordIndex}, or FTS5 until it is loaded), fused and ranked with importance and
 * recency.
 *
 * <p>The vector index is built from the embeddings table in the background, a second after a
 * writable store opens or after a search (so commands that never search never pay for it); until
 * then {@link VectorScan} answers from the file. Before every search it is brought up to date from
 * the change log, which every process appends to in the same transaction as its change: writes by
 * this process and by others (memctl, a second assistant) are both seen.
 */
final class Searcher {
  private static final System.Logger LOG = System.getLogger(Searcher.class.getName());

  /**
   * How many candidates the keyword side contributes before fusion, at the least. Deeper pools let
   * a memory that BM25 ranks modestly still be lifted by its similarity; 300 beat 100 on the tuning
   * data (BENCHMARKS.md) and costs little, since the keyword side scores every match anyway.
   */
  private static final int MIN_POOL = 300;

  /**
   * How many candidates the semantic side contributes to a hybrid search, at the least. Fusion
   * gives every candidate its exact similarity anyway, so this pool only has to hold the memories
   * that similarity alone could lift into the results: 100 ranked exactly as 300 did on every
   * benchmark split, and the index's cost grows with the pool (a third of the work).
   */
  private static final int MIN_HYBRID_SEMANTIC_POOL = 100;

  /**
   * Candidates of a semantic-only search, at the least: with nothing to fuse, only ranking by
   * importance and recency can reorder them, and they weigh 0.15 against relevance's 0.85. Asking
   * the index for 300 took twice as long (p50 4.5 against 2.4 ms, 100k random vectors).
   */
  private static final int MIN_SEMANTIC_POOL = 30;

  /**
   * How far toward full relevance a hybrid candidate moves when the query names one of its tags (a
   * word of the query is a word of the tag). Tags are labels the writer chose, so a query that
   * names one is most likely about the memories it labels: in REALTALK's tuning chats, where the
   * speaker is a tag, 96% of the evidence for a question that names one speaker is that speaker's
   * turns, yet BM25 gives such a tag almost no weight because half the memories carry it. Moving a
   * fraction of the remaining gap keeps relevance within 0..1 and keeps the order among memories
   * that name no tag, or the same one. On the tuning data 0.5, 0.6, 0.7 and 0.8 gave REALTALK
   * recall@10 0.646, 0.648, 0.653 and 0.655 (bge; MiniLM alike); 0.7 takes most of that gain and
   * still lets a much better untagged match rank first.
   */
  private static final double NAMED_TAG_BOOST = 0.7;

  private final Database database;

  /** The store's read cache, which also serves the hits' rows; null when caching is off. */
  private final MemoryCache cache;

  private final EmbeddingService embeddings;
  private final Ranking ranking;
  private final RetentionPolicy retention;
  private final VectorIndex index;
  private final KeywordSearch keywordSearch;
  private final Object refreshLock = new Object();
  private volatile boolean built;
  private long lastChange;

  /**
   * The keyword index, loaded in the background after a search once the vector index is built, and
   * null until then: keyword searches go to FTS5 meanwhile. Kept up to date by {@link #refresh}
   * with the vector index.
   */
  private volatile KeywordIndex keywords;

  /** Whether the keyword index is loaded at all; tests compare searches with and without it. */
  private volatile boolean keywordIndexEnabled = true;

  /** Whether a search or opening starts the vector index build; tests turn it off. */
  private volatile boolean vectorIndexBuiltInBackground = true;

  private final java.util.concurrent.atomic.AtomicBoolean keywordLoading =
      new java.util.concurrent.atomic.AtomicBoolean();

  Searcher(
      Database database,
      EmbeddingService embeddings,
      Ranking ranking,
      RetentionPolicy retention,
      int dimension,
      MemoryCache cache) {
    this.database = database;
    this.cache = cache;
    this.retention = retention;
    this.embeddings = embeddings;
    this.ranking = ranking;
    this.index = new VectorIndex(dimension);
    this.keywordSearch = new KeywordSearch(database, index, retention);
  }

  SearchResult search(SearchQuery query, Instant now) {
    if (query.text().length() > SearchQuery.MAX_TEXT_LENGTH) {
      throw new ValidationException(
          "query",
          "query is "
              + query.text().length()
              + " characters long, more than the limit of "
              + SearchQuery.MAX_TEXT_LENGTH
              + "; search with a shorter text");
    }
    if (query.text().isBlank()) {
      throw new ValidationException("query", "query must not be empty");
    }
    if (query.limit() < 1 || query.limit() > SearchQuery.MAX_LIMIT) {
      throw new ValidationException(
          "limit",
          "limit must be between 1 and " + SearchQuery.MAX_LIMIT + ", was " + query.limit());
    }
    Validator.offset(query.offset());
    if (query.minSimilarity() != null
        && !(query.minSimilarity() >= -1 && query.minSimilarity() <= 1)) {
      throw new ValidationException(
          "min_similarity",
          "min_similarity must be between -1 and 1, was " + query.minSimilarity());
    }
    // Until this process has built its vector index, sqlite-vec scans the file instead, so that no
    // search waits for the build (without sqlite-vec, the search waits); the build pauses
    // meanwhile.
    boolean scan = !built && database.hasSqliteVec();
    if (!scan) {
      return search(query, now, false);
    }
    scansChanged(1);
    try {
      return search(query, now, true);
    } finally {
      scansChanged(-1);
    }
  }

  private SearchResult search(SearchQuery query, Instant now, boolean scan) {
    long nowMillis = now.toEpochMilli();
    MemoryFilter filter = resolveGroup(query.filter());
    int wanted = 3 * (query.offset() + query.limit());
    int pool = Math.max(MIN_POOL, wanted);
    int semanticPool =
        Math.max(
            query.mode() == SearchMode.SEMANTIC ? MIN_SEMANTIC_POOL : MIN_HYBRID_SEMANTIC_POOL,
            wanted);

    SearchMode mode = query.mode();
    String degradation = null;
    // The floor applies in every mode to the hits' cosine similarity; semantic mode has a default.
    boolean floorAsked = query.minSimilarity() != null;
    double floor =
        floorAsked
            ? query.minSimilarity()
            : mode == SearchMode.SEMANTIC
                ? embeddings.defaultMinSimilarity()
                : Double.NEGATIVE_INFINITY;
    Map<Long, Candidate> candidates = new LinkedHashMap<>();
    // A hybrid search runs its keyword side on another thread while this one embeds the query
    // and searches the vectors: neither needs the other's result until fusion.
    Future<KeywordSearch.Side> keywordSide =
        mode == SearchMode.HYBRID
            ? KEYWORD_SEARCHES.submit(
                () -> keywordHits(query.text(), filter, nowMillis, pool, true))
            : null;
    float[] queryVector = null;
    // Whether the semantic side's pool was full of memories above the floor, so that more may
    // match.
    boolean semanticCapped = false;
    if (mode != SearchMode.KEYWORD || floorAsked) {
      if (!built && !scan) {
        // Without sqlite-vec the search waits for the build, which runs while the model embeds
        // the query (and, in a new process, loads).
        buildInBackground();
      }
      EmbeddingService.Outcome outcome = embeddings.embedQuery(query.text());
      if (outcome.vector() == null) {
        degradation = outcome.problem();
        mode = SearchMode.KEYWORD;
      } else if (mode != SearchMode.KEYWORD) {
        queryVector = outcome.vector();
        List<VectorIndex.Scored> nearest =
            scan
                ? VectorScan.nearest(
                    database, KEYWORD_SEARCHES, queryVector, filter, nowMillis, semanticPool)
                : neighbours(queryVector, filter, nowMillis, semanticPool);
        semanticCapped =
            nearest.size() >= semanticPool && nearest.get(nearest.size() - 1).similarity() >= floor;
        for (VectorIndex.Scored hit : nearest) {
          // Hybrid candidates below the floor still take part in scaling, and leave after it.
          if (mode == SearchMode.HYBRID || hit.similarity() >= floor) {
            Candidate candidate = Candidate.of(hit, retention, nowMillis);
            candidate.semantic = hit.similarity();
            candidates.put(hit.seq(), candidate);
          }
        }
      } else {
        queryVector = outcome.vector();
      }
    }
    KeywordSearch.Side keywordResult = null;
    boolean keywordCapped = false;
    if (mode != SearchMode.SEMANTIC) {
      keywordResult =
          keywordSide != null
              ? await(keywordSide)
              : keywordHits(query.text(), filter, nowMillis, pool, false);
      keywordCapped =
          keywordResult.hits().size() >= pool
              && keywordResult.matches().count() > keywordResult.hits().size();
      for (Candidate hit : keywordResult.hits()) {
        Candidate known = candidates.get(hit.seq);
        if (known == null) {
          candidates.put(hit.seq, hit);
        } else {
          known.keyword = hit.keyword;
        }
      }
    }
    if (mode == SearchMode.KEYWORD && floorAsked && queryVector != null) {
      giveSimilarities(candidates.values(), queryVector, scan);
    }
    if (mode == SearchMode.HYBRID && !candidates.isEmpty()) {
      completeScores(candidates.values(), queryVector, scan, keywordResult);
      markNamedTags(query.text(), candidates);
    }
    score(candidates.values(), mode, nowMillis);
    List<Candidate> ranked = new ArrayList<>(candidates.values());
    if (floorAsked || mode == SearchMode.SEMANTIC) {
      // After scoring, so that the floor only leaves hits out and never reorders the others. A
      // memory without a similarity (not embedded yet, or the model failed) cannot be shown to
      // pass the floor, so it does not.
      ranked.removeIf(candidate -> candidate.semantic == null || candidate.semantic < floor);
      if (floorAsked && queryVector == null && degradation != null) {
        degradation += "; min_similarity could not be checked, so no memory passed it";
      }
    }
    // The count is exact unless a side's pool was full: more memories may match beyond it. With a
    // floor, every memory above it is in the semantic pool unless that pool is full.
    boolean exact =
        switch (mode) {
          case SEMANTIC -> !semanticCapped;
          case KEYWORD -> !keywordCapped || (floorAsked && queryVector == null);
          case HYBRID -> floorAsked ? !semanticCapped : !semanticCapped && !keywordCapped;
        };
    ranked.sort(
        Comparator.comparingDouble((Candidate candidate) -> -candidate.score)
            .thenComparingLong(c -> -c.seq));
    List<Candidate> page =
        ranked.subList(
            Math.min(query.offset(), ranked.size()),
            Math.min(query.offset() + query.limit(), ranked.size()));
    List<String> pageIds = page.stream().map(c -> c.id).toList();
    Function<List<String>, List<MemoryQueries.Row>> load =
        ids -> database.read(connection -> MemoryQueries.findAll(connection, ids, nowMillis));
    Map<String, Memory> memories = new HashMap<>();
    if (cache != null) {
      memories.putAll(cache.getAll(pageIds, load));
    } else if (!pageIds.isEmpty()) {
      load.apply(pageIds).forEach(row -> memories.put(row.memory().id(), row.memory()));
    }
    List<SearchHit> hits = new ArrayList<>(page.size());
    for (Candidate candidate : page) {
      Memory memory = memories.get(candidate.id);
      if (memory == null || memory.isExpiredAt(now)) {
        continue; // deleted or expired between the scoring and this read
      }
      SearchHit.ScoreParts parts =
          query.explain()
              ? new SearchHit.ScoreParts(
                  candidate.semantic,
                  candidate.keyword,
                  candidate.relevance,
                  candidate.importance,
                  candidate.recency,
                  candidate.score)
              : null;
      hits.add(
          new SearchHit(
              memory, candidate.score, candidate.semantic, candidate.relevance, parts, null));
    }
    if (scan) {
      // Not sooner: on two cores, building while the model loads slowed both. Not at once either:
      // a process that searches once (memctl search) closes before then without waiting for it.
      database.runLater(this::buildInBackground, BUILD_DELAY);
    }
    searched = true;
    loadKeywordsLater(KEYWORD_LOAD_DELAY);
    return new SearchResult(
        hits,
        ranked.size(),
        exact,
        mode,
        degradation != null,
        degradation,
        embeddings.modelId(),
        index.dimension());
  }

  private static final ExecutorService KEYWORD_SEARCHES =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "memstore-keyword-search");
            thread.setDaemon(true);
            return thread;
          });

  static <T> T await(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while waiting for the keyword search", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new InternalErrorException("the keyword search failed", e.getCause());
    }
  }

  /**
   * Gives every hybrid candidate both relevance scores, so that fusion compares like with like: a
   * candidate that only one side's pool held gets its exact cosine similarity from the vector index
   * or its BM25 score (0 when it holds none of the words), instead of counting as the worst of that
   * side's pool.
   */
  private void completeScores(
      Collection<Candidate> candidates,
      float[] queryVector,
      boolean scan,
      KeywordSearch.Side keywordSide) {
    giveSimilarities(candidates, queryVector, scan);
    keywordSearch.completeScores(candidates, keywordSide);
  }

  /** Gives every candidate without a similarity its exact one, if the memory has a vector. */
  private void giveSimilarities(
      Collection<Candidate> candidates, float[] queryVector, boolean scan) {
    List<Candidate> noSimilarity = candidates.stream().filter(c -> c.semantic == null).toList();
    if (noSimilarity.isEmpty()) {
      return;
    }
    long[] seqs = noSimilarity.stream().mapToLong(c -> c.seq).toArray();
    if (!scan) {
      refresh();
    }
    double[] similarities =
        scan
            ? database.read(connection -> VectorScan.similarities(connection, queryVector, seqs))
            : index.similarities(queryVector, seqs);
    for (int position = 0; position < similarities.length; position++) {
      if (!Double.isNaN(similarities[position])) {
        noSimilarity.get(position).semantic = similarities[position];
      }
    }
  }

  /** The keyword side, through the keyword index once both indexes are current. */
  private KeywordSearch.Side keywordHits(
      String text, MemoryFilter filter, long now, int pool, boolean everyScore) {
    KeywordIndex keywordIndex = null;
    if (built) {
      refresh();
      keywordIndex = keywords;
    }
    return keywordSearch.hits(keywordIndex, text, filter, now, pool, everyScore);
  }

  /** Turns relevance parts into the final score, as {@link Ranking} documents. */
  private void score(Iterable<Candidate> candidates, SearchMode mode, long now) {
    double semanticMin = Double.POSITIVE_INFINITY;
    double semanticMax = Double.NEGATIVE_INFINITY;
    double keywordMin = Double.POSITIVE_INFINITY;
    double keywordMax = Double.NEGATIVE_INFINITY;
    for (Candidate candidate : candidates) {
      if (candidate.semantic != null) {
        semanticMin = Math.min(semanticMin, candidate.semantic);
        semanticMax = Math.max(semanticMax, candidate.semantic);
      }
      if (candidate.keyword != null) {
        keywordMin = Math.min(keywordMin, candidate.keyword);
        keywordMax = Math.max(keywordMax, candidate.keyword);
      }
    }
    double halfLife = ranking.recencyHalfLife().toMillis();
    double relevanceWeight = 1 - ranking.importanceWeight() - ranking.recencyWeight();
    for (Candidate candidate : candidates) {
      switch (mode) {
        case SEMANTIC -> candidate.relevance = Math.max(0, candidate.semantic);
        case KEYWORD -> candidate.relevance = keywordMax <= 0 ? 0 : candidate.keyword / keywordMax;
        case HYBRID -> {
          double semantic = scaled(candidate.semantic, semanticMin, semanticMax);
          double keyword = scaled(candidate.keyword, keywordMin, keywordMax);
          double fused =
              ranking.semanticWeight() * semantic + (1 - ranking.semanticWeight()) * keyword;
          candidate.relevance = candidate.namesTag ? fused + NAMED_TAG_BOOST * (1 - fused) : fused;
        }
      }
      candidate.recency = Math.pow(0.5, Math.max(0, now - candidate.lastUsed) / halfLife);
      candidate.score =
          relevanceWeight * candidate.relevance
              + ranking.importanceWeight() * candidate.importance
              + ranking.recencyWeight() * candidate.recency;
    }
  }

  /**
   * Min-max scaling to 0..1 over the candidates; a side that did not find the candidate counts 0.
   */
  private static double scaled(Double value, double min, double max) {
    if (value == null) {
      return 0;
    }
    return max > min ? (value - min) / (max - min) : 1;
  }

  /**
   * Marks the candidates with a tag that the query names: a word of the tag (lower-cased, as {@link
   * KeywordQuery#words} splits text) is a word of the query. One read of the candidates' tags by
   * primary key; matching whole words in Java costs far less than a second full-text query.
   */
  private void markNamedTags(String text, Map<Long, Candidate> candidates) {
    Set<String> queryWords = KeywordQuery.words(text);
    if (queryWords.isEmpty()) {
      return;
    }
    List<Long> named =
        database.read(
            connection ->
                Sql.query(
                    connection,
                    "select memory_seq, tag from memory_tags"
                        + " where memory_seq in (select value from json_each(?))",
                    row ->
                        KeywordQuery.words(row.getString(2)).stream().anyMatch(queryWords::contains)
                            ? row.getLong(1)
                            : null,
                    Json.write(List.copyOf(candidates.keySet()))));
    for (Long seq : named) {
      if (seq != null) {
        candidates.get(seq).namesTag = true;
      }
    }
  }

  /** Replaces a group criterion by the ids of the group's members, which the index understands. */
  private MemoryFilter resolveGroup(MemoryFilter filter) {
    if (filter.groupId() == null) {
      return filter;
    }
    List<String> members =
        database.read(
            connection ->
                Sql.query(
                    connection,
                    "select memory_id from context_group_members where group_id = ?",
                    row -> row.getString(1),
                    filter.groupId()));
    Set<String> ids = new java.util.HashSet<>(members);
    if (!filter.ids().isEmpty()) {
      ids.retainAll(filter.ids());
    }
    if (ids.isEmpty()) {
      ids = Set.of("mem-none");
    }
    return new MemoryFilter(
        ids,
        filter.types(),
        filter.tiers(),
        filter.tagsAny(),
        filter.tagsAll(),
        filter.sessionId(),
        filter.userId(),
        filter.agentId(),
        filter.parentId(),
        null,
        filter.createdFrom(),
        filter.createdUntil(),
        filter.minImportance(),
        filter.includeExpired(),
        filter.includeArchived());
  }

  /**
   * Builds the index on a thread of its own unless a build is under way; once this process has
   * searched, then loads the keyword index too (a store that is never searched never pays for it).
   */
  private void buildInBackground() {
    if (!vectorIndexBuiltInBackground || !building.compareAndSet(false, true)) {
      return;
    }
    background(
        "memstore-index-build",
        () -> {
          try {
            refresh();
            // Whichever build a search finds running (the one that opening started, say) loads
            // the keyword index after it: the search's own build then finds nothing to do.
            if (searched) {
              loadKeywordsLater(KEYWORD_LOAD_DELAY);
            }
          } catch (RuntimeException e) {
            // The search's own refresh builds the index again and reports the failure; a store
            // closed during the build ends up here too.
            LOG.log(Level.DEBUG, "building the vector index in the background failed", e);
          } finally {
            building.set(false);
          }
        });
  }

  /**
   * Whether this process has searched: only then does a build load the keyword index. Set before
   * the search looks at {@link #built}, which a build sets before it reads this, so that one of the
   * two starts the load.
   */
  private volatile boolean searched;

  private final java.util.concurrent.atomic.AtomicBoolean building =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Starts building the index in the background {@link #BUILD_DELAY} after open when the file has
   * embeddings, so that a store opened ahead of its first search has the index ready for it. Not at
   * once: a search right after open (in a new process it loads the model) is answered by scanning
   * the file sooner without a build beside it on two cores (1.4 s against 1.8 s from open, at 100k
   * memories). A store closed before the build ends stops it between chunks. The model is not
   * loaded here: a process that exits while onnxruntime creates a session on another thread crashed
   * in onnxruntime's native code.
   */
  void warmUp() {
    // Decided at open: a file that gets its first embeddings now is being filled, and building
    // beside the writes would slow them and then catch up with every one of them.
    boolean hasEmbeddings =
        database.read(
            connection ->
                Sql.queryLong(connection, "select exists (select 1 from memory_embeddings)") > 0);
    if (hasEmbeddings) {
      database.runLater(
          () -> {
            // A search that is running starts the build when it ends.
            if (!built && !scanning()) {
              buildInBackground();
            }
          },
          BUILD_DELAY);
    }
  }

  /** How long after open, or after a search that scanned the file, the index build starts. */
  private static final java.time.Duration BUILD_DELAY = java.time.Duration.ofSeconds(1);

  private static void background(String name, Runnable work) {
    Thread thread = new Thread(work, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Returns the memories nearest a vector among those the filter selects, best first. */
  List<VectorIndex.Scored> neighbours(float[] vector, MemoryFilter filter, long now, int k) {
    refresh();
    return index.search(vector, resolveGroup(filter), now, k);
  }

  /** Brings the index up to date with the change log; builds it on first use. */
  void refresh() {
    synchronized (refreshLock) {
      if (!built) {
        build();
      }
      database.read(
          connection -> {
            long newest = MemoryQueries.newestChange(connection);
            if (newest == lastChange) {
              return null;
            }
            long oldest = MemoryQueries.oldestChange(connection);
            if (oldest > lastChange + 1) {
              // The log was trimmed past what the indexes have seen: start again.
              built = false;
              keywords = null;
              return null;
            }
            MemoryQueries.Changes changes = MemoryQueries.changes(connection, lastChange, newest);
            List<Long> changed = changes.changed();
            takeAccessTimes(connection, changes.accessedOnly());
            VectorIndex.Batch present = IndexRows.of(connection, index.dimension(), changed);
            Set<Long> presentSeqs = new java.util.HashSet<>();
            for (int row = 0; row < present.size(); row++) {
              presentSeqs.add(present.seq(row));
            }
            index.removeAll(changed.stream().filter(seq -> !presentSeqs.contains(seq)).toList());
            index.upsertAll(present);
            KeywordIndex keywordIndex = keywords;
            if (keywordIndex != null && changed.size() > KEYWORD_RELOAD_CHANGES) {
              // After a large import, reading FTS5's index again is cheaper than splitting every
              // new text into terms; FTS5 answers keyword searches meanwhile.
              keywords = null;
            } else if (keywordIndex != null) {
              FullTextTerms.update(connection, keywordIndex, changed);
            }
            lastChange = newest;
            return null;
          });
      if (!built) {
        refresh();
      }
    }
  }

  /** Gives the index the new last access times of memories whose only changes were accesses. */
  private void takeAccessTimes(java.sql.Connection connection, List<Long> accessed) {
    List<MemoryQueries.Accesses> accesses = MemoryQueries.accesses(connection, accessed);
    index.accessed(
        accesses.stream().mapToLong(MemoryQueries.Accesses::seq).toArray(),
        accesses.stream()
            .mapToLong(
                access ->
                    access.lastAccessedAt() == null ? 0 : access.lastAccessedAt().toEpochMilli())
            .toArray());
  }

  /** How many changed memories at once make the keyword index load again instead of catching up. */
  private static final int KEYWORD_RELOAD_CHANGES = 10_000;

  /**
   * How long after a search the keyword index starts loading: the load reads every term instance of
   * the full-text table (seconds of CPU at 100k memories), which would compete with a new process's
   * first searches for the cores they need to build the vector index and load the model, and a
   * process that searches once and closes (memctl search) should not pay for it at all.
   */
  private static final java.time.Duration KEYWORD_LOAD_DELAY = java.time.Duration.ofSeconds(1);

  /** Starts loading the keyword index after the delay unless it is loaded or loading. */
  private void loadKeywordsLater(java.time.Duration delay) {
    if (built
        && keywords == null
        && keywordIndexEnabled
        && keywordLoading.compareAndSet(false, true)) {
      database.runLater(
          () -> background("memstore-keyword-index", this::loadKeywordsSafely), delay);
    }
  }

  private void loadKeywordsSafely() {
    try {
      loadKeywords();
    } catch (RuntimeException e) {
      // Keyword searches keep going to FTS5; a store closed during the load ends up here.
      LOG.log(Level.DEBUG, "loading the keyword index failed", e);
    } finally {
      keywordLoading.set(false);
    }
  }

  /**
   * Loads the keyword index from the full-text table, catches it up with the changes committed
   * meanwhile and hands it to searches. Runs in the background after a search, once the vector
   * index is built: at 100k memories it reads about two million term instances.
   */
  private void loadKeywords() {
    if (!keywordIndexEnabled) {
      return;
    }
    // A load races only with a trim of the change log past its start (100,000 changes later).
    for (int attempt = 0; attempt < 3 && keywords == null && built; attempt++) {
      loadKeywordsOnce();
    }
  }

  private void loadKeywordsOnce() {
    long start = System.nanoTime();
    KeywordIndex loaded = new KeywordIndex();
    long position = database.read(connection -> MemoryQueries.newestChange(connection));
    FullTextTerms.load(database, loaded);
    synchronized (refreshLock) {
      if (!built || !keywordIndexEnabled) {
        return; // the indexes start again, and that build loads the keywords again
      }
      boolean current =
          database.read(
              connection -> {
                long oldest = MemoryQueries.oldestChange(connection);
                if (oldest > position + 1) {
                  return false;
                }
                FullTextTerms.update(
                    connection,
                    loaded,
                    MemoryQueries.changes(connection, position, lastChange).changed());
                return true;
              });
      if (current) {
        keywords = loaded;
      }
    }
    LOG.log(
        Level.DEBUG,
        () ->
            "loaded the keyword index of "
                + loaded.size()
                + " memories in "
                + (System.nanoTime() - start) / 1_000_000
                + " ms");
  }

  /**
   * Builds the vector index only when something other than a search needs it, so that searches keep
   * scanning the file through sqlite-vec; for tests.
   */
  void buildVectorIndexOnlyWhenNeeded() {
    vectorIndexBuiltInBackground = false;
  }

  /** The keyword side, which a caller must bring up to date with {@link #refresh}; for tests. */
  KeywordSearch keywordSearch() {
    return keywordSearch;
  }

  /** Whether this process has built its vector index; for tests. */
  boolean vectorIndexBuilt() {
    return built;
  }

  /** Drops the keyword index and loads no other, so that FTS5 answers; for tests. */
  void disableKeywordIndex() {
    synchronized (refreshLock) {
      keywordIndexEnabled = false;
      keywords = null;
    }
  }

  /**
   * Waits until the keyword index is loaded (a search starts that) and returns it, or null after
   * the timeout; for tests.
   */
  KeywordIndex awaitKeywordIndex(java.time.Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (keywords == null && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return keywords;
  }

  /**
   * Called by the index build between chunks: waits while searches that scan the file run, for
   * {@link #BUILD_PAUSE} at most per chunk. On two cores a new process's first search loads the
   * model, which took 1.3 s instead of 0.7 s with a build beside it.
   */
  private void yieldToScans() {
    long deadline = System.nanoTime() + BUILD_PAUSE.toNanos();
    synchronized (scansLock) {
      long left;
      while (scansRunning > 0 && (left = deadline - System.nanoTime()) > 0) {
        try {
          scansLock.wait(left / 1_000_000 + 1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * The longest the build waits for scanning searches before each chunk, so that a stream of them
   * does not keep the index from ever being built.
   */
  private static final java.time.Duration BUILD_PAUSE = java.time.Duration.ofMillis(500);

  private final Object scansLock = new Object();
  private int scansRunning;

  private boolean scanning() {
    synchronized (scansLock) {
      return scansRunning > 0;
    }
  }

  private void scansChanged(int change) {
    synchronized (scansLock) {
      scansRunning += change;
      scansLock.notifyAll();
    }
  }

  /** Builds the vector index from the file; see {@link IndexRows#load}. */
  private void build() {
    long start = System.nanoTime();
    lastChange = IndexRows.load(database, index, KEYWORD_SEARCHES, this::yieldToScans);
    built = true;
    LOG.log(
        Level.DEBUG,
        () ->
            "built the vector index of "
                + index.size()
                + " memories in "
                + (System.nanoTime() - start) / 1_000_000
                + " ms");
  }
}
