package dev.memstore.internal.search;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.RetentionPolicy;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.MemoryQueries;
import dev.memstore.internal.storage.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The keyword side of a search: BM25 hits through the in-memory {@link KeywordIndex} when the
 * {@link SearchIndexes} have loaded one, through FTS5's own bm25() until then, with the same scores
 * either way (KeywordIndexTest holds the two to each other). Filters and ranking data come from the
 * index's {@link MetadataIndex}, and from the database for memories it does not hold.
 */
final class KeywordSearch {
  private final Database database;
  private final MetadataIndex metadata;
  private final RetentionPolicy retention;

  /** Each query word's terms by FTS5's tokenizer; a word's stem never changes. */
  private final Cache<String, List<String>> wordTerms =
      Caffeine.newBuilder().maximumSize(10_000).build();

  KeywordSearch(Database database, MetadataIndex metadata, RetentionPolicy retention) {
    this.database = database;
    this.metadata = metadata;
    this.retention = retention;
  }

  /** The keyword side's best hits, and every match's score when the keyword index answered. */
  record Side(List<Candidate> hits, KeywordIndex.Matches matches) {}

  /**
   * Returns the best {@code pool} keyword hits that the filter allows, and the matches with their
   * scores (every match when {@code everyScore}, as fusion needs): through the keyword index when
   * one is given (it and the vector index must be current), through FTS5 otherwise.
   */
  Side hits(
      KeywordIndex keywordIndex,
      String text,
      MemoryFilter filter,
      long now,
      int pool,
      boolean everyScore) {
    Set<String> words = KeywordQuery.words(text);
    if (words.isEmpty()) {
      return new Side(List.of(), new KeywordIndex.Matches(new long[0], new double[0], 0));
    }
    if (keywordIndex != null) {
      List<String> phrases = phrases(words);
      if (phrases != null) {
        Side side = bestAllowed(keywordIndex.match(phrases), true, filter, now, pool);
        if (side != null) {
          return side;
        }
      }
    }
    if (words.size() > FEW_WORDS) {
      // FTS5's bm25() visits every phrase of the query for every matching row, so a long query
      // took time in the product of the two (80,000 words: 87 s). A word that no memory holds
      // adds nothing to any score: only the words the table holds go to FTS5.
      words = wordsInTable(words);
      if (words.isEmpty()) {
        return new Side(List.of(), new KeywordIndex.Matches(new long[0], new double[0], 0));
      }
    }
    String match = KeywordQuery.of(String.join(" ", words));
    if (!everyScore) {
      // Only the best matches are needed: FTS5 sorts them, and every match is read only when too
      // few of the best pass the filter.
      int best = KEYWORD_PREFETCH * pool;
      Side side = bestAllowed(fullTextMatches(match, best), false, filter, now, pool);
      if (side.hits().size() >= pool || side.matches().count() < best) {
        return side;
      }
    }
    return bestAllowed(fullTextMatches(match, -1), false, filter, now, pool);
  }

  /**
   * Gives each candidate without a keyword score its BM25 score for the query, from the side's
   * matches: 0 when it holds none of the words.
   */
  void completeScores(Collection<Candidate> candidates, Side side) {
    List<Candidate> noKeywordScore = candidates.stream().filter(c -> c.keyword == null).toList();
    if (noKeywordScore.isEmpty()) {
      return;
    }
    Map<Long, Double> scores = new HashMap<>();
    noKeywordScore.forEach(candidate -> scores.put(candidate.seq, 0.0));
    KeywordIndex.Matches matches = side.matches();
    // A binary search per match: tens of thousands of matches, a few hundred wanted.
    long[] wanted = noKeywordScore.stream().mapToLong(c -> c.seq).sorted().toArray();
    for (int index = 0; index < matches.count(); index++) {
      if (Arrays.binarySearch(wanted, matches.seqs()[index]) >= 0) {
        scores.put(matches.seqs()[index], matches.scores()[index]);
      }
    }
    noKeywordScore.forEach(candidate -> candidate.keyword = scores.get(candidate.seq));
  }

