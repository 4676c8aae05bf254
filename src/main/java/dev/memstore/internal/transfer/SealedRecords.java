package dev.memstore.internal.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memstore.internal.codec.ContentCodec;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.MemoryQueries;
import dev.memstore.internal.storage.Sealing;
import dev.memstore.internal.storage.Sql;
import java.sql.Connection;
import java.util.Base64;

/**
 * Sealed memories in exports: they go out as stored (the sealed blob, its encoding and the id of
 * its key, the vector sealed too) and come back in as they went out, so that an export holds no
 * clear copy and an import needs no key; the store that holds the key reads them.
 */
final class SealedRecords {
  private SealedRecords() {}

  /** A sealed memory of an export: its stored content, and its sealed vector or null. */
  record Sealed(ContentCodec.Encoded content, byte[] vector) {}

  /** Returns the stored content of a sealed memory, null for null. */
  static ContentCodec.Encoded content(Sealed sealed) {
    return sealed == null ? null : sealed.content();
  }

  /**
   * Puts a memory's embedding into its export record ({@code embedding}, or {@code
   * embedding_sealed} for a sealed vector, and {@code embedding_given} when the caller gave it) and
   * a sealed memory's stored content into its content.
   */
  static void putContentAndEmbedding(
      Connection connection, MemoryQueries.Row row, ObjectNode node) {
    Object[] vector =
        Sql.queryFirst(
            connection,
            "select vector, sealed, given from memory_embeddings where memory_seq = ?",
            result ->
                new Object[] {result.getBytes(1), result.getInt(2) != 0, result.getInt(3) != 0},
            row.seq());
    if (row.memory().sensitive()) {
      putSealed(connection, row.seq(), (ObjectNode) node.get("content"));
    }
    if (vector != null && (Boolean) vector[1]) {
      node.putNull("embedding");
      node.put("embedding_sealed", Base64.getEncoder().encodeToString((byte[]) vector[0]));
    } else {
      node.put(
          "embedding",
          vector == null ? null : Base64.getEncoder().encodeToString((byte[]) vector[0]));
    }
    if (vector != null && (Boolean) vector[2]) {
      node.put("embedding_given", true);
    }
  }

  /** Returns whether an export record says that the caller gave its vector. */
  static boolean given(JsonNode node) {
    JsonNode given = node.path("embedding_given");
    if (!given.isMissingNode() && !given.isBoolean()) {
      throw new IllegalArgumentException("embedding_given must be true or false");
    }
    return given.asBoolean(false);
  }

  /** Returns a sealed memory's sealed vector from its export record, or null. */
  private static byte[] sealedVector(JsonNode node) {
    if (!node.path("embedding_sealed").isTextual()) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(node.get("embedding_sealed").textValue());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("embedding_sealed is not base64");
    }
  }

  /**
   * Puts a sealed memory's stored blob into its export record in place of its text and metadata:
   * {@code sealed} (base64), {@code encoding} and {@code key_id}.
   */
  private static void putSealed(Connection connection, long seq, ObjectNode content) {
    Object[] stored =
        Sql.queryFirst(
            connection,
            "select content, content_encoding from memories where seq = ?",
            row -> new Object[] {row.getBytes(1), row.getInt(2)},
            seq);
    content.remove("text");
    content.remove("metadata");
    content.put("sealed", Base64.getEncoder().encodeToString((byte[]) stored[0]));
    content.put("encoding", (Integer) stored[1]);
    content.put("key_id", ContentCodec.keyIdOf((byte[]) stored[0]));
  }

  /**
   * Returns a sealed memory's stored content from its export record, or null for a clear one. It
   * goes into the store as it is, under the key it was sealed with, which the store need not hold;
   * a key other than the store's own is refused, since the store could never open it.
   */
  static Sealed sealed(Database database, JsonNode node) {
    JsonNode content = node.path("content");
    if (!content.path("sealed").isTextual()) {
      if (node.path("sensitive").asBoolean(false)) {
        throw new IllegalArgumentException("a sensitive memory must come sealed");
      }
      return null;
    }
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(content.get("sealed").textValue());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("content.sealed is not base64");
    }
    int encoding = content.path("encoding").asInt(0);
    String keyId = ContentCodec.keyIdOf(blob);
    if ((encoding & ContentCodec.SEALED) == 0 || keyId == null) {
      throw new IllegalArgumentException("content.sealed is not a sealed memory");
    }
    String storeKey = database.read(connection -> Sealing.meta(connection, Sealing.KEY_ID));
    if (storeKey != null && !storeKey.equals(keyId)) {
      throw new IllegalArgumentException(
          "the memory is sealed with key "
              + keyId
              + ", which is not this store's key ("
              + storeKey
              + ")");
    }
    return new Sealed(new ContentCodec.Encoded(blob, encoding, "{}"), sealedVector(node));
  }
}
