package dev.memstore.internal.search;

import dev.memstore.Ranking;
import dev.memstore.SearchMode;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.Sql;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuses the two sides' relevance and turns it, with importance and recency, into each candidate's
 * score, as {@link Ranking} documents.
 */
final class Ranker {
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

  /** Best score first; of equal scores, the newer memory. */
  static final Comparator<Candidate> BEST_FIRST =
      Comparator.comparingDouble((Candidate candidate) -> -candidate.score)
          .thenComparingLong(c -> -c.seq);

  private final Database database;
  private final Ranking ranking;

  Ranker(Database database, Ranking ranking) {
    this.database = database;
    this.ranking = ranking;
  }

  /** Turns relevance parts into the final score, as {@link Ranking} documents. */
  void score(Iterable<Candidate> candidates, SearchMode mode, long now) {
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
  void markNamedTags(String text, Map<Long, Candidate> candidates) {
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
}
