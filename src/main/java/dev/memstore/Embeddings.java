package dev.memstore;

import java.util.Collection;
import java.util.Map;

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

  /**
   * Returns the embeddings stored for the memories among the ids, by id, as they were computed or
   * given on create: for a caller that keeps vectors of its own (such as a vector store adapter). A
   * memory that does not exist or expired, one still waiting for its embedding, and a sealed one
   * when the store was opened without its key are left out.
   *
   * @throws ValidationException if an id is not a memory id
   * @throws StorageException if the file fails
   */
  Map<String, float[]> vectors(Collection<String> memoryIds);
}
