package dev.memstore;

import java.util.List;

/**
 * The answer to a search.
 *
 * @param hits the hits, best first
 * @param totalCount how many memories matched among the candidates scored (at least {@code offset +
 *     hits})
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
    SearchMode mode,
    boolean degraded,
    String degradation,
    String embeddingModel,
    int dimension) {
  public SearchResult {
    hits = List.copyOf(hits);
  }
}
