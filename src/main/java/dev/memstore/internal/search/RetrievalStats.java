package dev.memstore.internal.search;

import dev.memstore.SearchHit;
import dev.memstore.SearchResult;
import java.util.Arrays;

/**
 * Counts this process's searches: how many, the mean score of their hits, and latency percentiles
 * over the last {@value #WINDOW} searches. Thread-safe.
 */
public final class RetrievalStats {
  static final int WINDOW = 1024;

  private final long[] latencies = new long[WINDOW];
  private long count;
  private long hits;
  private double scoreSum;

  /** A snapshot: count, mean hit score (0 without hits), and p50 and p95 in milliseconds. */
  public record Snapshot(long count, double averageScore, double p50Millis, double p95Millis) {}

  public synchronized void record(SearchResult result, long nanos) {
    latencies[(int) (count % WINDOW)] = nanos;
    count++;
    for (SearchHit hit : result.hits()) {
      scoreSum += hit.score();
      hits++;
    }
  }

  public synchronized Snapshot snapshot() {
    int size = (int) Math.min(count, WINDOW);
    long[] sorted = Arrays.copyOf(latencies, size);
    Arrays.sort(sorted);
    return new Snapshot(
        count, hits == 0 ? 0 : scoreSum / hits, percentile(sorted, 0.50), percentile(sorted, 0.95));
  }

  private static double percentile(long[] sorted, double fraction) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(fraction * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1e6;
  }
}
