package dev.memstore.internal.access;

import dev.memstore.CircuitBreakerStatus;
import dev.memstore.Embeddings;
import dev.memstore.internal.access.Guard.Kind;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The embedding model's state as one agent sees it: reading it needs the read right, acting on it
 * the admin right. Thread-safe.
 */
final class AgentEmbeddings implements Embeddings {
  private final Guard guard;
  private final Embeddings embeddings;

  AgentEmbeddings(Guard guard, Embeddings embeddings) {
    this.guard = guard;
    this.embeddings = embeddings;
  }

  @Override
  public CircuitBreakerStatus circuitBreaker() {
    return guard.run(
        "get_circuit_breaker_status", Kind.READ, embeddings::circuitBreaker, Guard::none);
  }

  @Override
  public void resetCircuitBreaker() {
    guard.run(
        "reset_circuit_breaker",
        Kind.ADMIN_WRITE,
        () -> {
          embeddings.resetCircuitBreaker();
          return null;
        },
        Guard::none);
  }

  @Override
  public int embedPending() {
    return guard.run("embed_pending", Kind.ADMIN_WRITE, embeddings::embedPending, Guard::none);
  }

  @Override
  public Map<String, float[]> vectors(Collection<String> memoryIds) {
    Objects.requireNonNull(memoryIds, "memoryIds");
    List<String> ids = List.copyOf(memoryIds);
    return guard.run(
        "read_vectors",
        Kind.READ,
        ids,
        () -> embeddings.vectors(ids),
        vectors -> List.copyOf(vectors.keySet()));
  }
}
