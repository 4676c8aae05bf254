package dev.memstore.internal.store;

import dev.memstore.MemoryStore;
import dev.memstore.MemoryStoreConfig;
import dev.memstore.StorageException;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.Schema;
import dev.memstore.internal.storage.Sql;

/** The one entry point from the public builder into the implementation. */
public final class StoreOpener {
  private StoreOpener() {}

  /** Opens the file, migrates it and checks that its vectors match the configured embedder. */
  public static MemoryStore open(MemoryStoreConfig config) {
    int dimension =
        config.embedder() == null ? Schema.DEFAULT_DIMENSION : config.embedder().dimension();
    Database database = Database.open(config, new Schema(dimension));
    try {
      int fileDimension =
          Integer.parseInt(
              database.read(
                  connection ->
                      Sql.queryFirst(
                          connection,
                          "select value from store_meta where key = 'embedding_dimension'",
                          row -> row.getString(1))));
      String fileModel =
          database.read(
              connection ->
                  Sql.queryFirst(
                      connection,
                      "select value from store_meta where key = 'embedding_model'",
                      row -> row.getString(1)));
      if (config.embedder() != null) {
        String model = config.embedder().modelId();
        if (fileDimension != config.embedder().dimension()
            || (fileModel != null && !fileModel.equals(model))) {
          throw new StorageException(
              config.path()
                  + " holds vectors of model "
                  + (fileModel == null ? "(none yet)" : fileModel)
                  + " with "
                  + fileDimension
                  + " dimensions; this store was opened with model "
                  + model
                  + " ("
                  + config.embedder().dimension()
                  + " dimensions). Open it with the file's model;"
                  + " vectors of different models are never mixed",
              null);
        }
        if (fileModel == null && !database.isReadOnly()) {
          database.write(
              connection ->
                  Sql.update(
                      connection,
                      "insert into store_meta (key, value) values ('embedding_model', ?)",
                      model));
        }
      }
      return new SqliteMemoryStore(config, database, fileDimension, fileModel);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }
}
