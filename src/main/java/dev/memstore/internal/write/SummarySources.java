package dev.memstore.internal.write;

import dev.memstore.HistoryEntry;
import dev.memstore.Memory;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.storage.HistoryQueries;
import dev.memstore.internal.storage.MemoryQueries;
import dev.memstore.internal.storage.Sql;
import dev.memstore.internal.storage.VectorStorage;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The links from a stored summary to the memories it was built from ({@value #TYPE} relationships),
 * and the rebuild of a summary when one of them is deleted: a summary quotes its memories, so
 * deleting a memory must not leave its words in a summary of it. The rebuild runs in the deleting
 * transaction, so no commit ever holds the deleted text; the rebuilt summary loses its vector,
 * which describes the old text, and waits for the embedding backlog.
 */
public final class SummarySources {
  public static final String TYPE = "summarizes";

  private SummarySources() {}

  /** Links the summary to those of its memories that still exist. */
  public static void link(
      Connection connection, String summaryId, List<String> memoryIds, Instant now) {
    Sql.update(
        connection,
        """
        insert or ignore into relationships (source_id, target_id, type, strength, created_at)
        select ?, id, ?, 1, ? from memories where id in (select value from json_each(?))""",
        summaryId,
        TYPE,
        now.toEpochMilli(),
        Json.write(memoryIds));
  }

  /** Returns how many memories the summary links to. */
  public static long linkedCount(Connection connection, String summaryId) {
    return Sql.queryLong(
        connection,
        "select count(*) from relationships where source_id = ? and type = ?",
        summaryId,
        TYPE);
  }

  /** Returns the summaries, outside the given memories, built from any of them. */
  static List<String> summariesOf(Connection connection, Collection<String> memoryIds) {
    return Sql.query(
        connection,
        """
        select distinct source_id from relationships
        where type = ? and target_id in (select value from json_each(?))
          and source_id not in (select value from json_each(?))""",
        row -> row.getString(1),
        TYPE,
        Json.write(memoryIds),
        Json.write(memoryIds));
  }

  /**
   * What rebuilding left: summaries rewritten, and summaries deleted as all their memories were.
   */
  record Rebuilt(List<String> rewritten, List<String> deleted) {
    boolean isEmpty() {
      return rewritten.isEmpty() && deleted.isEmpty();
    }
  }

  /**
   * Rebuilds each summary from the memories it still links to, after some of them were deleted in
   * this transaction; a summary of summaries is rebuilt in turn. A summary left without memories is
   * deleted too.
   */
  static Rebuilt rebuild(
      Function<List<Memory>, String> summaryText,
      Connection connection,
      VectorStorage vectors,
      List<String> summaryIds,
      Instant now) {
    Deque<String> waiting = new ArrayDeque<>(summaryIds);
    Set<String> done = new LinkedHashSet<>();
    List<String> rewritten = new ArrayList<>();
    List<String> deleted = new ArrayList<>();
    while (!waiting.isEmpty()) {
      String summaryId = waiting.removeFirst();
      if (!done.add(summaryId)) {
        continue;
      }
      MemoryQueries.Row summary =
          Sql.queryFirst(
              connection,
              "select " + MemoryQueries.COLUMNS + " from memories m where m.id = ?",
              MemoryQueries::mapRow,
              summaryId);
      if (summary == null) {
        continue;
      }
      List<Memory> sources =
          Sql.query(
              connection,
              "select "
                  + MemoryQueries.COLUMNS
                  + """
                   from memories m join relationships r on r.target_id = m.id
                  where r.source_id = ? and r.type = ?
                    and (m.content_encoding & 2 = 0 or memstore_opens(m.content))
                  order by m.created_at, m.seq""",
              row -> MemoryQueries.mapRow(row).memory(),
              summaryId,
              TYPE);
      Memory old = summary.memory();
      List<String> dependents = summariesOf(connection, List.of(summaryId));
      String text = sources.isEmpty() ? null : rebuiltText(summaryText, sources);
      if (text == null) {
        MemoryQueries.deleteRow(connection, summary.seq(), vectors);
        HistoryQueries.replaceWithDeletion(
            connection,
            summaryId,
            now,
            sources.isEmpty()
                ? "every memory it summarized was deleted"
                : "it could not be rebuilt without a deleted memory");
        forgetSessionSummary(connection, old, null);
        deleted.add(summaryId);
      } else {
        Map<String, Object> metadata = new LinkedHashMap<>(old.metadata());
        if (metadata.containsKey("memory_count")) {
          metadata.put("memory_count", sources.size());
        }
        Memory changed = old.toBuilder().content(text).metadata(metadata).updatedAt(now).build();
        MemoryQueries.rewrite(connection, summary.seq(), changed);
        MemoryQueries.replaceFullText(connection, summary.seq(), text, changed.tags());
        vectors.delete(connection, summary.seq());
        // Earlier entries may hold the old text (an update's "from"); the rebuild says why instead.
        Sql.update(
            connection,
            "delete from memory_history where memory_id = ? and json_extract(changes, '$.content')"
                + " is not null",
            summaryId);
        HistoryQueries.add(
            connection,
            summaryId,
            HistoryEntry.Action.UPDATED,
            now,
            Map.of(
                "reason",
                new HistoryEntry.Change(null, "rebuilt without the memories deleted from it")));
        forgetSessionSummary(connection, old, text);
        rewritten.add(summaryId);
      }
      waiting.addAll(dependents);
    }
    return new Rebuilt(rewritten, deleted);
  }

  /**
   * Returns the summary of the remaining memories, or null when the summarizer fails or writes too
   * much: then the summary goes, since a deletion must never fail or keep the deleted words.
   */
  private static String rebuiltText(
      Function<List<Memory>, String> summaryText, List<Memory> sources) {
    try {
      return summaryText.apply(sources);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The session keeps its summary's text too: it takes the rebuilt text (null: none). */
  private static void forgetSessionSummary(Connection connection, Memory summary, String text) {
    if (summary.sessionId() != null) {
      Sql.update(
          connection,
          "update sessions set summary = ? where id = ? and summary = ?",
          text,
          summary.sessionId(),
          summary.content());
    }
  }
}
