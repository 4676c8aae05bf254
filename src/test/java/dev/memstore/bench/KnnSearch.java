package dev.memstore.bench;

/** One nearest-neighbour search under test, answering with memory numbers (0-based). */
interface KnnSearch {
  /**
   * Returns the {@code k} memories most similar to the query among those whose bucket is below
   * {@code percent} (all of them at 100), best first.
   */
  int[] search(float[] query, int percent, int k) throws Exception;
}
