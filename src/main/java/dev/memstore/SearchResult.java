package dev.memstore;

import java.util.List;

/**
 * The answer to a search.
 *
 * @param hits the hits, best first
 * @param totalCount how many memories matched (at least {@code offset + hits}): the exact number
 *     when {@code totalCountExact}, else a lower bound, because a search scores a pool of the best
 *     candidates of each side (see README, Search) and more memories may match beyond it
 * @param totalCountExact whether {@code totalCount} is the exact number of matches rather than a
 *     lower bound
 * @param mode the mode the search actually ran in: keyword when a semantic or hybrid search was
 *     degraded
 * @param degraded whether the search could not run as asked (for example the embedding model
 *     failed) and fell back to keyword matching
 * @param degradation why it was degraded, or null
 * @param embeddingModel the model of the store's vectors, or null
 * @param dimension the dimension of the store's vectors
 */
public record SearchResult(
    List<SearchHit> hits,
    long totalCount,
    boolean totalCountExact,
    SearchMode mode,
    boolean degraded,
    String degradation,
    String embeddingModel,
    int dimension) {
  public SearchResult {
    hits = List.copyOf(hits);
  }
}
