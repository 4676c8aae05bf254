package dev.memstore;

/**
 * The embedding model of a {@link MemoryStore} as the store guards it: the circuit breaker that
 * stops calling a failing model, and the backlog of memories stored without a vector while it
 * failed. Obtained from {@link MemoryStore#embeddings()}.
 *
 * <p>Thread-safe, like the store it views; the view stays usable for as long as the store is open.
 */
public interface Embeddings {

  /** Returns the state of the circuit breaker that guards the embedding model. */
  CircuitBreakerStatus circuitBreaker();

  /** Closes the circuit breaker at once, so the next call reaches the embedding model. */
  void resetCircuitBreaker();

  /**
   * Embeds every memory that has no embedding yet (stored while the model was failing); the store
   * also does this by itself in the background. Stops early when the model fails again. Does
   * nothing on a store without a model, open read-only, or whose file another process moved to
   * another model.
   *
   * @return how many memories were embedded
   * @throws StorageException if the file fails
   */
  int embedPending();
}
