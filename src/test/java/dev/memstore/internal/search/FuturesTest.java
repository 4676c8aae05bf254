package dev.memstore.internal.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.InternalErrorException;
import dev.memstore.StorageException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** How a search waits for its helper tasks: their results, their failures, an interruption. */
class FuturesTest {
  @Test
  void await_returnsTheResult() {
    assertEquals("done", Futures.await(CompletableFuture.completedFuture("done")));
  }

  @Test
  void await_rethrowsARuntimeExceptionAsItWasThrown() {
    IllegalStateException thrown = new IllegalStateException("the helper failed");

    assertSame(
        thrown,
        assertThrows(
            IllegalStateException.class,
            () -> Futures.await(CompletableFuture.failedFuture(thrown))));
  }

  @Test
  void await_wrapsAnErrorAsAnInternalError() {
    AssertionError thrown = new AssertionError("a broken invariant");

    InternalErrorException failure =
        assertThrows(
            InternalErrorException.class,
            () -> Futures.await(CompletableFuture.failedFuture(thrown)));
    assertSame(thrown, failure.getCause());
  }

  @Test
  void await_interrupted_isAStorageError_andKeepsTheInterrupt() {
    Thread.currentThread().interrupt();
    try {
      assertThrows(StorageException.class, () -> Futures.await(new CompletableFuture<>()));
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
    } finally {
      Thread.interrupted();
    }
  }
}
