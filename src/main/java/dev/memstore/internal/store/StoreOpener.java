package dev.memstore.internal.store;

import dev.memstore.Embedder;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryStoreConfig;
import dev.memstore.StorageException;
import dev.memstore.internal.audit.AuditLog;
import dev.memstore.internal.background.Background;
import dev.memstore.internal.embed.BundledEmbedder;
import dev.memstore.internal.embed.Reembedder;
import dev.memstore.internal.storage.ContentKeys;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.Schema;
import dev.memstore.internal.storage.Sql;
import dev.memstore.internal.storage.VectorStorage;
import java.sql.Connection;

/** The one entry point from the public builder into the implementation. */
public final class StoreOpener {
  private StoreOpener() {}

  /** Opens the file, migrates it and checks that its vectors match the configured embedder. */
  public static MemoryStore open(MemoryStoreConfig config) {
    return openParts(config).store();
  }

  /**
   * An open store with the parts that the agent-scoped view over it uses: the audit trail it
   * records every operation in (written by the store, flushed at its close).
   */
  public record Opened(MemoryStore store, AuditLog auditLog) {}

  /** Opens the store as {@link #open} does, and returns it with its audit trail. */
  public static Opened openParts(MemoryStoreConfig config) {
    Background background =
        Background.of(config.scheduler(), config.clock(), config.path().getFileName().toString());
    Database database;
    try {
      database = Database.open(config, new Schema(), background);
    } catch (RuntimeException e) {
      background.close();
      throw e;
    }
    try {
      Embedder embedder = embedderOf(config, meta(database, "embedding_model"));
      if (!database.isReadOnly()) {
        database.write(connection -> recordModel(connection, embedder));
      }
      String fileModel = meta(database, "embedding_model");
      String fileDimension = meta(database, "embedding_dimension");
      int dimension = fileDimension == null ? DEFAULT_DIMENSION : Integer.parseInt(fileDimension);
      boolean otherModel =
          embedder != null
              && (dimension != embedder.dimension()
                  || (fileModel != null && !fileModel.equals(embedder.modelId())));
      if (otherModel && config.reembed() != null && !database.isReadOnly()) {
        new Reembedder(database, embedder, config.reembed()).run();
        dimension = embedder.dimension();
        fileModel = embedder.modelId();
      } else if (otherModel) {
        throw new StorageException(
            config.path()
                + " holds vectors of model "
                + (fileModel == null ? "(none yet)" : fileModel)
                + " with "
                + dimension
                + " dimensions; this store was opened with model "
                + embedder.modelId()
                + " ("
                + embedder.dimension()
                + " dimensions). Open it with the file's model, or move it to the new one with"
                + " reembedIfModelChanged (memctl reembed); vectors of different models are never mixed",
            null);
      }
      if (!database.isReadOnly()) {
        VectorStorage vectors = new VectorStorage(database.hasSqliteVec(), dimension);
        database.write(
            connection -> {
              vectors.reconcile(connection);
              ContentKeys.backfill(connection);
              return null;
            });
      }
      AuditLog auditLog =
          new AuditLog(database, background, config.clock(), config.auditRetention());
      return new Opened(
          new SqliteMemoryStore(
              config, database, background, auditLog, embedder, dimension, fileModel),
          auditLog);
    } catch (RuntimeException e) {
      database.close();
      background.close();
      throw e;
    }
  }

  /** The dimension of a new file's vectors when no embedder says otherwise: the default model's. */
  static final int DEFAULT_DIMENSION = 384;

  /**
   * Returns the embedder to use: the configured one, or when none is configured the file's own
   * model if it is a bundled one (so a tool such as memctl opens any file without knowing its
   * model), else the default model. A bundled model is not loaded until it is used.
   */
  static Embedder embedderOf(MemoryStoreConfig config, String fileModel) {
    if (config.embedder() != null) {
      return config.embedder();
    }
    String name = config.embeddingModel();
    if (name == null && fileModel != null) {
      // A model of the caller's own: without it this process cannot embed, so it stores without
      // vectors (embedded later by a process that has the model) and searches by keywords.
      name = BundledEmbedder.named(fileModel).isPresent() ? fileModel : "none";
    } else if (name == null) {
      name = BundledEmbedder.DEFAULT_MODEL;
    }
    String model = name;
    if (model.equals("none")) {
      return null;
    }
    Embedder bundled =
        BundledEmbedder.named(model)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown embedding model '"
                            + model
                            + "'; bundled models: "
                            + String.join(", ", BundledEmbedder.names())
                            + ", or none"));
    // At open, not at the first embedding: a host that left the model stack out learns it at once.
    BundledEmbedder.requireStack(model);
    return bundled;
  }

  /** A new file takes the embedder's model and dimension; a file that has them keeps them. */
  private static Void recordModel(Connection connection, Embedder embedder) {
    Sql.update(
        connection,
        "insert or ignore into store_meta (key, value) values ('embedding_dimension', ?)",
        String.valueOf(embedder == null ? DEFAULT_DIMENSION : embedder.dimension()));
    if (embedder != null
        && Sql.queryLong(
                connection,
                "select count(*) from store_meta where key = 'embedding_dimension' and value = ?",
                String.valueOf(embedder.dimension()))
            > 0) {
      Sql.update(
          connection,
          "insert or ignore into store_meta (key, value) values ('embedding_model', ?)",
          embedder.modelId());
    }
    return null;
  }

  private static String meta(Database database, String key) {
    return database.read(
        connection ->
            Sql.queryFirst(
                connection,
                "select value from store_meta where key = ?",
                row -> row.getString(1),
                key));
  }
}
