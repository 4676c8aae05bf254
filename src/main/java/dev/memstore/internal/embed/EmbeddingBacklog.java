package dev.memstore.internal.embed;

import static dev.memstore.internal.storage.StatsQueries.DEGRADED_KEY;

import dev.memstore.internal.background.Background;
import dev.memstore.internal.storage.ContentFunctions;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.MemoryQueries;
import dev.memstore.internal.storage.Sql;
import dev.memstore.internal.storage.VectorStorage;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The memories stored without a vector while the embedding model failed, and the background run
 * that embeds them once the circuit breaker lets calls through again. The reason the model failed
 * is recorded in the file, so that {@code stats} in any process can report it.
 *
 * <p>Thread-safe: writes and the background run may embed at the same time; each vector is written
 * only when its memory's text is still the one embedded.
 */
public final class EmbeddingBacklog {
  private static final System.Logger LOG = System.getLogger(EmbeddingBacklog.class.getName());

  /** How many memories one round of the backlog embeds. */
  public static final int BATCH = 64;

  private final Database database;
  private final Background background;
  private final EmbeddingService embeddings;
  private final VectorStorage vectors;
  private final InstantSource clock;
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** The reason this process last recorded, so that a run of failed writes records it once. */
  private volatile String recordedDegradation;

  public EmbeddingBacklog(
      Database database,
      Background background,
      EmbeddingService embeddings,
      VectorStorage vectors,
      InstantSource clock) {
    this.background = background;
    this.database = database;
    this.embeddings = embeddings;
    this.vectors = vectors;
    this.clock = clock;
  }

  /** Returns the texts' vectors, or null when the model failed: the backlog embeds them later. */
  public List<float[]> embedOrDefer(List<String> texts) {
    List<float[]> computed = embeddings.embedAll(texts);
    if (computed == null) {
      recordDegradation(embeddings.lastFailure());
      schedule();
    }
    return computed;
  }

  /**
   * Embeds every memory without a vector, in rounds of {@link #BATCH}; stops early when the model
   * fails again. Returns how many it embedded.
   */
  public int embedPending() {
    if (!embeddings.hasModel() || embeddings.movedTo() != null || database.isReadOnly()) {
      return 0;
    }
    int embedded = 0;
    while (true) {
      List<Object[]> pending =
          database.read(
              connection ->
                  Sql.query(
                      connection,
                      "select m.seq, "
                          + ContentFunctions.TEXT
                          + ", m.updated_at from memories m where not exists"
                          + " (select 1 from memory_embeddings e where e.memory_seq = m.seq)"
                          + " and "
                          + ContentFunctions.READABLE
                          + " order by m.seq limit ?",
                      row -> new Object[] {row.getLong(1), row.getString(2), row.getLong(3)},
                      BATCH));
      if (pending.isEmpty()) {
        return embedded;
      }
      List<float[]> computed =
          embeddings.embedAll(pending.stream().map(row -> (String) row[1]).toList());
      if (computed == null) {
        recordDegradation(embeddings.lastFailure());
        schedule();
        return embedded;
      }
      if (embedded == 0) {
        clearDegradation();
      }
      embedded +=
          database.write(
              connection -> {
                int written = 0;
                for (int index = 0; index < pending.size(); index++) {
                  Object[] row = pending.get(index);
                  // Skip a memory whose text changed since it was read: its vector would describe
                  // the old text.
                  if (Sql.queryLong(
                          connection,
                          "select count(*) from memories where seq = ? and updated_at = ?",
                          row[0],
                          row[2])
                      == 1) {
                    if (vectors.write(connection, (Long) row[0], computed.get(index), false)) {
                      MemoryQueries.logChange(connection, (Long) row[0]);
                      written++;
                    }
                  }
                }
                return written;
              });
    }
  }

  /**
   * Records in the file why the model failed, for {@code stats} in any process ({@code memctl
   * stats}); the next write whose memories the model embeds clears it.
   */
  private void recordDegradation(String reason) {
    if (reason == null || database.isReadOnly() || reason.equals(recordedDegradation)) {
      return;
    }
    database.write(
        connection ->
            Sql.update(
                connection,
                "insert or replace into store_meta (key, value) values (?, ?)",
                DEGRADED_KEY,
                reason));
    recordedDegradation = reason;
  }

  private void clearDegradation() {
    if (database.isReadOnly()) {
      return;
    }
    database.write(
        connection -> Sql.update(connection, "delete from store_meta where key = ?", DEGRADED_KEY));
    recordedDegradation = null;
  }

  /** Runs the backlog once the breaker lets calls through again. */
  private void schedule() {
    if (embeddings.movedTo() != null || !scheduled.compareAndSet(false, true)) {
      return;
    }
    Duration wait = Duration.between(clock.instant(), embeddings.nextAttempt());
    background.runLater(
        "embed-backlog",
        () -> {
          scheduled.set(false);
          try {
            embedPending();
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "embedding the backlog failed; retrying later", e);
            schedule();
          }
        },
        wait.isNegative() ? Duration.ofSeconds(1) : wait.plusSeconds(1));
  }
}
