package dev.memstore.internal.store;

import dev.memstore.CircuitBreakerStatus;
import dev.memstore.Embeddings;
import dev.memstore.internal.embed.EmbeddingBacklog;
import dev.memstore.internal.embed.EmbeddingService;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.VectorStorage;
import dev.memstore.internal.write.Validator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The store's embedding model as the user sees it: its circuit breaker and backlog, and the stored
 * vectors.
 */
final class SqliteEmbeddings implements Embeddings {
  private final EmbeddingService service;
  private final EmbeddingBacklog backlog;
  private final Database database;
  private final Supplier<Instant> clock;

  SqliteEmbeddings(
      EmbeddingService service,
      EmbeddingBacklog backlog,
      Database database,
      Supplier<Instant> clock) {
    this.service = service;
    this.backlog = backlog;
    this.database = database;
    this.clock = clock;
  }

  @Override
  public Map<String, float[]> vectors(Collection<String> memoryIds) {
    Objects.requireNonNull(memoryIds, "memoryIds");
    List<String> ids = new ArrayList<>(memoryIds.size());
    for (String id : memoryIds) {
      ids.add(Validator.memoryId("memory_ids", id));
    }
    long now = clock.get().toEpochMilli();
    return database.read(connection -> VectorStorage.readLive(connection, ids, now));
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
