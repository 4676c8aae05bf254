package dev.memstore.internal.search;

import dev.memstore.InternalErrorException;
import dev.memstore.StorageException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waits for the search side's helper tasks, rethrowing their failures as the store's own. */
final class Futures {
  private Futures() {}

  /** Returns the task's result; its runtime exception is rethrown as it was thrown. */
  static <T> T await(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while waiting for a search helper task", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new InternalErrorException("a search helper task failed", e.getCause());
    }
  }
}
