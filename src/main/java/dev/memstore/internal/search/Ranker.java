package dev.memstore.internal.search;

import dev.memstore.Ranking;
import dev.memstore.SearchMode;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.Sql;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  /**
   * How much of a hybrid candidate's relevance comes from each of its session neighbours, the turn
   * before it and the turn after it: in a conversation, a turn's meaning often lives in the turn
   * before it (an answer to a question) or after it (the question it raised, the confirmation it
   * got). The rest, 1 - 2 x this, is its own. On REALTALK's tuning chats (bge, speaker tagged)
   * neighbours moved recall@10 from 0.650 to 0.652-0.661 in the forms tried (one side or both, 0.1
   * to 0.3, or the better neighbour's share of the gap), and with the time boost 0.15 a side gave
   * 0.666, the best of them; BENCHMARKS.md lists the variants.
   */
  private static final double NEIGHBOUR_WEIGHT = 0.15;

  /**
   * How far toward full relevance a hybrid candidate moves when it was made within a time the query
   * names ("on 7 Jan 2024", "in May", "last week"), as {@link #NAMED_TAG_BOOST} does for a named
   * tag. A boost and not a filter: what was said on a day is often about another. On the tuning
   * chats 0.3 gained 0.004 recall@10 and 0.6 lost 0.004; most questions name no time.
   */
  private static final double NAMED_TIME_BOOST = 0.3;

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

  /**
   * Returns the hybrid candidates most relevant on their own (their blend and a named tag), best
   * first, at most {@code limit}: the ones whose context is worth reading. A candidate further down
   * would need its context to lift it past dozens of others to reach a page of results.
   */
  List<Candidate> leading(Collection<Candidate> candidates, int limit) {
    if (candidates.size() <= limit) {
      return List.copyOf(candidates);
    }
    double[] range = ranges(candidates);
    Map<Candidate, Double> own = new HashMap<>();
    for (Candidate candidate : candidates) {
      double fused = fused(candidate, range[0], range[1], range[2], range[3]);
      own.put(candidate, candidate.namesTag ? fused + NAMED_TAG_BOOST * (1 - fused) : fused);
    }
    return candidates.stream()
        .sorted(Comparator.comparingDouble((Candidate candidate) -> -own.get(candidate)))
        .limit(limit)
        .toList();
  }

  /** The candidates' semantic minimum and maximum, then their keyword minimum and maximum. */
  private static double[] ranges(Iterable<Candidate> candidates) {
    double[] range = {
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY
    };
    for (Candidate candidate : candidates) {
      if (candidate.semantic != null) {
        range[0] = Math.min(range[0], candidate.semantic);
        range[1] = Math.max(range[1], candidate.semantic);
      }
      if (candidate.keyword != null) {
        range[2] = Math.min(range[2], candidate.keyword);
        range[3] = Math.max(range[3], candidate.keyword);
      }
    }
    return range;
  }

  /** Turns relevance parts into the final score, as {@link Ranking} documents. */
  void score(Iterable<Candidate> candidates, SearchMode mode, long now) {
    double[] range = ranges(candidates);
    double semanticMin = range[0];
    double semanticMax = range[1];
    double keywordMin = range[2];
    double keywordMax = range[3];
    double halfLife = ranking.recencyHalfLife().toMillis();
    double relevanceWeight = 1 - ranking.importanceWeight() - ranking.recencyWeight();
    for (Candidate candidate : candidates) {
      switch (mode) {
        case SEMANTIC -> candidate.relevance = Math.max(0, candidate.semantic);
        case KEYWORD -> candidate.relevance = keywordMax <= 0 ? 0 : candidate.keyword / keywordMax;
        case HYBRID -> {
          // A turn is read with the turns around it: a neighbour that is missing (no session, or
          // the session's end) stands for itself, so memories outside sessions rank as before.
          double own = fused(candidate, semanticMin, semanticMax, keywordMin, keywordMax);
          double previous =
              candidate.previous == null
                  ? own
                  : fused(candidate.previous, semanticMin, semanticMax, keywordMin, keywordMax);
          double next =
              candidate.next == null
                  ? own
                  : fused(candidate.next, semanticMin, semanticMax, keywordMin, keywordMax);
          double fused = (1 - 2 * NEIGHBOUR_WEIGHT) * own + NEIGHBOUR_WEIGHT * (previous + next);
          if (candidate.namesTag) {
            fused += NAMED_TAG_BOOST * (1 - fused);
          }
          if (candidate.inNamedTime) {
            fused += NAMED_TIME_BOOST * (1 - fused);
          }
          candidate.relevance = fused;
        }
      }
      candidate.recency = Math.pow(0.5, Math.max(0, now - candidate.lastUsed) / halfLife);
      candidate.score =
          relevanceWeight * candidate.relevance
              + ranking.importanceWeight() * candidate.importance
              + ranking.recencyWeight() * candidate.recency;
    }
  }

  /** A candidate's blend of its two sides, each scaled over the candidates and kept in 0..1. */
  private double fused(
      Candidate candidate,
      double semanticMin,
      double semanticMax,
      double keywordMin,
      double keywordMax) {
    double semantic =
        Math.min(1, Math.max(0, scaled(candidate.semantic, semanticMin, semanticMax)));
    double keyword = Math.min(1, Math.max(0, scaled(candidate.keyword, keywordMin, keywordMax)));
    return ranking.semanticWeight() * semantic + (1 - ranking.semanticWeight()) * keyword;
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

  /** Returns the words of the text that are written as names are: capitalised. */
  static Set<String> capitalisedWords(String text) {
    Set<String> words = new HashSet<>();
    Matcher name = NAME_WORD.matcher(text);
    while (name.find()) {
      words.add(name.group());
    }
    return words;
  }

  /**
   * Marks the candidates with a name in their metadata that the query writes: a text value of one
   * to three capitalised words (such as a speaker's name) counts as a tag when the query writes one
   * of its words the same way, capitalised, so that a store whose writer kept who said what in
   * metadata rather than in tags ranks alike.
   */
  static void markNamedMetadata(String text, List<Candidate> candidates) {
    Set<String> capitalised = capitalisedWords(text);
    if (capitalised.isEmpty()) {
      return;
    }
    for (Candidate candidate : candidates) {
      if (candidate.metadataTexts != null) {
        for (String value : candidate.metadataTexts) {
          if (namesIn(value, capitalised)) {
            candidate.namesTag = true;
            break;
          }
        }
      }
    }
  }

  /** A capitalised word: how a query writes a name. */
  private static final Pattern NAME_WORD = Pattern.compile("\\b\\p{Lu}\\p{L}+\\b");

  /** A metadata value that reads as a name: one to three capitalised words. */
  private static final Pattern NAME_VALUE =
      Pattern.compile("\\p{Lu}\\p{L}+(?:[ -]\\p{Lu}\\p{L}+){0,2}");

  /** Returns whether the value is a name one of whose words the query writes. */
  private static boolean namesIn(String value, Set<String> capitalised) {
    if (!NAME_VALUE.matcher(value).matches()) {
      return false;
    }
    for (String word : value.split("[ -]")) {
      if (capitalised.contains(word)) {
        return true;
      }
    }
    return false;
  }

  /** Marks the candidates made within a time the query names, if it names one. */
  static void markNamedTimes(String text, List<Candidate> candidates, long now) {
    List<long[]> intervals = TimeExpressions.intervals(text, now);
    if (intervals.isEmpty()) {
      return;
    }
    for (Candidate candidate : candidates) {
      candidate.inNamedTime = TimeExpressions.within(candidate.createdAt, intervals);
    }
  }
}
