package dev.memstore.internal.storage;

import dev.memstore.Memory;
import dev.memstore.MemoryType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.text.Normalizer;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The key under which two memories count as exact duplicates: the same normalized text, type, user
 * and session. Normalized means Unicode NFKC, lower case, runs of white space as one space, and no
 * white space or final sentence punctuation at either end, so "I like tea." and "i like tea" are
 * one memory. Stored as a hash so the index stays small whatever the text's length.
 */
public final class ContentKeys {
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final Pattern END_PUNCTUATION = Pattern.compile("[.!?\\s]+$");

  private ContentKeys() {}

  public static String of(Memory memory) {
    return of(memory.content(), memory.type(), memory.userId(), memory.sessionId());
  }

  public static String of(String content, MemoryType type, String userId, String sessionId) {
    String text = normalize(content);
    String identity =
        type.wireName()
            + '\u0000'
            + (userId == null ? "" : userId)
            + '\u0000'
            + (sessionId == null ? "" : sessionId)
            + '\u0000'
            + text;
    byte[] digest = SHA_256.get().digest(identity.getBytes(StandardCharsets.UTF_8));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 24);
  }

  // One digest per thread: looking SHA-256 up by name for every key cost more than hashing.
  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
          });

  /** Gives the memories of a file from schema version 1 their keys; call in a write transaction. */
  public static void backfill(Connection connection) {
    // A flag instead of a scan for null keys, which would read every row at every open.
    if (Sql.queryLong(
            connection, "select count(*) from store_meta where key = 'content_keys_complete'")
        > 0) {
      return;
    }
    List<Object[]> missing =
        Sql.query(
            connection,
            "select seq, content, type, user_id, session_id from memories"
                + " where content_key is null and content_encoding = 0",
            row ->
                new Object[] {
                  row.getLong(1),
                  of(
                      row.getString(2),
                      MemoryType.valueOf(row.getString(3).toUpperCase(Locale.ROOT)),
                      row.getString(4),
                      row.getString(5))
                });
    Sql.batch(
        connection,
        "update memories set content_key = ? where seq = ?",
        missing.stream().map(row -> new Object[] {row[1], row[0]}).toList());
    Sql.update(
        connection, "insert into store_meta (key, value) values ('content_keys_complete', '1')");
  }

  static String normalize(String content) {
    String plain = normalizePlainAscii(content);
    return plain != null ? plain : normalizeAny(content);
  }

  /** The definition of the normalized text, for any text. */
  static String normalizeAny(String content) {
    String text = Normalizer.normalize(content, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    text = SPACES.matcher(text).replaceAll(" ").strip();
    return END_PUNCTUATION.matcher(text).replaceAll("");
  }

  /**
   * The same result as {@link #normalizeAny} in one pass, for the common text of printable ASCII
   * and the white space {@code \s} matches; null for any other text. The regular expressions took
   * most of a batch insert's Java time (measured: 10 microseconds a key). For such text NFKC
   * changes nothing, lower case is A-Z only, and {@code strip()} removes exactly the characters of
   * {@code \s}; text with other control characters (U+001C to U+001F count as white space for
   * {@code strip()} but not for {@code \s}) or beyond ASCII takes {@link #normalizeAny}.
   */
  static String normalizePlainAscii(String content) {
    int length = content.length();
    char[] text = new char[length];
    int size = 0;
    boolean space = false;
    for (int index = 0; index < length; index++) {
      char character = content.charAt(index);
      if (character == ' '
          || character == '\t'
          || character == '\n'
          || character == '\u000B'
          || character == '\f'
          || character == '\r') {
        space = size > 0; // a run inside the text becomes one space; at either end it goes
      } else if (character < ' ' || character > '~') {
        return null;
      } else {
        if (space) {
          text[size++] = ' ';
          space = false;
        }
        text[size++] = character >= 'A' && character <= 'Z' ? (char) (character + 32) : character;
      }
    }
    while (size > 0
        && (text[size - 1] == '.'
            || text[size - 1] == '!'
            || text[size - 1] == '?'
            || text[size - 1] == ' ')) {
      size--;
    }
    return new String(text, 0, size);
  }
}
