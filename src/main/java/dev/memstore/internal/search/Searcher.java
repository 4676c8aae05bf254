package dev.memstore.internal.search;

import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.Ranking;
import dev.memstore.RetentionPolicy;
import dev.memstore.SearchHit;
import dev.memstore.SearchMode;
import dev.memstore.SearchQuery;
import dev.memstore.SearchResult;
import dev.memstore.ValidationException;
import dev.memstore.internal.embed.EmbeddingService;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.MemoryCache;
import dev.memstore.internal.storage.MemoryQueries;
import dev.memstore.internal.storage.Sql;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Answers searches: semantic hits from the {@link SearchIndexes}' vector index (or a {@link
 * VectorScan} of the file until it is built), keyword hits by BM25 through {@link KeywordSearch},
 * fused and ranked with importance and recency by the {@link Ranker}. Thread-safe.
 */
public final class Searcher {
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

  /** Most similar first; of equal similarities, the newer memory. */
  private static final Comparator<Candidate> NEAREST_FIRST =
      Comparator.comparingDouble((Candidate candidate) -> -candidate.semantic)
          .thenComparingLong(candidate -> -candidate.seq);

  /**
   * How many of a hybrid search's candidates, the most relevant on their own, are read with their
   * context (session neighbours, creation time, names in metadata), in one indexed read of this
   * many rows. Reading the whole pool of about 400 made a search 1.2 ms (REALTALK) to 4.6 ms
   * (SciFact, whose long texts make each row read walk its overflow pages) slower at the median per
   * part; with 50, 100 and 150 REALTALK's tuning chats gave recall@10 0.664, 0.665 and 0.665 (the
   * same as the whole pool), and 50 reads the fewest rows.
   */
  private static final int CONTEXT_POOL = 50;

  private final Database database;

  /** The store's read cache, which also serves the hits' rows; null when caching is off. */
  private final MemoryCache cache;

  private final EmbeddingService embeddings;
  private final RetentionPolicy retention;
  private final SearchIndexes indexes;
  private final KeywordSearch keywordSearch;
  private final Ranker ranker;

  public Searcher(
      Database database,
      SearchIndexes indexes,
      EmbeddingService embeddings,
      Ranking ranking,
      RetentionPolicy retention,
      MemoryCache cache) {
    this.database = database;
    this.indexes = indexes;
    this.cache = cache;
    this.retention = retention;
    this.embeddings = embeddings;
    this.keywordSearch = new KeywordSearch(database, indexes.vectorIndex(), retention);
    this.ranker = new Ranker(database, ranking);
  }

