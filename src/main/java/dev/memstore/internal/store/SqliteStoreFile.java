package dev.memstore.internal.store;

import dev.memstore.MemoryFilter;
import dev.memstore.OptimizeReport;
import dev.memstore.ReadOnlyStoreException;
import dev.memstore.StoreActivity;
import dev.memstore.StoreFile;
import dev.memstore.StoreHealth;
import dev.memstore.StoreStats;
import dev.memstore.TransferReport;
import dev.memstore.internal.embed.EmbeddingBacklog;
import dev.memstore.internal.embed.EmbeddingService;
import dev.memstore.internal.events.Events;
import dev.memstore.internal.privacy.StaleCopies;
import dev.memstore.internal.search.RetrievalStats;
import dev.memstore.internal.storage.ActivityQueries;
import dev.memstore.internal.storage.ContentFunctions;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.ForgettingQueries;
import dev.memstore.internal.storage.Health;
import dev.memstore.internal.storage.MemoryCache;
import dev.memstore.internal.storage.MemoryQueries;
import dev.memstore.internal.storage.Sql;
import dev.memstore.internal.storage.StatsQueries;
import dev.memstore.internal.storage.VectorStorage;
import dev.memstore.internal.storage.Vectors;
import dev.memstore.internal.transfer.ScopedExport;
import dev.memstore.internal.transfer.Transfer;
import dev.memstore.internal.write.MemoryWrites;
import java.io.Reader;
import java.io.Writer;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * The store's file: statistics, the health check with its vector sample, repair, optimization,
 * export, import, backup and checkpoint. Each operation flushes pending access counts first where
 * it reads or copies them. Thread-safe.
 */
final class SqliteStoreFile implements StoreFile {
  private static final System.Logger LOG = System.getLogger(SqliteStoreFile.class.getName());

  private final Database database;
  private final MemoryWrites writes;
  private final VectorStorage vectors;
  private final EmbeddingService embeddings;
  private final EmbeddingBacklog backlog;
  private final String embeddingModel;
  private final int dimension;
  private final MemoryCache cache;
  private final RetrievalStats retrievals;
  private final Events events;
  private final Runnable noticeModelChange;

  /**
   * @param cache null when the store keeps none
   * @param noticeModelChange notes whether another process moved the file to another model
   */
  SqliteStoreFile(
      Database database,
      MemoryWrites writes,
      VectorStorage vectors,
      EmbeddingService embeddings,
      EmbeddingBacklog backlog,
      String embeddingModel,
      int dimension,
      MemoryCache cache,
      RetrievalStats retrievals,
      Events events,
      Runnable noticeModelChange) {
    this.database = database;
    this.writes = writes;
    this.vectors = vectors;
    this.embeddings = embeddings;
    this.backlog = backlog;
    this.embeddingModel = embeddingModel;
    this.dimension = dimension;
    this.cache = cache;
    this.retrievals = retrievals;
    this.events = events;
    this.noticeModelChange = noticeModelChange;
  }

  @Override
  public StoreStats stats() {
    long now = writes.now().toEpochMilli();
    RetrievalStats.Snapshot search = retrievals.snapshot();
    return database.read(
        connection ->
            StatsQueries.read(connection, database.path(), vectors.hasSqliteVec(), now)
                .embeddingModel(embeddingModel)
                .embeddingDimension(dimension)
                .cachedMemories(cache == null ? 0 : cache.size())
                .cacheHits(cache == null ? 0 : cache.stats().hitCount())
                .cacheMisses(cache == null ? 0 : cache.stats().missCount())
                .searches(search.count())
                .averageSearchScore(search.averageScore())
                .searchP50Millis(search.p50Millis())
                .searchP95Millis(search.p95Millis())
                .droppedEvents(events.dropped())
                .build());
  }

  @Override
  public StoreActivity activity() {
    long now = writes.now().toEpochMilli();
    return database.read(connection -> ActivityQueries.read(connection, now));
  }

  /** Returns the statistics of the memories the filter matches: what a scoped agent may see. */
  StoreStats stats(MemoryFilter within, Set<String> sessionUsers) {
    long now = writes.now().toEpochMilli();
    return database.read(
        connection ->
            StatsQueries.readWithin(
                    connection, database.path(), vectors.hasSqliteVec(), now, within, sessionUsers)
                .embeddingModel(embeddingModel)
                .embeddingDimension(dimension)
                .droppedEvents(events.dropped())
                .build());
  }