  /**
   * The best {@code pool} matches that the filter allows, best first. With {@code indexed}, the
   * metadata index (which must be current) filters the memories it holds and the database the few
   * it does not; returns null when there are more of those than are worth a query. Otherwise the
   * database filters them all.
   */
  private Side bestAllowed(
      KeywordIndex.Matches matches, boolean indexed, MemoryFilter filter, long now, int pool) {
    int wanted = Math.min(matches.count(), KEYWORD_PREFETCH * pool);
    while (true) {
      int[] order = matches.best(wanted);
      long[] seqs = new long[order.length];
      Map<Long, Double> scores = new HashMap<>();
      for (int rank = 0; rank < order.length; rank++) {
        seqs[rank] = matches.seqs()[order[rank]];
        scores.put(seqs[rank], matches.scores()[order[rank]]);
      }
      List<Long> unknown = new ArrayList<>();
      List<Candidate> hits = new ArrayList<>();
      if (indexed) {
        for (Scored hit : metadata.allowed(seqs, filter, now, unknown)) {
          Candidate candidate = Candidate.of(hit, retention, now);
          candidate.keyword = scores.get(hit.seq());
          hits.add(candidate);
        }
        if (unknown.size() > KEYWORD_PREFETCH * pool) {
          return null;
        }
      } else {
        Arrays.stream(seqs).forEach(unknown::add);
      }
      if (!unknown.isEmpty()) {
        hits.addAll(unindexedHits(unknown, scores, filter, now));
      }
      if (hits.size() >= pool || wanted == matches.count()) {
        hits.sort(
            Comparator.comparingDouble((Candidate candidate) -> -candidate.keyword)
                .thenComparingLong(candidate -> -candidate.seq));
        return new Side(hits.subList(0, Math.min(pool, hits.size())), matches);
      }
      wanted = matches.count(); // the filter passed too few of the best: look at every match
    }
  }

  /** Reads what ranking needs of keyword matches that the vector index does not hold. */
  private List<Candidate> unindexedHits(
      List<Long> seqs, Map<Long, Double> scores, MemoryFilter filter, long now) {
    MemoryQueries.Where where = MemoryQueries.Where.of(filter, now);
    List<Object> parameters = new ArrayList<>();
    parameters.add(Json.write(seqs));
    parameters.addAll(where.parameters());
    return database.read(
        connection ->
            Sql.query(
                connection,
                "select m.seq, m.id, m.importance,"
                    + " max(m.created_at, coalesce(m.last_accessed_at, 0)), 0, m.type, m.tier,"
                    + " m.pinned from memories m where m.seq in (select value from json_each(?))"
                    + " and m.archived_at is null and "
                    + where.sql(),
                row -> {
                  Candidate candidate = keywordCandidate(row, now);
                  candidate.keyword = scores.get(candidate.seq);
                  return candidate;
                },
                parameters.toArray()));
  }

  /**
   * Returns each word's term, as FTS5's query parser would make it of the quoted word, or null when
   * a word becomes several terms (FTS5 would match them as a phrase). A word without a term is left
   * out: FTS5 matches nothing for it.
   */
  private List<String> phrases(Set<String> words) {
    List<String> phrases = new ArrayList<>(words.size());
    for (List<String> terms : termsOf(words).values()) {
      if (terms.size() > 1) {
        return null; // a phrase
      }
      phrases.addAll(terms);
    }
    return phrases;
  }

  /**
   * Returns each word's terms, in the words' order, from the cache or from one read of FTS5's
   * tokenizer for the words it lacks. The answer is taken from that read, never looked up again: a
   * query of more words than the cache holds evicted its own first words, and then went to FTS5.
   */
  private Map<String, List<String>> termsOf(Set<String> words) {
    Map<String, List<String>> terms = new LinkedHashMap<>();
    List<String> unknown = new ArrayList<>();
    for (String word : words) {
      List<String> cached = wordTerms.getIfPresent(word);
      terms.put(word, cached);
      if (cached == null) {
        unknown.add(word);
      }
    }
    if (!unknown.isEmpty()) {
      List<List<String>> read =
          database.read(connection -> FullTextTerms.terms(connection, unknown));
      for (int index = 0; index < unknown.size(); index++) {
        List<String> wordTerms = List.copyOf(read.get(index));
        terms.put(unknown.get(index), wordTerms);
        if (unknown.size() <= CACHED_WORDS_PER_QUERY) {
          this.wordTerms.put(unknown.get(index), wordTerms);
        }
      }
    }
    return terms;
  }

