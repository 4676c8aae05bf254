package dev.memstore.internal.storage;

import dev.memstore.internal.codec.ContentCodec;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.sqlite.Function;

/**
 * The store's {@link ContentCodec} inside SQL: every connection of a {@link Database} gets SQL
 * functions that decode stored content and vectors, so that each query that reads {@code
 * memories.content} or {@code memory_embeddings.vector} decodes with {@code case when encoding = 0
 * then column else function(...) end} (SQLite evaluates a CASE branch only when taken: plain rows
 * never call into Java). Writes find the codec of their connection through {@link #codec}.
 *
 * <ul>
 *   <li>{@code memstore_text(content, encoding, id)}: the text; null when sealed under a key the
 *       store lacks;
 *   <li>{@code memstore_metadata(content, encoding, id)}: a sealed memory's metadata (JSON), null
 *       without its key;
 *   <li>{@code memstore_opens(blob)}: 1 when the store holds the key a sealed blob is under;
 *   <li>{@code memstore_vector(blob, id)}: a sealed vector's floats, null without its key.
 * </ul>
 */
public final class ContentFunctions {
  private static final Map<Connection, ContentCodec> CODECS =
      Collections.synchronizedMap(new WeakHashMap<>());

  /** SQL for a memory's text from the columns of {@code memories m}. */
  public static final String TEXT =
      "(case when m.content_encoding = 0 then m.content"
          + " else memstore_text(m.content, m.content_encoding, m.id) end)";

  /** SQL for a memory's metadata from the columns of {@code memories m}. */
  public static final String METADATA =
      "(case when m.content_encoding & 2 = 0 then m.metadata"
          + " else memstore_metadata(m.content, m.content_encoding, m.id) end)";

  /** SQL that is true for a memory of {@code memories m} that this store can read. */
  public static final String READABLE = "(m.content_encoding & 2 = 0 or memstore_opens(m.content))";

  /** SQL for the vector of {@code memory_embeddings e} of {@code memories m}. */
  public static final String VECTOR =
      "(case when e.sealed = 0 then e.vector else memstore_vector(e.vector, m.id) end)";

  /** SQL that is true for an embedding of {@code memory_embeddings e} this store can read. */
  public static final String VECTOR_READABLE = "(e.sealed = 0 or memstore_opens(e.vector))";

  private ContentFunctions() {}

  /** Returns the codec of a connection a {@link Database} opened. */
  public static ContentCodec codec(Connection connection) {
    ContentCodec codec = CODECS.get(connection);
    return codec == null ? ContentCodec.plain() : codec;
  }

  static void register(Connection connection, ContentCodec codec) throws SQLException {
    CODECS.put(connection, codec);
    Function.create(
        connection,
        "memstore_text",
        new Function() {
          @Override
          protected void xFunc() throws SQLException {
            String text = codec.text(value_text(2), value_blob(0), value_int(1));
            if (text == null) {
              result();
            } else {
              result(text);
            }
          }
        },
        3,
        Function.FLAG_DETERMINISTIC);
    Function.create(
        connection,
        "memstore_metadata",
        new Function() {
          @Override
          protected void xFunc() throws SQLException {
            ContentCodec.Opened opened = codec.open(value_text(2), value_blob(0), value_int(1));
            if (opened == null) {
              result();
            } else {
              result(opened.metadata());
            }
          }
        },
        3,
        Function.FLAG_DETERMINISTIC);
    Function.create(
        connection,
        "memstore_opens",
        new Function() {
          @Override
          protected void xFunc() throws SQLException {
            result(codec.opens(value_blob(0)) ? 1 : 0);
          }
        },
        1);
    Function.create(
        connection,
        "memstore_vector",
        new Function() {
          @Override
          protected void xFunc() throws SQLException {
            byte[] vector = codec.openVector(value_text(1), value_blob(0));
            if (vector == null) {
              result();
            } else {
              result(vector);
            }
          }
        },
        2,
        Function.FLAG_DETERMINISTIC);
  }

  static void forget(Connection connection) {
    CODECS.remove(connection);
  }
}