  @Override
  public StoreHealth health() {
    return health(false);
  }

  /** How many random memories' vectors a check embeds again: plain, and full. */
  static final int VECTOR_SAMPLE = 20;

  static final int FULL_VECTOR_SAMPLE = 500;

  /** The least cosine between a stored vector and its text embedded again by the file's model. */
  static final double SAME_VECTOR = 0.99;

  @Override
  public StoreHealth health(boolean full) {
    noticeModelChange.run();
    StoreHealth base = Health.check(database, vectors.hasSqliteVec(), embeddings.hasModel(), full);
    List<String> issues = new ArrayList<>(base.issues());
    boolean integrityOk = base.integrityOk();
    boolean vectorsOk = base.vectorsConsistent();
    if (integrityOk && !readableByExport()) {
      integrityOk = false;
      issues.add(
          "reading the memories as an export does failed: SQLite reports the file damaged."
              + " Restore it from a backup");
    }
    if (embeddings.movedTo() != null) {
      issues.add(embeddings.movedProblem());
    } else if (integrityOk) {
      long[] sampled = foreignVectors(full ? FULL_VECTOR_SAMPLE : VECTOR_SAMPLE, false);
      if (sampled[1] > 0) {
        vectorsOk = false;
        issues.add(
            sampled[1]
                + " of "
                + sampled[0]
                + " sampled memories have vectors that do not match the file's model "
                + embeddings.modelId()
                + " (embedded again, cosine below "
                + SAME_VECTOR
                + "); repair embeds them again");
      }
    }
    double score = integrityOk ? Math.max(0.2, 1 - 0.2 * issues.size()) : 0;
    return new StoreHealth(
        score,
        integrityOk,
        base.fullTextConsistent(),
        vectorsOk,
        base.memoriesWithoutEmbedding(),
        issues,
        integrityOk ? StaleCopies.warnings(database) : List.of());
  }

  /**
   * Whether every row an export reads can be read: quick_check does not compare indexes with their
   * tables, so a file it passes can still fail an export with SQLITE_CORRUPT. Runs the export
   * itself into nothing, so the two cannot disagree.
   */
  private boolean readableByExport() {
    try {
      transfer().export(Writer.nullWriter(), count -> {});
      return true;
    } catch (RuntimeException e) {
      // Damaged rows fail as SQLite errors, or as values no column may hold (an unknown type).
      LOG.log(Level.WARNING, "the health check could not read " + database.path(), e);
      return false;
    }
  }

  /**
   * Embeds again the text of up to {@code limit} random memories with a vector the store computed
   * (every one when {@code replace}; a vector the caller gave cannot be computed again) and
   * compares each with its stored vector; with {@code replace}, writes the new vector where they
   * differ. Returns how many were compared and how many differed; nothing when this store has no
   * model or it is unavailable.
   */
  private long[] foreignVectors(int limit, boolean replace) {
    long compared = 0;
    long differing = 0;
    if (!embeddings.hasModel()) {
      return new long[] {0, 0};
    }
    long after = 0;
    while (true) {
      long from = after;
      List<Object[]> rows =
          database.read(
              connection ->
                  Sql.query(
                      connection,
                      "select m.seq, "
                          + ContentFunctions.TEXT
                          + ", e.vector, m.updated_at from memories m join"
                          + " memory_embeddings e on e.memory_seq = m.seq where m.seq > ?"
                          + " and e.sealed = 0 and e.given = 0"
                          + (replace ? " order by m.seq" : " order by random()")
                          + " limit ?",
                      row ->
                          new Object[] {
                            row.getLong(1), row.getString(2), row.getBytes(3), row.getLong(4)
                          },
                      from,
                      replace ? EmbeddingBacklog.BATCH : limit));
      if (rows.isEmpty()) {
        break;
      }
      List<float[]> computed =
          embeddings.embedAll(rows.stream().map(row -> (String) row[1]).toList());
      if (computed == null) {
        break;
      }
      List<Integer> different = new ArrayList<>();
      for (int index = 0; index < rows.size(); index++) {
        float[] stored = Vectors.fromBytes((byte[]) rows.get(index)[2]);
        if (stored.length != computed.get(index).length
            || Vectors.cosine(stored, computed.get(index)) < SAME_VECTOR) {
          different.add(index);
        }
      }
      compared += rows.size();
      differing += different.size();
      if (!replace) {
        break;
      }
      if (!different.isEmpty()) {
        database.write(
            connection -> {
              for (int index : different) {
                Object[] row = rows.get(index);
                // A memory changed since it was read gets its vector from its own write.
                if (Sql.queryLong(
                            connection,
                            "select count(*) from memories where seq = ? and updated_at = ?",
                            row[0],
                            row[3])
                        == 1
                    && vectors.write(connection, (Long) row[0], computed.get(index), false)) {
                  MemoryQueries.logChange(connection, (Long) row[0]);
                }
              }
              return null;
            });
      }
      after = (Long) rows.get(rows.size() - 1)[0];
    }
    return new long[] {compared, differing};
  }