  /** Runs a search; the query's ranges were checked when it was made. */
  public SearchResult search(SearchQuery query, Instant now) {
    // Until this process has built its vector index, sqlite-vec scans the file instead, so that no
    // search waits for the build (without sqlite-vec, the search waits); the build pauses
    // meanwhile.
    boolean scan = !indexes.built() && database.hasSqliteVec();
    if (!scan) {
      return search(query, now, false);
    }
    indexes.scansChanged(1);
    try {
      return search(query, now, true);
    } finally {
      indexes.scansChanged(-1);
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
    boolean byVector = query.vector() != null;
    double floor =
        floorAsked
            ? query.minSimilarity()
            : mode == SearchMode.SEMANTIC && !byVector
                ? embeddings.defaultMinSimilarity()
                : Double.NEGATIVE_INFINITY;
    Map<Long, Candidate> candidates = new LinkedHashMap<>();
    // A hybrid search runs its keyword side on another thread while this one embeds the query
    // and searches the vectors: neither needs the other's result until fusion.
    Future<KeywordSearch.Side> keywordSide =
        mode == SearchMode.HYBRID
            ? indexes
                .helpers()
                .submit(() -> keywordHits(query.text(), filter, nowMillis, pool, true))
            : null;
    float[] queryVector = null;
    // Whether the semantic side's pool was full of memories above the floor, so that more may
    // match.
    boolean semanticCapped = false;
    if (mode != SearchMode.KEYWORD || floorAsked) {
      if (!indexes.built() && !scan) {
        // Without sqlite-vec the search waits for the build, which runs while the model embeds
        // the query (and, in a new process, loads).
        indexes.buildInBackground();
      }
      EmbeddingService.Outcome outcome =
          byVector
              ? new EmbeddingService.Outcome(checkedVector(query.vector()), null)
              : embeddings.embedQuery(query.text());
      if (outcome.vector() == null) {
        degradation = outcome.problem();
        mode = SearchMode.KEYWORD;
      } else if (mode != SearchMode.KEYWORD) {
        queryVector = outcome.vector();
        List<Scored> nearest =
            scan
                ? VectorScan.nearest(
                    database, indexes.helpers(), queryVector, filter, nowMillis, semanticPool)
                : indexes.nearest(queryVector, filter, nowMillis, semanticPool);
        semanticCapped =
            nearest.size() >= semanticPool && nearest.get(nearest.size() - 1).similarity() >= floor;
        for (Scored hit : nearest) {
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
              ? Futures.await(keywordSide)
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
      ranker.markNamedTags(query.text(), candidates);
      // Context for the leading candidates only, so that its cost stays bounded; their session
      // neighbours that are not candidates get both scores too, to lend their share.
      List<Candidate> leading = ranker.leading(candidates.values(), CONTEXT_POOL);
      List<Candidate> standIns = CandidateContext.attach(database, leading, candidates);
      if (!standIns.isEmpty()) {
        completeScores(standIns, queryVector, scan, keywordResult);
      }
      Ranker.markNamedMetadata(query.text(), leading);
      Ranker.markNamedTimes(query.text(), leading, nowMillis);
    }
    ranker.score(candidates.values(), mode, nowMillis);
    if (byVector) {
      // Nearest neighbours: the similarity alone ranks (see SearchQuery).
      candidates.values().forEach(candidate -> candidate.score = candidate.relevance);
    }
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
    ranked.sort(byVector ? NEAREST_FIRST : rankingOf(query.filter(), ranked));
    List<Candidate> page =
        ranked.subList(
            Math.min(query.offset(), ranked.size()),
            Math.min(query.offset() + query.limit(), ranked.size()));
    List<String> pageIds = page.stream().map(c -> c.id).toList();
    // A filter that includes expired memories reads them too: live at the earliest instant.
    boolean expiredToo = query.filter().includeExpired();
    long liveAt = expiredToo ? Long.MIN_VALUE : nowMillis;
    Function<List<String>, List<MemoryQueries.Row>> load =
        ids -> database.read(connection -> MemoryQueries.findAll(connection, ids, liveAt));
    Map<String, Memory> memories = new HashMap<>();
    if (cache != null) {
      memories.putAll(cache.getAll(pageIds, load));
    } else if (!pageIds.isEmpty()) {
      load.apply(pageIds).forEach(row -> memories.put(row.memory().id(), row.memory()));
    }
    List<SearchHit> hits = new ArrayList<>(page.size());
    for (Candidate candidate : page) {
      Memory memory = memories.get(candidate.id);
      if (memory == null || (!expiredToo && memory.isExpiredAt(now))) {
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
    indexes.searched(scan);
    return new SearchResult(
        hits,
        ranked.size(),
        exact,
        mode,
        degradation != null,
        degradation,
        embeddings.modelId(),
        indexes.dimension());
  }

  /**
   * Best first; when superseded facts are asked for alongside current ones, every superseded fact
   * ranks after every current memory, so that a stale fact never outranks the one that replaced it.
   */
  private Comparator<Candidate> rankingOf(MemoryFilter filter, List<Candidate> ranked) {
    if (!filter.includeSuperseded() || filter.asOf() != null || ranked.isEmpty()) {
      return Ranker.BEST_FIRST;
    }
    Set<String> superseded =
        new HashSet<>(
            database.read(
                connection ->
                    Sql.query(
                        connection,
                        "select id from memories where id in (select value from json_each(?))"
                            + " and valid_to is not null",
                        row -> row.getString(1),
                        Json.write(ranked.stream().map(candidate -> candidate.id).toList()))));
    if (superseded.isEmpty()) {
      return Ranker.BEST_FIRST;
    }
    return Comparator.<Candidate, Boolean>comparing(candidate -> superseded.contains(candidate.id))
        .thenComparing(Ranker.BEST_FIRST);
  }

  /** Returns the caller's vector when its length is the store's dimension. */
  private float[] checkedVector(float[] vector) {
    int dimension = indexes.dimension();
    if (vector.length != dimension) {
      throw new ValidationException(
          "vector",
          "vector has "
              + vector.length
              + " dimensions, but this store's model ("
              + embeddings.modelId()
              + ") makes vectors of "
              + dimension
              + "; search with a vector from the same model");
    }
    return vector;
  }

  /** Returns the memories nearest a vector among those the filter selects, best first. */
  public List<Scored> neighbours(float[] vector, MemoryFilter filter, long now, int k) {
    return indexes.nearest(vector, resolveGroup(filter), now, k);
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
    double[] similarities =
        scan
            ? database.read(connection -> VectorScan.similarities(connection, queryVector, seqs))
            : indexes.similarities(queryVector, seqs);
    for (int position = 0; position < similarities.length; position++) {
      if (!Double.isNaN(similarities[position])) {
        noSimilarity.get(position).semantic = similarities[position];
      }
    }
  }

  /** The keyword side, through the keyword index once both indexes are current. */
  private KeywordSearch.Side keywordHits(
      String text, MemoryFilter filter, long now, int pool, boolean everyScore) {
    return keywordSearch.hits(indexes.currentKeywords(), text, filter, now, pool, everyScore);
  }

  /**
   * Replaces a group criterion and a metadata condition, which the index does not hold, by the ids
   * of the memories the file finds for them: the index then seeds its bit set of allowed slots from
   * those ids, so that the filter narrows the candidates before ranking and limits stay exact. A
   * filter without either criterion costs nothing here.
   */
  private MemoryFilter resolveGroup(MemoryFilter filter) {
    if (filter.groupId() == null && filter.metadata() == null) {
      return filter;
    }
    // Expiry and archiving stay with the index, which checks them at the query's time.
    MemoryFilter fileCriteria =
        MemoryFilter.builder()
            .groupId(filter.groupId())
            .metadata(filter.metadata())
            .includeExpired(true)
            .includeArchived(true)
            .build();
    List<String> members =
        database.read(
            connection -> MemoryQueries.matchingIds(connection, fileCriteria, Long.MAX_VALUE));
    Set<String> ids = new HashSet<>(members);
    if (!filter.ids().isEmpty()) {
      ids.retainAll(filter.ids());
    }
    if (ids.isEmpty()) {
      ids = Set.of("mem-none");
    }
    return filter.toBuilder().ids(ids).groupId(null).metadata(null).build();
  }

  /** The indexes this searcher reads; for tests. */
  SearchIndexes indexes() {
    return indexes;
  }

  /** The keyword side, which a caller must bring up to date with the indexes; for tests. */
  KeywordSearch keywordSearch() {
    return keywordSearch;
  }
}
