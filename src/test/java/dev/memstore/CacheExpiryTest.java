package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.memstore.testing.MutableClock;
import dev.memstore.testing.WordHashEmbedder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache's expiry after the last read, driven by the store's clock instead of sleeping. */
class CacheExpiryTest {
  @TempDir Path folder;

  @Test
  void get_afterCacheExpiryWithoutReads_readsFromTheFileAgain() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T12:00:00Z"));
    try (MemoryStore store =
        MemoryStore.builder(folder.resolve("memory.db"))
            .embedder(new WordHashEmbedder("cache-test-model", 16, 0))
            .clock(clock)
            .cacheExpiry(Duration.ofMinutes(10))
            .build()) {
      Memory memory = store.create(NewMemory.of("The spare key is under the flower pot"));
      store.get(memory.id());
      StoreStats cached = store.stats();

      clock.advance(Duration.ofMinutes(9));
      store.get(memory.id());
      StoreStats beforeExpiry = store.stats();
      assertEquals(cached.cacheHits() + 1, beforeExpiry.cacheHits(), "still cached");
      assertEquals(cached.cacheMisses(), beforeExpiry.cacheMisses());

      // Each read restarts the expiry: nine minutes later it is still there.
      clock.advance(Duration.ofMinutes(9));
      store.get(memory.id());
      StoreStats read = store.stats();
      assertEquals(beforeExpiry.cacheHits() + 1, read.cacheHits(), "expiry counts from the read");

      clock.advance(Duration.ofMinutes(11));
      Memory reloaded = store.get(memory.id());
      StoreStats expired = store.stats();
      assertEquals(read.cacheHits(), expired.cacheHits());
      assertEquals(read.cacheMisses() + 1, expired.cacheMisses(), "expired, read from the file");
      assertEquals(memory.content(), reloaded.content());
    }
  }
}