  @Override
  public TransferReport exportTo(Writer out, LongConsumer progress) {
    Objects.requireNonNull(out, "out");
    writes.accessLog().flush();
    return transfer().export(out, progress == null ? count -> {} : progress);
  }

  /** Exports the memories the filter matches: what a scoped agent may take out. */
  TransferReport exportTo(Writer out, LongConsumer progress, MemoryFilter within) {
    Objects.requireNonNull(out, "out");
    writes.accessLog().flush();
    return ScopedExport.export(
        database, transfer(), out, progress == null ? count -> {} : progress, within);
  }

  @Override
  public TransferReport importFrom(
      Reader in, boolean skipBadLines, boolean allowForgotten, LongConsumer progress) {
    Objects.requireNonNull(in, "in");
    if (database.isReadOnly()) {
      throw new ReadOnlyStoreException(
          database.path() + " is open read-only; nothing was imported", null);
    }
    TransferReport report =
        transfer()
            .importFrom(
                in, skipBadLines, allowForgotten, progress == null ? count -> {} : progress);
    if (report.awaitingEmbedding() == 0) {
      return report;
    }
    // Embedded now, not by the backlog: memctl import closes the store as soon as this returns,
    // and a memory without a vector is invisible to semantic search.
    if (embeddings.hasModel()) {
      backlog.embedPending();
    }
    long awaiting =
        database.read(
            connection ->
                Sql.queryLong(
                    connection,
                    "select count(*) from memories m where not exists"
                        + " (select 1 from memory_embeddings e where e.memory_seq = m.seq)"));
    return new TransferReport(
        report.sessions(),
        report.memories(),
        report.relationships(),
        report.contextGroups(),
        report.skippedLines(),
        Math.min(report.awaitingEmbedding(), awaiting),
        report.forgottenRefused());
  }

  private Transfer transfer() {
    return new Transfer(database, vectors, embeddingModel, dimension, writes.validator());
  }

  @Override
  public StoreHealth repair() {
    if (database.isReadOnly()) {
      throw new ReadOnlyStoreException(
          database.path() + " is open read-only; nothing was repaired", null);
    }
    StoreHealth before = health();
    if (!before.integrityOk()) {
      return before;
    }
    Health.rebuildIndexes(database, vectors);
    backlog.embedPending();
    if (embeddings.movedTo() == null) {
      // Every vector, not a sample first: a sample of 20 misses a few foreign vectors among many.
      foreignVectors(Integer.MAX_VALUE, true);
    }
    return health();
  }

  @Override
  public OptimizeReport optimize(boolean forceVacuum) {
    if (database.isReadOnly()) {
      throw new ReadOnlyStoreException(
          database.path() + " is open read-only; nothing was optimized", null);
    }
    writes.accessLog().flush();
    return Health.optimize(database, forceVacuum);
  }

  @Override
  public void backup(Path target) {
    Objects.requireNonNull(target, "target");
    writes.accessLog().flush();
    database.backup(target);
    if (!database.isReadOnly()) {
      // Recorded, so that health can warn when the copy holds memories forgotten later.
      String path = target.toAbsolutePath().normalize().toString();
      long madeAt = writes.now().toEpochMilli();
      database.write(
          connection -> {
            ForgettingQueries.recordBackup(connection, path, madeAt);
            return null;
          });
    }
  }

  @Override
  public void checkpoint() {
    writes.accessLog().flush();
    if (!database.isReadOnly() && !database.checkpoint()) {
      throw Sql.busy(
          "the write-ahead log of "
              + database.path()
              + " could not be folded into the file: another connection kept reading it, or"
              + " checkpointing it, for longer than the busy timeout. Nothing was lost, and the"
              + " store folds it later on its own; retry, or raise busyTimeout");
    }
  }
}
