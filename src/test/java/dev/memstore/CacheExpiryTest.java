package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The cache's expiry after the last read, driven by the store's clock instead of sleeping. */
class CacheExpiryTest {
  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withWordHashModel("cache-test-model", 16)
          .startingAt(Instant.parse("2026-01-01T12:00:00Z"))
          .configure(builder -> builder.cacheExpiry(Duration.ofMinutes(10)));

  @Test
  void get_afterCacheExpiryWithoutReads_readsFromTheFileAgain() {
    MutableClock clock = stores.clock();
    MemoryStore store = stores.store();
    Memory memory = store.create(NewMemory.of("The spare key is under the flower pot"));
    store.get(memory.id());
    StoreStats cached = store.file().stats();

    clock.advance(Duration.ofMinutes(9));
    store.get(memory.id());
    StoreStats beforeExpiry = store.file().stats();
    assertEquals(cached.cacheHits() + 1, beforeExpiry.cacheHits(), "still cached");
    assertEquals(cached.cacheMisses(), beforeExpiry.cacheMisses());

    // Each read restarts the expiry: nine minutes later it is still there.
    clock.advance(Duration.ofMinutes(9));
    store.get(memory.id());
    StoreStats read = store.file().stats();
    assertEquals(beforeExpiry.cacheHits() + 1, read.cacheHits(), "expiry counts from the read");

    clock.advance(Duration.ofMinutes(11));
    Memory reloaded = store.get(memory.id());
    StoreStats expired = store.file().stats();
    assertEquals(read.cacheHits(), expired.cacheHits());
    assertEquals(read.cacheMisses() + 1, expired.cacheMisses(), "expired, read from the file");
    assertEquals(memory.content(), reloaded.content());
  }
}
