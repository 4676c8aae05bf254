package dev.memstore.internal.search;

import dev.memstore.internal.json.Json;
import dev.memstore.internal.storage.ContentFunctions;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.Schema;
import dev.memstore.internal.storage.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gets terms from FTS5 itself, so that the {@link KeywordIndex} holds exactly what the full-text
 * table holds: the table's own index for a whole build, and for changed memories and query words a
 * scratch FTS5 table in the connection's private temp schema, with the same tokenizer, read back
 * through {@code fts5vocab}. A Java stemmer would be faster but could disagree with SQLite's on a
 * word, and then a memory would be found by one path and not the other.
 */
final class FullTextTerms {
  private FullTextTerms() {}

  /** How many term instances one read transaction of a load covers, about. */
  private static final int LOAD_CHUNK = 200_000;

  /**
   * Fills an empty index from the full-text table's term instances, in read transactions of about
   * {@link #LOAD_CHUNK} instances that each end with a term, so that closing the store waits for
   * one chunk at most. Chunks may see different snapshots: the caller catches the index up with
   * every change committed after it noted the change log's position, before the first chunk.
   */
  static void load(Database database, KeywordIndex index) {
    load(database, index, LOAD_CHUNK);
  }

  /** Loads in chunks of about {@code chunk} instances; tests use small ones. */
  static void load(Database database, KeywordIndex index, int chunk) {
    KeywordIndex.Loader loader = index.load();
    String from = "";
    while (from != null) {
      String start = from;
      from = database.read(connection -> loadChunk(connection, loader, start, chunk));
    }
    loader.finish();
    // Sealed memories are never in the file's full-text table: their terms come from their texts,
    // split in this connection's scratch table, which lives in memory (temp_store).
    database.read(
        connection -> {
          List<Long> sealed =
              Sql.query(
                  connection,
                  "select m.seq from memories m where m.sensitive and " + ContentFunctions.READABLE,
                  row -> row.getLong(1));
          if (!sealed.isEmpty()) {
            index.upsertAll(documents(connection, texts(connection, sealed)));
          }
          return null;
        });
    for (long seq : database.read(FullTextTerms::archived)) {
      index.markArchived(seq, true);
    }
  }

