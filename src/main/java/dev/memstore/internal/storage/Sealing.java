package dev.memstore.internal.storage;

import dev.memstore.PermissionDeniedException;
import dev.memstore.internal.codec.ContentCodec;
import dev.memstore.internal.codec.StoreKey;
import java.sql.Connection;

/**
 * The store key's record in {@code store_meta}: {@value #KEY_ID} holds the id of the key that
 * sealed the store's memories (its key check value, see {@link StoreKey}), recorded by the first
 * write that seals; during a key rotation {@value #NEXT_KEY_ID} holds the new key's id, and either
 * key opens the store.
 */
public final class Sealing {
  /** The store_meta key of the store key's id. */
  public static final String KEY_ID = "sealing_key_id";

  /** The store_meta key of the id of the key a rotation in progress moves to. */
  public static final String NEXT_KEY_ID = "sealing_key_next";

  private Sealing() {}

  /**
   * Refuses a key that is not this store's (nor, during a rotation, the new one).
   *
   * @throws PermissionDeniedException naming the key file, when the key is another store's
   */
  public static void verifyKey(Connection connection, ContentCodec codec) {
    StoreKey key = codec.sealingKey();
    if (key == null) {
      return;
    }
    String recorded = meta(connection, KEY_ID);
    String next = meta(connection, NEXT_KEY_ID);
    if (recorded == null || codec.keyIds().contains(recorded) || codec.keyIds().contains(next)) {
      return;
    }
    throw new PermissionDeniedException(
        null,
        "open",
        "the key in "
            + (key.source() == null ? "the given key" : key.source())
            + " is not this store's key (its id is "
            + key.id()
            + ", the store's is "
            + recorded
            + "); open it with the key file it was sealed with");
  }

  /**
   * Records the sealing key as the store's key unless one is recorded, in the caller's write
   * transaction, before a memory is sealed with it.
   *
   * @throws PermissionDeniedException when another process recorded another key meanwhile
   */
  public static void recordKey(Connection connection, ContentCodec codec) {
    StoreKey key = codec.sealingKey();
    if (key == null) {
      throw new IllegalStateException("no key to record");
    }
    String recorded = meta(connection, KEY_ID);
    if (recorded == null) {
      Sql.update(connection, "insert into store_meta (key, value) values (?, ?)", KEY_ID, key.id());
      return;
    }
    verifyKey(connection, codec);
  }

  /** Returns a store_meta value, or null. */
  public static String meta(Connection connection, String key) {
    return Sql.queryFirst(
        connection, "select value from store_meta where key = ?", row -> row.getString(1), key);
  }
}
