package dev.memstore;

/**
 * One memory a search found, with its scores, each named for what it is: the rank score that orders
 * the hits, and the similarity and relevance it was made from.
 *
 * @param memory the memory
 * @param score its rank score, 0 to 1 (higher is better; comparable within one result): relevance
 *     blended with importance and recency (see {@link Ranking}); for {@link MemoryStore#searchMany}
 *     the aggregated score, for an expanded hit the score it was reached with
 * @param similarity the cosine similarity (-1 to 1) of the memory's embedding to the query's, or
 *     null when it was not compared: a keyword search without {@link SearchQuery#minSimilarity()},
 *     a memory still waiting for its embedding, an expanded hit; for {@link MemoryStore#searchMany}
 *     the highest similarity to any of the queries
 * @param relevance how well the memory matches the query, 0 to 1, before importance and recency
 *     (see {@link ScoreParts#relevance()}); null for aggregated and expanded hits
 * @param parts how the score was made, or null unless the query asked to explain
 * @param expandedFrom for a memory reached by expanding another hit through a relationship or the
 *     hierarchy (see {@link SearchQuery#expansionDepth()}), the id of that hit; null for a direct
 *     hit
 */
public record SearchHit(
    Memory memory,
    double score,
    Double similarity,
    Double relevance,
    ScoreParts parts,
    String expandedFrom) {

  /** A hit without similarity or relevance, such as an aggregated one. */
  public SearchHit(Memory memory, double score, ScoreParts parts) {
    this(memory, score, null, null, parts, null);
  }

  /** A hit without similarity or relevance reached by expansion (or direct, when null). */
  public SearchHit(Memory memory, double score, ScoreParts parts, String expandedFrom) {
    this(memory, score, null, null, parts, expandedFrom);
  }

  /**
   * The parts of a hit's score.
   *
   * @param semantic the cosine similarity of the memory's embedding to the query's, or null when
   *     not compared
   * @param keyword the BM25 score of the memory's words against the query's, or null when no word
   *     matched
   * @param relevance the fused relevance, 0 to 1 (in hybrid mode each part is scaled to 0..1 over
   *     the candidates, then weighted by {@link Ranking#semanticWeight()}; when a word of the query
   *     is a word of one of the memory's tags, case aside, the result moves 70% of the way toward
   *     1)
   * @param importance the memory's importance
   * @param recency 1 for a memory used just now, halving every {@link Ranking#recencyHalfLife()}
   * @param score the final score
   */
  public record ScoreParts(
      Double semantic,
      Double keyword,
      double relevance,
      double importance,
      double recency,
      double score) {}
}
