package dev.memstore.internal.embed;

import dev.memstore.Embedder;
import dev.memstore.ReembedProgress;
import dev.memstore.StorageException;
import dev.memstore.internal.storage.ContentFunctions;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.Sql;
import dev.memstore.internal.storage.Vectors;
import java.sql.Connection;
import java.util.List;
import java.util.function.Consumer;

/**
 * Moves a store's vectors to another embedding model, resumably.
 *
 * <p>New vectors collect in {@code memory_embeddings_next}, one committed batch at a time, so a run
 * that is killed keeps its work and the next run embeds only what is missing; the target model is
 * recorded, and a run for a different target starts over. Embedding happens outside transactions.
 * When every memory has a new vector, one transaction swaps them in, rebuilds the sqlite-vec table
 * in the new dimension and records the new model; until then the file is unchanged for every
 * reader.
 */
public final class Reembedder {
  private static final int BATCH = 64;

  private final Database database;
  private final Embedder embedder;
  private final Consumer<ReembedProgress> progress;

  public Reembedder(Database database, Embedder embedder, Consumer<ReembedProgress> progress) {
    this.database = database;
    this.embedder = embedder;
    this.progress = progress;
  }

  public void run() {
    String target = embedder.modelId() + "/" + embedder.dimension();
    database.write(
        connection -> {
          String recorded =
              Sql.queryFirst(
                  connection,
                  "select value from store_meta where key = 'reembed_target'",
                  row -> row.getString(1));
          if (!target.equals(recorded)) {
            Sql.execute(connection, "drop table if exists memory_embeddings_next");
            Sql.update(
                connection,
                "insert into store_meta (key, value) values ('reembed_target', ?)"
                    + " on conflict (key) do update set value = excluded.value",
                target);
          }
          Sql.execute(
              connection,
              "create table if not exists memory_embeddings_next ("
                  + " memory_seq integer primary key references memories (seq) on delete cascade,"
                  + " vector blob not null, sealed integer not null default 0)");
          if (Sql.queryLong(
                  connection,
                  "select count(*) from pragma_table_info('memory_embeddings_next')"
                      + " where name = 'sealed'")
              == 0) {
            // A run begun by a version before sealing: its table lacks the column.
            Sql.execute(
                connection,
                "alter table memory_embeddings_next add column sealed integer not null default 0");
          }
          return null;
        });
    while (true) {
      List<Object[]> batch =
          database.read(
              connection ->
                  Sql.query(
                      connection,
                      "select m.seq, "
                          + ContentFunctions.TEXT
                          + ", m.updated_at, m.id, m.sensitive from memories m where not exists"
                          + " (select 1 from memory_embeddings_next n where n.memory_seq = m.seq)"
                          + " and "
                          + ContentFunctions.READABLE
                          + " order by m.seq limit ?",
                      row ->
                          new Object[] {
                            row.getLong(1),
                            row.getString(2),
                            row.getLong(3),
                            row.getString(4),
                            row.getInt(5) != 0
                          },
                      BATCH));
      if (batch.isEmpty()) {
        break;
      }
      List<float[]> vectors;
      try {
        vectors = embedder.embedAll(batch.stream().map(row -> (String) row[1]).toList());
        for (float[] vector : vectors) {
          EmbeddingService.checkVector(vector, embedder.dimension());
        }
      } catch (RuntimeException e) {
        throw new StorageException(
            "re-embedding with "
                + embedder.modelId()
                + " failed; what was embedded is kept, open again to go on: "
                + e.getMessage(),
            e);
      }
      long[] counts =
          database.write(
              connection -> {
                for (int index = 0; index < batch.size(); index++) {
                  Object[] row = batch.get(index);
                  byte[] bytes = Vectors.toBytes(vectors.get(index));
                  boolean sealed = (Boolean) row[4];
                  // A memory changed since it was read is embedded again in a later batch.
                  Sql.update(
                      connection,
                      "insert into memory_embeddings_next (memory_seq, vector, sealed)"
                          + " select seq, ?, ? from memories where seq = ? and updated_at = ?",
                      sealed
                          ? ContentFunctions.codec(connection).sealVector((String) row[3], bytes)
                          : bytes,
                      sealed,
                      row[0],
                      row[2]);
                }
                return new long[] {
                  Sql.queryLong(connection, "select count(*) from memory_embeddings_next"),
                  Sql.queryLong(connection, "select count(*) from memories")
                };
              });
      progress.accept(new ReembedProgress(embedder.modelId(), counts[0], counts[1]));
    }
    database.write(
        connection -> {
          Sql.update(connection, "delete from memory_embeddings");
          Sql.update(
              connection,
              "insert into memory_embeddings (memory_seq, vector, sealed)"
                  + " select memory_seq, vector, sealed from memory_embeddings_next");
          Sql.execute(connection, "drop table memory_embeddings_next");
          Sql.update(
              connection,
              "insert into store_meta (key, value) values ('vector_table_stale', '1')"
                  + " on conflict (key) do update set value = '1'");
          setMeta(connection, "embedding_model", embedder.modelId());
          setMeta(connection, "embedding_dimension", String.valueOf(embedder.dimension()));
          Sql.update(connection, "delete from store_meta where key = 'reembed_target'");
          Sql.update(
              connection, "insert into memory_changes (memory_seq) select seq from memories");
          return null;
        });
  }

  private static void setMeta(Connection connection, String key, String value) {
    Sql.update(
        connection,
        "insert into store_meta (key, value) values (?, ?) on conflict (key) do update set value = excluded.value",
        key,
        value);
  }
}