  /** Returns the words all of whose terms the full-text table holds, in their order. */
  private Set<String> wordsInTable(Set<String> words) {
    Map<String, List<String>> terms = termsOf(words);
    Set<String> distinct = new HashSet<>();
    terms.values().forEach(distinct::addAll);
    Set<String> held =
        new HashSet<>(
            database.read(
                connection -> {
                  Sql.execute(
                      connection,
                      "create virtual table if not exists temp.memory_fts_terms"
                          + " using fts5vocab(main, memory_fts, row)");
                  return Sql.query(
                      connection,
                      "select term from temp.memory_fts_terms"
                          + " where term in (select value from json_each(?))",
                      row -> row.getString(1),
                      Json.write(List.copyOf(distinct)));
                }));
    Set<String> kept = new LinkedHashSet<>();
    terms.forEach(
        (word, wordTerms) -> {
          if (!wordTerms.isEmpty() && held.containsAll(wordTerms)) {
            kept.add(word);
          }
        });
    return kept;
  }

  /**
   * How many distinct words a query may have before the FTS5 path asks which of them the table
   * holds: a few words cost FTS5 little, and that question costs a read.
   */
  private static final int FEW_WORDS = 64;

  /** Words of one query that the word cache takes: a longer query would only flush it. */
  private static final int CACHED_WORDS_PER_QUERY = 1_000;

  /** How many full-text queries this keyword side ran; for tests. */
  long fullTextQueries() {
    return fullTextQueries.get();
  }

  private final AtomicLong fullTextQueries = new AtomicLong();

  /**
   * The query's matches with their scores by FTS5's own bm25(), what the keyword index would give,
   * used until it is loaded: the {@code best} ones, or every one when {@code best} is negative.
   * FTS5 scores every match either way, so fusion gets them all from this one query instead of
   * asking again for the scores of the semantic side's candidates (0.3 s in a new process).
   */
  private KeywordIndex.Matches fullTextMatches(String match, int best) {
    fullTextQueries.incrementAndGet();
    String sql =
        best < 0
            ? "select rowid, -bm25(memory_fts) from memory_fts where memory_fts match ?"
            : "select rowid, -bm25(memory_fts) from memory_fts where memory_fts match ?"
                + " order by bm25(memory_fts) limit "
                + best;
    return database.read(
        connection -> {
          long[][] seqs = {new long[1024]};
          double[][] scores = {new double[1024]};
          int[] count = {0};
          Sql.forEach(
              connection,
              sql,
              row -> {
                if (count[0] == seqs[0].length) {
                  seqs[0] = Arrays.copyOf(seqs[0], 2 * count[0]);
                  scores[0] = Arrays.copyOf(scores[0], 2 * count[0]);
                }
                seqs[0][count[0]] = row.getLong(1);
                scores[0][count[0]++] = row.getDouble(2);
              },
              match);
          return new KeywordIndex.Matches(seqs[0], scores[0], count[0]);
        });
  }

  /** How many of the best rows by BM25 alone are joined and filtered, per keyword hit wanted. */
  private static final int KEYWORD_PREFETCH = 3;

  private Candidate keywordCandidate(ResultSet row, long now) throws SQLException {
    double importance =
        retention.effectiveImportance(
            row.getDouble(3),
            MemoryType.fromName(row.getString(6)).orElseThrow(),
            MemoryTier.fromName(row.getString(7)).orElseThrow(),
            row.getInt(8) != 0,
            row.getLong(4),
            now);
    Candidate candidate =
        new Candidate(row.getLong(1), row.getString(2), importance, row.getLong(4));
    candidate.keyword = row.getDouble(5);
    return candidate;
  }
}
