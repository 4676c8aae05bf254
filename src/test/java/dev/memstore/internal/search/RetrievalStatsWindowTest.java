package dev.memstore.internal.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.memstore.Memory;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.SearchHit;
import dev.memstore.SearchMode;
import dev.memstore.SearchResult;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The arithmetic of {@link RetrievalStats}: mean hit score and latency percentiles. */
class RetrievalStatsWindowTest {
  private static final long MILLISECOND = 1_000_000;

  private static SearchResult result(double... scores) {
    Instant created = Instant.parse("2026-01-01T00:00:00Z");
    List<SearchHit> hits =
        java.util.Arrays.stream(scores)
            .mapToObj(
                score ->
                    new SearchHit(
                        Memory.builder()
                            .id("mem-" + score)
                            .type(MemoryType.SEMANTIC)
                            .tier(MemoryTier.LONG_TERM)
                            .content("text")
                            .importance(0.5)
                            .createdAt(created)
                            .updatedAt(created)
                            .build(),
                        score,
                        null))
            .toList();
    return new SearchResult(hits, hits.size(), true, SearchMode.HYBRID, false, null, "model", 3);
  }

  @Test
  void snapshot_beforeAnySearch_allZero() {
    assertEquals(new RetrievalStats.Snapshot(0, 0, 0, 0), new RetrievalStats().snapshot());
  }

  @Test
  void snapshot_meanOverHitsNotSearches_andNearestRankPercentiles() {
    RetrievalStats stats = new RetrievalStats();
    stats.record(result(0.9, 0.3), 4 * MILLISECOND);
    stats.record(result(), 1 * MILLISECOND);
    stats.record(result(0.6), 3 * MILLISECOND);
    stats.record(result(), 2 * MILLISECOND);
    RetrievalStats.Snapshot snapshot = stats.snapshot();
    assertEquals(4, snapshot.count());
    assertEquals(0.6, snapshot.averageScore(), 1e-12, "(0.9 + 0.3 + 0.6) / 3 hits");
    assertEquals(2.0, snapshot.p50Millis(), 1e-12, "the 2nd of 1, 2, 3, 4 ms");
    assertEquals(4.0, snapshot.p95Millis(), 1e-12, "the 4th of 1, 2, 3, 4 ms");

    RetrievalStats one = new RetrievalStats();
    one.record(result(), 7 * MILLISECOND);
    assertEquals(new RetrievalStats.Snapshot(1, 0, 7, 7), one.snapshot());
  }

  @Test
  void snapshot_afterMoreThanTheWindow_percentilesOfTheLatestSearchesOnly() {
    RetrievalStats stats = new RetrievalStats();
    for (int search = 0; search < 10; search++) {
      stats.record(result(1.0), 1000 * MILLISECOND);
    }
    for (int search = 0; search < RetrievalStats.WINDOW; search++) {
      stats.record(result(0.0), (search % 100 + 1) * MILLISECOND);
    }
    RetrievalStats.Snapshot snapshot = stats.snapshot();
    assertEquals(RetrievalStats.WINDOW + 10, snapshot.count());
    assertEquals(10.0 / (RetrievalStats.WINDOW + 10), snapshot.averageScore(), 1e-12);
    // 1 to 100 ms, 1 to 24 eleven times each: the 973rd of 1024 is 95 ms, the slow ten are gone.
    assertEquals(95.0, snapshot.p95Millis(), 1e-12);
  }
}
