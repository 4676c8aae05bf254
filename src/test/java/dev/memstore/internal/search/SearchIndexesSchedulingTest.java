package dev.memstore.internal.search;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.SearchMode;
import dev.memstore.SearchQuery;
import dev.memstore.testing.ManualScheduler;
import dev.memstore.testing.MemoryStoreExtension;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * When the in-memory indexes are built and loaded: a second after a store with embeddings opens, or
 * after a search that had to scan the file, and the keyword index a second after the vector index
 * once the process has searched; never beside a search that scans, and never for a file without
 * embeddings. The stores run on a manual scheduler, so the delays are the test's to pass.
 */
class SearchIndexesSchedulingTest {
  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withWordHashModel("word-hash", 32).withManualScheduler();

  private final ManualScheduler scheduler = stores.scheduler();

  /**
   * How long a build or load of these few memories may take once started: they take milliseconds,
   * and a short bound lets a mutation test see a missing one fail instead of timing out.
   */
  private static final Duration SHORT_WORK = Duration.ofSeconds(3);

  /**
   * How long a check that nothing starts watches: longer than that work, wrongly started, takes on
   * a loaded machine (300 ms was too short beside three mutation runs).
   */
  private static final Duration QUIET = Duration.ofSeconds(1);

  /** A store of a few embedded memories, opened again as a new process would. */
  private SearchIndexes reopenedWithMemories() {
    MemoryStore store = stores.store();
    for (int index = 0; index < 3; index++) {
      store.create(NewMemory.of("apple note " + index));
    }
    scheduler.runDue();
    return SearchInternals.indexes(stores.reopen());
  }

  @Test
  void opening_aFileWithEmbeddings_buildsTheVectorIndexASecondLater_butNoKeywordIndex()
      throws InterruptedException {
    SearchIndexes indexes = reopenedWithMemories();

    scheduler.advance(Duration.ofMillis(999));
    assertStaysFalse(indexes::built, "not before the delay");
    scheduler.advance(Duration.ofMillis(1));
    awaitTrue(indexes::built, "the build that opening scheduled");

    scheduler.advance(Duration.ofSeconds(5));
    assertNull(SearchInternals.awaitKeywordIndex(indexes, QUIET), "nothing searched yet");
  }

  @Test
  void opening_aFileWithoutEmbeddings_buildsNothing() throws InterruptedException {
    SearchIndexes indexes = SearchInternals.indexes(stores.store());

    scheduler.advance(Duration.ofSeconds(5));

    assertStaysFalse(indexes::built, "a file being filled is not indexed beside the writes");
  }

  @Test
  void opening_whileASearchScansTheFile_leavesTheBuildToThatSearch() throws InterruptedException {
    SearchIndexes indexes = reopenedWithMemories();
    indexes.scansChanged(+1);

    scheduler.advance(Duration.ofSeconds(5));

    // Longer than the 500 ms that a wrongly started build would wait for the scan before its chunk.
    assertStaysFalse(indexes::built, "no build beside a scanning search", Duration.ofMillis(1500));
    indexes.scansChanged(-1);
  }

  /** A build pauses up to 500 ms for a search that scans the file, then goes on. */
  @Test
  void aBuildBesideAScanningSearch_waitsForIt_butNotForever() throws InterruptedException {
    SearchIndexes indexes = reopenedWithMemories();
    indexes.scansChanged(+1);
    try {
      indexes.buildInBackground();

      assertStaysFalse(indexes::built, "the build waits for the scan", Duration.ofMillis(300));
      awaitTrue(indexes::built, "the build after its pause, the scan still running");
    } finally {
      indexes.scansChanged(-1);
    }
  }

  @Test
  void aSearchThatScanned_buildsTheVectorIndexASecondLater_thenTheKeywordIndexASecondAfter()
      throws InterruptedException {
    MemoryStore store = stores.store();
    store.create(NewMemory.of("apple note"));
    SearchIndexes indexes = SearchInternals.indexes(store);

    store.search(SearchQuery.builder("apple").mode(SearchMode.SEMANTIC).build());
    assertFalse(indexes.built(), "the search scanned the file");

    scheduler.advance(Duration.ofSeconds(1));
    awaitTrue(indexes::built, "the build that the search scheduled");
    assertNull(SearchInternals.awaitKeywordIndex(indexes, QUIET), "not before its delay");
    scheduler.advance(Duration.ofSeconds(1));
    assertNotNull(
        SearchInternals.awaitKeywordIndex(indexes, SHORT_WORK), "loaded after the search");
  }

  @Test
  void aSearchAfterTheBuild_loadsTheKeywordIndexASecondLater() throws InterruptedException {
    SearchIndexes indexes = reopenedWithMemories();
    scheduler.advance(Duration.ofSeconds(1));
    awaitTrue(indexes::built, "the build that opening scheduled");

    stores.store().search(SearchQuery.of("apple"));
    assertNull(SearchInternals.awaitKeywordIndex(indexes, QUIET), "not before its delay");
    scheduler.advance(Duration.ofSeconds(1));

    assertNotNull(SearchInternals.awaitKeywordIndex(indexes, SHORT_WORK));
  }

  @Test
  void aDisabledKeywordIndex_isNeverLoaded() throws InterruptedException {
    SearchIndexes indexes = reopenedWithMemories();
    indexes.disableKeywordIndex();
    scheduler.advance(Duration.ofSeconds(1));
    awaitTrue(indexes::built, "the build that opening scheduled");

    stores.store().search(SearchQuery.of("apple"));
    scheduler.advance(Duration.ofSeconds(5));

    assertNull(SearchInternals.awaitKeywordIndex(indexes, QUIET));
  }

  @Test
  void aStoreThatBuildsOnlyWhenNeeded_keepsScanningAfterASearch() throws InterruptedException {
    MemoryStore store = stores.store();
    store.create(NewMemory.of("apple note"));
    SearchIndexes indexes = SearchInternals.indexes(store);
    indexes.buildVectorIndexOnlyWhenNeeded();

    store.search(SearchQuery.builder("apple").mode(SearchMode.SEMANTIC).build());
    scheduler.advance(Duration.ofSeconds(5));

    assertStaysFalse(indexes::built, "no build in the background");
  }

  /** Waits for work on the store's own threads, which the manual scheduler does not run. */
  private static void awaitTrue(BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + SHORT_WORK.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what + " did not happen within " + SHORT_WORK);
      Thread.sleep(5);
    }
  }

  /**
   * Checks that a condition stays false while work that was wrongly started would have finished:
   * the builds here take milliseconds.
   */
  private static void assertStaysFalse(BooleanSupplier condition, String why)
      throws InterruptedException {
    assertStaysFalse(condition, why, QUIET);
  }

  private static void assertStaysFalse(BooleanSupplier condition, String why, Duration watched)
      throws InterruptedException {
    long deadline = System.nanoTime() + watched.toNanos();
    while (System.nanoTime() < deadline) {
      assertFalse(condition.getAsBoolean(), why);
      Thread.sleep(5);
    }
  }
}
