package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.SwitchableEmbedder;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The breaker in front of the embedding model, driven by a model that fails on demand. */
class CircuitBreakerTest {
  private final SwitchableEmbedder model = new SwitchableEmbedder("switchable-test-model", true);

  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withEmbedder(() -> model)
          .startingAt(Instant.parse("2026-01-01T12:00:00Z"));

  @Test
  void resetCircuitBreaker_openBreaker_closesAtOnceAndTheNextWriteReachesTheModel() {
    MemoryStore store = stores.store();
    for (int index = 0; index < 3; index++) {
      store.create(NewMemory.of("note " + index));
    }
    CircuitBreakerStatus open = store.embeddings().circuitBreaker();
    assertEquals(CircuitBreakerStatus.State.OPEN, open.state());
    assertEquals(3, open.consecutiveFailures());
    model.failing.set(false);
    int callsWhenOpened = model.calls.get();
    store.create(NewMemory.of("while open"));
    assertEquals(callsWhenOpened, model.calls.get(), "an open breaker keeps the model untouched");

    store.embeddings().resetCircuitBreaker();

    CircuitBreakerStatus reset = store.embeddings().circuitBreaker();
    assertEquals(CircuitBreakerStatus.State.CLOSED, reset.state());
    assertEquals(0, reset.consecutiveFailures());
    assertNull(reset.openedAt());
    assertNull(reset.retryAt());
    // No time has passed: only the reset lets this write reach the model.
    store.create(NewMemory.of("after the reset"));
    assertEquals(callsWhenOpened + 1, model.calls.get());
    assertEquals(1, store.file().stats().embeddedMemories());
  }
}
