package dev.memstore.internal.store;

import dev.memstore.CircuitBreakerStatus;
import dev.memstore.Embeddings;
import dev.memstore.internal.embed.EmbeddingBacklog;
import dev.memstore.internal.embed.EmbeddingService;

/** The store's embedding model as the user sees it: its circuit breaker and backlog. */
final class SqliteEmbeddings implements Embeddings {
  private final EmbeddingService service;
  private final EmbeddingBacklog backlog;

  SqliteEmbeddings(EmbeddingService service, EmbeddingBacklog backlog) {
    this.service = service;
    this.backlog = backlog;
  }

  @Override
  public CircuitBreakerStatus circuitBreaker() {
    return service.status();
  }

  @Override
  public void resetCircuitBreaker() {
    service.reset();
  }

  @Override
  public int embedPending() {
    return backlog.embedPending();
  }
}
