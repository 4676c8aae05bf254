package dev.memstore.internal.storage;

import dev.memstore.PermissionDeniedException;
import dev.memstore.ValidationException;
import dev.memstore.internal.codec.ContentCodec;
import dev.memstore.internal.codec.StoreKey;
import java.sql.Connection;
import java.util.List;

/**
 * Moves every sealed memory (content and vector) from the store key to a new one, in committed
 * batches. Resumable: {@code store_meta} records the new key's id ({@link Sealing#NEXT_KEY_ID})
 * before the first batch, each blob's header names the key it is under, so a run interrupted (even
 * killed) leaves some rows under each key, and a new run with both keys re-seals only the rest.
 * While a rotation is unfinished the store opens with either key and reads what that key sealed.
 */
public final class KeyRotation {
  /** Memories re-sealed per transaction. */
  static final int BATCH = 200;

  // A test hook: how many batches a rotation commits before it stops as if killed (0: no limit).
  private static volatile int stopAfterBatches;
  private static volatile int batchSize = BATCH;

  private KeyRotation() {}

  /**
   * Makes rotations stop, as if the process were killed, after {@code batches} committed batches of
   * {@code size} memories; 0 batches for no limit. For tests of resuming.
   */
  public static void stopAfterBatchesForTests(int batches, int size) {
    stopAfterBatches = batches;
    batchSize = size;
  }

  /** A rotation stopped by the test hook. */
  public static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped() {
      super("the key rotation stopped after the batches the test allowed");
    }
  }

  /**
   * Re-seals every sealed memory under {@code newKey} and makes it the store's key; returns how
   * many memories were re-sealed by this run.
   *
   * @throws PermissionDeniedException when the store was opened without its key
   */
  public static long rotate(Database database, StoreKey newKey) {
    ContentCodec codec = database.codec();
    if (!codec.canSeal()) {
      throw new PermissionDeniedException(
          null,
          "rotate the key",
          "this store was opened without its key; open it with the current key file to rotate");
    }
    database.write(
        connection -> {
          String recorded = Sealing.meta(connection, Sealing.KEY_ID);
          String next = Sealing.meta(connection, Sealing.NEXT_KEY_ID);
          if (next != null && !next.equals(newKey.id())) {
            throw new ValidationException(
                "new_key_file",
                "a rotation to another key (id "
                    + next
                    + ") is unfinished; finish it with that key file first");
          }
          if (recorded == null) {
            // Nothing sealed yet: the new key simply becomes the store's.
            return null;
          }
          if (next == null && !recorded.equals(newKey.id())) {
            Sql.update(
                connection,
                "insert into store_meta (key, value) values (?, ?)",
                Sealing.NEXT_KEY_ID,
                newKey.id());
          }
          return null;
        });
    codec.sealWith(newKey);
    long resealed = 0;
    int batches = 0;
    while (true) {
      int limit = batchSize;
      int done = database.write(connection -> resealBatch(connection, codec, newKey, limit));
      if (done == 0) {
        break;
      }
      resealed += done;
      batches++;
      if (stopAfterBatches > 0 && batches >= stopAfterBatches) {
        throw new Stopped();
      }
    }
    database.write(
        connection -> {
          if (resealBatch(connection, codec, newKey, Integer.MAX_VALUE) > 0) {
            throw new IllegalStateException("memories were sealed under the old key meanwhile");
          }
          Sql.update(
              connection,
              "insert into store_meta (key, value) values (?, ?)"
                  + " on conflict (key) do update set value = excluded.value",
              Sealing.KEY_ID,
              newKey.id());
          Sql.update(connection, "delete from store_meta where key = ?", Sealing.NEXT_KEY_ID);
          return null;
        });
    codec.keepOnlySealingKey();
    database.checkpoint();
    return resealed;
  }

  /** Re-seals up to {@code limit} memories not under the new key yet; returns how many. */
  private static int resealBatch(
      Connection connection, ContentCodec codec, StoreKey newKey, int limit) {
    List<Object[]> rows =
        Sql.query(
            connection,
            "select seq, id, content, content_encoding from memories"
                + " where sensitive and lower(hex(substr(content, 2, 8))) != ? limit ?",
            row -> new Object[] {row.getLong(1), row.getString(2), row.getBytes(3), row.getInt(4)},
            newKey.id(),
            limit);
    for (Object[] row : rows) {
      String id = (String) row[1];
      ContentCodec.Opened opened = codec.open(id, (byte[]) row[2], (Integer) row[3]);
      if (opened == null) {
        throw new PermissionDeniedException(
            null,
            "rotate the key",
            "memory "
                + id
                + " is sealed with key "
                + ContentCodec.keyIdOf((byte[]) row[2])
                + ", which this store was not opened with");
      }
      ContentCodec.Encoded encoded = codec.encode(id, opened.text(), opened.metadata(), true);
      Sql.update(
          connection,
          "update memories set content = ?, content_encoding = ? where seq = ?",
          encoded.content(),
          encoded.encoding(),
          row[0]);
      byte[] vector =
          Sql.queryFirst(
              connection,
              "select vector from memory_embeddings where memory_seq = ? and sealed",
              result -> result.getBytes(1),
              row[0]);
      if (vector != null) {
        byte[] plain = codec.openVector(id, vector);
        if (plain != null) {
          Sql.update(
              connection,
              "update memory_embeddings set vector = ? where memory_seq = ?",
              codec.sealVector(id, plain),
              row[0]);
        }
      }
    }
    return rows.size();
  }
}
