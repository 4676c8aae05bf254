package dev.memstore.internal.store;

import dev.memstore.Embedder;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryStoreConfig;
import dev.memstore.StorageException;
import dev.memstore.internal.embed.BundledEmbedder;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.Schema;
import dev.memstore.internal.storage.Sql;
import java.sql.Connection;

/** The one entry point from the public builder into the implementation. */
public final class StoreOpener {
  private StoreOpener() {}

  /** Opens the file, migrates it and checks that its vectors match the configured embedder. */
  public static MemoryStore open(MemoryStoreConfig config) {
    Database database = Database.open(config, new Schema());
    try {
      if (!database.isReadOnly()) {
        database.write(connection -> recordModel(connection, config));
      }
      String fileModel = meta(database, "embedding_model");
      String fileDimension = meta(database, "embedding_dimension");
      int dimension = fileDimension == null ? DEFAULT_DIMENSION : Integer.parseInt(fileDimension);
      Embedder embedder = embedderOf(config);
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
              return null;
            });
      }
      return new SqliteMemoryStore(config, database, embedder, dimension, fileModel);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /** The dimension of a new file's vectors when no embedder says otherwise: the default model's. */
  static final int DEFAULT_DIMENSION = 384;

  /** Returns the configured embedder: a custom one, a bundled model (not loaded yet), or none. */
  static Embedder embedderOf(MemoryStoreConfig config) {
    if (config.embedder() != null) {
      return config.embedder();
    }
    String name =
        config.embeddingModel() == null ? BundledEmbedder.DEFAULT_MODEL : config.embeddingModel();
    if (name.equals("none")) {
      return null;
    }
    return BundledEmbedder.named(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown embedding model '"
                        + name
                        + "'; bundled models: "
                        + String.join(", ", BundledEmbedder.names())
                        + ", or none"));
  }

  /** A new file takes the embedder's model and dimension; a file that has them keeps them. */
  private static Void recordModel(Connection connection, MemoryStoreConfig config) {
    Embedder embedder = embedderOf(config);
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