  /** Loads the instances of the terms from {@code from} on; returns the next chunk's first term. */
  private static String loadChunk(
      Connection connection, KeywordIndex.Loader loader, String from, int chunk) {
    Sql.execute(
        connection,
        "create virtual table if not exists temp.memory_fts_instances"
            + " using fts5vocab(main, memory_fts, instance)");
    String sql = "select term, doc from temp.memory_fts_instances where term >= ?";
    // Streamed row by row: about two million rows at 100k memories, too many to collect first.
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, from);
      try (ResultSet rows = statement.executeQuery()) {
        int read = 0;
        String previous = null;
        while (rows.next()) {
          String term = rows.getString(1);
          if (read >= chunk && !term.equals(previous)) {
            return term;
          }
          loader.occurrence(term, rows.getLong(2));
          previous = term;
          read++;
        }
        return null;
      }
    } catch (SQLException e) {
      throw Sql.failure(e, sql);
    }
  }

  /** A memory's full-text row (content, and tags joined by spaces) and whether it is archived. */
  record Text(String content, String tags, boolean archived) {}

  /** Reads the memories' full-text rows by row number. */
  static Map<Long, Text> texts(Connection connection, List<Long> seqs) {
    Map<Long, Text> texts = new HashMap<>();
    Sql.query(
        connection,
        "select m.seq, "
            + ContentFunctions.TEXT
            + ", coalesce((select group_concat(tag, ' ') from"
            + " (select tag from memory_tags t where t.memory_seq = m.seq order by t.position)), ''),"
            + " m.archived_at is not null"
            + " from memories m where m.seq in (select value from json_each(?))",
        row ->
            // A sealed memory this store cannot open counts as gone: no search finds it.
            row.getString(2) == null
                ? null
                : texts.put(
                    row.getLong(1),
                    new Text(row.getString(2), row.getString(3), row.getInt(4) != 0)),
        Json.write(seqs));
    return texts;
  }

  /** Returns the row numbers of the archived memories. */
  static List<Long> archived(Connection connection) {
    return Sql.query(
        connection,
        "select seq from memories where archived_at is not null",
        row -> row.getLong(1));
  }

  /** A hash of a full-text row's two columns, to tell a changed text from an unchanged one. */
  static long hash(Text text) {
    long hash = 0xcbf29ce484222325L; // 64-bit FNV-1a
    for (String column : new String[] {text.content(), text.tags()}) {
      for (int index = 0; index < column.length(); index++) {
        hash = (hash ^ column.charAt(index)) * 0x100000001b3L;
      }
      hash = (hash ^ 0xffff) * 0x100000001b3L;
    }
    return hash;
  }

  /** Applies changes to the keyword index: texts that changed are split into terms again. */
  static void update(Connection connection, KeywordIndex keywordIndex, List<Long> seqs) {
    Map<Long, Text> texts = texts(connection, seqs);
    keywordIndex.removeAll(seqs.stream().filter(seq -> !texts.containsKey(seq)).toList());
    Map<Long, Text> changed = new HashMap<>(texts);
    changed.keySet().removeIf(seq -> keywordIndex.holds(seq, hash(texts.get(seq))));
    keywordIndex.upsertAll(documents(connection, changed));
    texts.forEach((seq, text) -> keywordIndex.markArchived(seq, text.archived()));
  }

  /** Splits the texts into terms with the full-text table's tokenizer. */
  static List<KeywordIndex.Document> documents(Connection connection, Map<Long, Text> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    scratch(connection);
    try {
      List<Object[]> rows = new ArrayList<>(texts.size());
      texts.forEach((seq, text) -> rows.add(new Object[] {seq, text.content(), text.tags()}));
      Sql.batch(
          connection,
          "insert into temp.memstore_terms (rowid, content, tags) values (?, ?, ?)",
          rows);
      Map<Long, Map<String, Integer>> frequencies = new HashMap<>();
      Map<Long, Integer> lengths = new HashMap<>();
      Sql.query(
          connection,
          "select doc, term, count(*) from temp.memstore_term_instances group by doc, term",
          row -> {
            long seq = row.getLong(1);
            int count = row.getInt(3);
            frequencies.computeIfAbsent(seq, key -> new HashMap<>()).put(row.getString(2), count);
            return lengths.merge(seq, count, Integer::sum);
          });
      List<KeywordIndex.Document> documents = new ArrayList<>(texts.size());
      texts.forEach(
          (seq, text) ->
              documents.add(
                  new KeywordIndex.Document(
                      seq,
                      hash(text),
                      frequencies.getOrDefault(seq, Map.of()),
                      lengths.getOrDefault(seq, 0))));
      return documents;
    } finally {
      Sql.execute(connection, "delete from temp.memstore_terms");
    }
  }

  /**
   * Returns each word's terms as the full-text table's tokenizer makes them, in the words' order:
   * usually one term per word, none for a word the tokenizer drops, several for one it splits.
   */
  static List<List<String>> terms(Connection connection, List<String> words) {
    scratch(connection);
    try {
      List<Object[]> rows = new ArrayList<>(words.size());
      for (int index = 0; index < words.size(); index++) {
        rows.add(new Object[] {index + 1, words.get(index), ""});
      }
      Sql.batch(
          connection,
          "insert into temp.memstore_terms (rowid, content, tags) values (?, ?, ?)",
          rows);
      List<List<String>> terms = new ArrayList<>(words.size());
      for (int index = 0; index < words.size(); index++) {
        terms.add(new ArrayList<>(1));
      }
      Sql.query(
          connection,
          "select doc, term from temp.memstore_term_instances order by doc, offset",
          row -> terms.get(row.getInt(1) - 1).add(row.getString(2)));
      return terms;
    } finally {
      Sql.execute(connection, "delete from temp.memstore_terms");
    }
  }

  /** Creates the scratch table in this connection's temp schema unless it is there. */
  private static void scratch(Connection connection) {
    Sql.execute(
        connection,
        "create virtual table if not exists temp.memstore_terms using fts5 (content, tags,"
            + " tokenize = '"
            + Schema.FULL_TEXT_TOKENIZER
            + "')");
    Sql.execute(
        connection,
        "create virtual table if not exists temp.memstore_term_instances"
            + " using fts5vocab(temp, memstore_terms, instance)");
  }
}
