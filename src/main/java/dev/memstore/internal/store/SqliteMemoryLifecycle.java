package dev.memstore.internal.store;

import dev.memstore.ConsolidationReport;
import dev.memstore.LearnedInteraction;
import dev.memstore.MaintenanceReport;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryLifecycle;
import dev.memstore.MemoryStoreConfig;
import dev.memstore.ReadOnlyStoreException;
import dev.memstore.Summary;
import dev.memstore.internal.lifecycle.Consolidator;
import dev.memstore.internal.lifecycle.Lifecycle;
import dev.memstore.internal.lifecycle.Maintenance;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.write.AccessLog;
import dev.memstore.internal.write.MemoryWrites;
import dev.memstore.internal.write.Validator;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The store's lifecycle operations: checks arguments and the read-only mode, flushes pending access
 * counts where the operation reads them, and hands over to {@code internal.lifecycle}. Thread-safe.
 */
final class SqliteMemoryLifecycle implements MemoryLifecycle {
  private final MemoryStoreConfig config;
  private final Database database;
  private final MemoryWrites writes;
  private final Maintenance maintenance;
  private final Lifecycle lifecycle;
  private final Consolidator consolidator;
  private final String embeddingModel;

  SqliteMemoryLifecycle(
      MemoryStoreConfig config,
      Database database,
      MemoryWrites writes,
      Maintenance maintenance,
      Lifecycle lifecycle,
      Consolidator consolidator,
      String embeddingModel) {
    this.config = config;
    this.database = database;
    this.writes = writes;
    this.maintenance = maintenance;
    this.lifecycle = lifecycle;
    this.consolidator = consolidator;
    this.embeddingModel = embeddingModel;
  }

  @Override
  public MaintenanceReport runMaintenance() {
    if (database.isReadOnly()) {
      throw new ReadOnlyStoreException(
          database.path() + " is open read-only; maintenance writes, so it did not run", null);
    }
    accessLog().flush();
    return maintenance.run(writes.now());
  }

  @Override
  public List<String> cleanup(
      MemoryFilter filter,
      Duration maxAgeOrNull,
      Double minImportanceOrNull,
      Long maxAccessCountOrNull,
      boolean dryRun) {
    Objects.requireNonNull(filter, "filter");
    if (!dryRun && database.isReadOnly()) {
      throw new ReadOnlyStoreException(
          database.path() + " is open read-only; nothing was deleted", null);
    }
    if (!database.isReadOnly()) {
      accessLog().flush();
    }
    return lifecycle.cleanup(
        filter, maxAgeOrNull, minImportanceOrNull, maxAccessCountOrNull, dryRun);
  }

  @Override
  public Summary summarize(MemoryFilter filter) {
    Objects.requireNonNull(filter, "filter");
    return lifecycle.summarize(filter);
  }

  @Override
  public LearnedInteraction learnFromInteraction(
      String userInput, String assistantResponseOrNull, String sessionIdOrNull, Double feedback) {
    if (sessionIdOrNull != null) {
      Validator.sessionId("session_id", sessionIdOrNull);
    }
    return lifecycle.learn(userInput, assistantResponseOrNull, sessionIdOrNull, feedback);
  }

  @Override
  public ConsolidationReport consolidate(
      Duration windowOrNull, Double thresholdOrNull, boolean dryRun) {
    double threshold =
        thresholdOrNull != null
            ? thresholdOrNull
            : config.consolidationThreshold() != null
                ? config.consolidationThreshold()
                : Consolidator.defaultThreshold(embeddingModel);
    Duration window = windowOrNull != null ? windowOrNull : config.consolidationWindow();
    if (!dryRun && database.isReadOnly()) {
      throw new ReadOnlyStoreException(
          database.path() + " is open read-only; nothing was consolidated", null);
    }
    return consolidator.consolidate(threshold, window, dryRun);
  }

  @Override
  public Memory restoreFact(String memoryId) {
    if (database.isReadOnly()) {
      throw new ReadOnlyStoreException(
          database.path() + " is open read-only; the fact was not restored", null);
    }
    return lifecycle.restoreFact(memoryId);
  }

  private AccessLog accessLog() {
    return writes.accessLog();
  }
}
