package dev.memstore.internal.search;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.SearchQuery;
import dev.memstore.testing.MemoryStoreExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The debug lines that say how large the indexes are and how long they took, for a user who turns
 * on debug logging to see where an open's time goes (System.Logger, here through
 * java.util.logging).
 */
class SearchIndexesLogTest {
  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withWordHashModel("word-hash", 32);

  private final Logger logger = Logger.getLogger(SearchIndexes.class.getName());
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Handler collector =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          lines.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void collect() {
    logger.setLevel(Level.FINE);
    logger.addHandler(collector);
  }

  @AfterEach
  void stop() {
    logger.removeHandler(collector);
    logger.setLevel(null);
  }

  @Test
  void buildAndLoad_sayHowManyMemoriesAndHowLong() throws InterruptedException {
    MemoryStore store = stores.store();
    for (int index = 0; index < 3; index++) {
      store.create(NewMemory.of("apple note " + index));
    }
    long start = System.nanoTime();
    store.search(SearchQuery.of("apple"));
    SearchIndexes indexes = SearchInternals.indexes(store);
    indexes.refresh();
    assertNotNull(SearchInternals.awaitKeywordIndex(indexes, Duration.ofMinutes(1)));

    assertTook("built the vector index of 3 memories in (\\d+) ms", start);
    assertTook("loaded the keyword index of 3 memories in (\\d+) ms", start);
  }

  /** The load logs just after it hands its index over, so the line may come a moment later. */
  private void assertTook(String line, long start) throws InterruptedException {
    Pattern pattern = Pattern.compile(line);
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    do {
      for (String logged : lines) {
        Matcher matcher = pattern.matcher(logged);
        if (matcher.matches()) {
          long millis = Long.parseLong(matcher.group(1));
          long mostMillis = (System.nanoTime() - start) / 1_000_000;
          assertTrue(millis <= mostMillis, logged + ", but the test saw " + mostMillis + " ms");
          return;
        }
      }
      Thread.sleep(5);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("no line like " + line + " in " + lines);
  }
}
