package dev.memstore.internal.privacy;

import dev.memstore.ForgetPreview;
import dev.memstore.ForgetReceipt;
import dev.memstore.ForgetRequest;
import dev.memstore.Memory;
import dev.memstore.MemoryEvent;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryNotFoundException;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.internal.background.Background;
import dev.memstore.internal.events.Events;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.json.MetadataFilterJson;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.ForgettingQueries;
import dev.memstore.internal.storage.MemoryQueries;
import dev.memstore.internal.storage.Sql;
import dev.memstore.internal.write.MemoryWrites;
import dev.memstore.internal.write.SummarySources;
import dev.memstore.internal.write.Validator;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Forgetting for good: selects memories by a {@link ForgetRequest}, adds what was built from them
 * and quotes them (summaries through {@link SummarySources}' links, memories merged with them by
 * consolidation), and deletes all of it in one transaction through the write path's delete, then
 * removes what that keeps (the history, including its deletion entries, and the change log's older
 * entries, leaving one per row, which tells caches and indexes of every process the row is gone).
 * The same transaction leaves tombstones and a receipt. After the commit the write-ahead log is
 * emptied (its old frames hold the deleted pages) and the snapshot beside the file made again.
 * Thread-safe.
 */
public final class Forgetting {
  private static final System.Logger LOG = System.getLogger(Forgetting.class.getName());

  /** How long after a checkpoint that a reader blocked the next try comes, at first. */
  static final Duration CHECKPOINT_RETRY = Duration.ofSeconds(1);

  private static final Duration LONGEST_CHECKPOINT_RETRY = Duration.ofMinutes(1);

  /** Finds memories by text for a forget, without counting them as read. */
  @FunctionalInterface
  public interface TextSearch {
    /**
     * Returns the ids of the best hits of a hybrid search among the memories of the filter, best
     * first, at most {@code limit}, each scoring at least {@code minScore} or, when it is null,
     * {@link ForgetRequest#DEFAULT_SHARE_OF_BEST} of the best hit's score.
     */
    List<String> find(String text, MemoryFilter filter, int limit, Double minScore);
  }

  private final Database database;
  private final MemoryWrites writes;
  private final Events events;
  private final Background background;
  private final TextSearch search;

  public Forgetting(
      Database database,
      MemoryWrites writes,
      Events events,
      Background background,
      TextSearch search) {
    this.database = database;
    this.writes = writes;
    this.events = events;
    this.background = background;
    this.search = search;
  }

  /** See {@link dev.memstore.Privacy#previewForget}. */
  public ForgetPreview preview(ForgetRequest request) {
    Objects.requireNonNull(request, "request");
    checkIds(request.ids());
    List<String> found = textMatches(request);
    return database.read(
        connection -> {
          Set<String> selected = select(connection, request, found);
          Set<String> derived = derived(connection, selected);
          return new ForgetPreview(load(connection, selected), load(connection, derived));
        });
  }

  /**
   * Forgets what the request selects; see {@link dev.memstore.Privacy#forget}.
   *
   * @param agent the agent that forgets, for the receipt; null when the store was not opened as one
   */
  public ForgetReceipt forget(ForgetRequest request, String agent) {
    Objects.requireNonNull(request, "request");
    checkIds(request.ids());
    List<String> found = textMatches(request);
    Map<String, Object> criteria = criteria(request);
    Removed removed =
        database.write(
            connection -> {
              Instant now = writes.now();
              Set<String> selected = select(connection, request, found);
              LinkedHashSet<String> all = new LinkedHashSet<>(selected);
              all.addAll(derived(connection, selected));
              Removed counted = remove(connection, List.copyOf(all), now);
              long seq =
                  ForgettingQueries.addReceipt(
                      connection, now.toEpochMilli(), agent, Json.write(criteria), "{}");
              ForgettingQueries.addTombstones(connection, counted.tombstones(now), seq);
              Removed numbered = counted.numbered(seq, now);
              ForgettingQueries.updateReceipt(connection, seq, Json.write(numbered.json()));
              return numbered;
            });
    if (!removed.ids().isEmpty()) {
      events.publishAll(MemoryEvent.Type.DELETED, removed.ids(), removed.at());
    }
    // The memories are forgotten once committed: what follows only clears copies, and a failure
    // there is reported on the receipt (and by health) instead of failing the forget.
    boolean logCleared = clearLog();
    boolean snapshotRewritten = !removed.ids().isEmpty() && rewriteSnapshot();
    Removed finished = removed.finished(logCleared, snapshotRewritten);
    try {
      database.write(
          connection -> {
            ForgettingQueries.updateReceipt(
                connection, finished.seq(), Json.write(finished.json()));
            return null;
          });
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the receipt of forget " + finished.seq() + " was not completed", e);
    }
    return finished.receipt(agent, criteria);
  }

  /** See {@link dev.memstore.Privacy#forgetReceipts}. */
  public List<ForgetReceipt> receipts() {
    return database.read(ForgettingQueries::receipts).stream().map(Forgetting::receipt).toList();
  }

  /** See {@link dev.memstore.Privacy#allowForgotten}. */
  public int allowForgotten(Collection<String> memoryIds) {
    Objects.requireNonNull(memoryIds, "memoryIds");
    for (String id : memoryIds) {
      Validator.memoryId("memory_ids", id);
    }
    if (memoryIds.isEmpty()) {
      return 0;
    }
    return database.write(
        connection -> ForgettingQueries.dropTombstones(connection, Set.copyOf(memoryIds)));
  }

  // Selecting

  private static void checkIds(Set<String> ids) {
    for (String id : ids) {
      Validator.memoryId(ids.size() == 1 ? "memory_id" : "memory_ids", id);
    }
  }

  /**
   * Runs the request's text search, outside any transaction, among the memories its other criteria
   * leave; null when it has no text.
   */
  private List<String> textMatches(ForgetRequest request) {
    if (request.text() == null) {
      return null;
    }
    Set<String> candidates = database.read(connection -> candidates(connection, request));
    if (candidates != null && candidates.isEmpty()) {
      return List.of();
    }
    MemoryFilter filter =
        candidates == null ? MemoryFilter.all() : MemoryFilter.builder().ids(candidates).build();
    return search.find(request.text(), filter, request.limit(), request.minScore());
  }

  /**
   * Returns the memories the request's criteria other than the text select, expired and archived
   * ones included; null when it has no such criterion. Ids that name no memory are refused.
   */
  private static Set<String> candidates(Connection connection, ForgetRequest request) {
    Set<String> selected = null;
    if (!request.ids().isEmpty()) {
      selected = new LinkedHashSet<>(existing(connection, request.ids()));
      if (selected.size() < request.ids().size()) {
        Set<String> present = selected;
        throw new MemoryNotFoundException(
            request.ids().stream().filter(id -> !present.contains(id)).sorted().toList());
      }
    }
    if (request.filter() != null && !request.filter().isUnrestricted()) {
      selected = narrowed(selected, matching(connection, request.filter()));
    }
    if (request.userId() != null || request.sessionId() != null || !request.tags().isEmpty()) {
      MemoryFilter.Builder filter =
          MemoryFilter.builder()
              .userId(request.userId())
              .sessionId(request.sessionId())
              .tagsAny(request.tags());
      selected = narrowed(selected, matching(connection, filter.build()));
    }
    return selected;
  }

  private static Set<String> narrowed(Set<String> selected, List<String> matching) {
    if (selected == null) {
      return new LinkedHashSet<>(matching);
    }
    selected.retainAll(new HashSet<>(matching));
    return selected;
  }

  /** Returns the ids a filter selects, expired and archived memories included. */
  private static List<String> matching(Connection connection, MemoryFilter filter) {
    MemoryFilter everything =
        filter.toBuilder()
            .includeExpired(true)
            .includeArchived(true)
            .includeSuperseded(true)
            .build();
    return MemoryQueries.matchingIds(connection, everything, Long.MAX_VALUE);
  }

  private static List<String> existing(Connection connection, Collection<String> ids) {
    return Sql.query(
        connection,
        "select id from memories where id in (select value from json_each(?))",
        row -> row.getString(1),
        Json.write(ids));
  }

  /** Returns the memories the request selects now, given the text search's matches (or null). */
  private static Set<String> select(
      Connection connection, ForgetRequest request, List<String> found) {
    Set<String> selected = candidates(connection, request);
    if (found != null) {
      Set<String> stillThere = new LinkedHashSet<>(existing(connection, found));
      selected = narrowed(selected, List.copyOf(stillThere));
    }
    return selected == null ? Set.of() : selected;
  }

  /**
   * Returns the memories outside the selection that quote it, transitively: the summaries of any of
   * them, and the memories consolidation merged with any of them (either way: a merged memory and
   * the one it merged into say the same).
   */
  static Set<String> derived(Connection connection, Set<String> selected) {
    Set<String> all = new LinkedHashSet<>(selected);
    Set<String> derived = new LinkedHashSet<>();
    List<String> frontier = List.copyOf(selected);
    while (!frontier.isEmpty()) {
      List<String> found =
          Sql.query(
              connection,
              """
              select source_id from relationships
              where type in (?, 'consolidated_from') and target_id in (select value from json_each(?))
              union
              select target_id from relationships
              where type = 'consolidated_from' and source_id in (select value from json_each(?))""",
              row -> row.getString(1),
              SummarySources.TYPE,
              Json.write(frontier),
              Json.write(frontier));
      List<String> next = new ArrayList<>();
      for (String id : found) {
        if (all.add(id)) {
          derived.add(id);
          next.add(id);
        }
      }
      frontier = next;
    }
    return derived;
  }

  /** Returns the memories, expired and archived ones included, oldest first. */
  private static List<Memory> load(Connection connection, Collection<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return Sql.query(
        connection,
        "select "
            + MemoryQueries.COLUMNS
            + " from memories m where m.id in (select value from json_each(?))"
            + " order by m.created_at, m.seq",
        row -> MemoryQueries.mapRow(row).memory(),
        Json.write(ids));
  }

  // Removing

  /** What a forget removed, counted before the rows went. */
  private record Removed(
      long seq,
      Instant at,
      List<String> ids,
      List<String> contentKeys,
      long history,
      long links,
      long vectors,
      long indexEntries,
      boolean logCleared,
      boolean snapshotRewritten) {

    List<ForgettingQueries.Tombstone> tombstones(Instant now) {
      List<ForgettingQueries.Tombstone> tombstones = new ArrayList<>(ids.size());
      for (int index = 0; index < ids.size(); index++) {
        tombstones.add(
            new ForgettingQueries.Tombstone(
                ids.get(index), contentKeys.get(index), now.toEpochMilli()));
      }
      return tombstones;
    }

    Removed numbered(long number, Instant now) {
      return new Removed(
          number, now, ids, contentKeys, history, links, vectors, indexEntries, false, false);
    }

    Removed finished(boolean cleared, boolean rewritten) {
      return new Removed(
          seq, at, ids, contentKeys, history, links, vectors, indexEntries, cleared, rewritten);
    }

    /** What the receipt's row keeps of it: never the content keys. */
    Map<String, Object> json() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("memory_ids", ids);
      json.put("memories", ids.size());
      json.put("history_entries", history);
      json.put("links", links);
      json.put("vectors", vectors);
      json.put("index_entries", indexEntries);
      json.put("log_cleared", logCleared);
      json.put("snapshot_rewritten", snapshotRewritten);
      return json;
    }

    ForgetReceipt receipt(String agent, Map<String, Object> criteria) {
      return new ForgetReceipt(
          seq,
          at,
          agent,
          criteria,
          ids,
          ids.size(),
          history,
          links,
          vectors,
          indexEntries,
          logCleared,
          snapshotRewritten);
    }
  }

  /** Deletes the memories and every trace the file keeps of them, in the caller's transaction. */
  private Removed remove(Connection connection, List<String> ids, Instant now) {
    if (ids.isEmpty()) {
      return new Removed(0, now, List.of(), List.of(), 0, 0, 0, 0, false, false);
    }
    String idsJson = Json.write(ids);
    List<Memory> memories = load(connection, ids);
    // The stored key, not one computed from the content, which a sealed memory does not hold.
    Map<String, String> keyById = new LinkedHashMap<>();
    Sql.forEach(
        connection,
        "select id, content_key from memories where id in (select value from json_each(?))",
        row -> keyById.put(row.getString(1), row.getString(2)),
        idsJson);
    List<Long> seqs =
        Sql.query(
            connection,
            "select seq from memories where id in (select value from json_each(?))",
            row -> row.getLong(1),
            idsJson);
    String seqsJson = Json.write(seqs);
    long links =
        count(
                connection,
                "select count(*) from relationships where source_id in (select value from"
                    + " json_each(?1)) or target_id in (select value from json_each(?1))",
                idsJson)
            + count(
                connection,
                "select count(*) from context_group_members"
                    + " where memory_id in (select value from json_each(?))",
                idsJson);
    long vectors =
        count(
            connection,
            "select count(*) from memory_embeddings"
                + " where memory_seq in (select value from json_each(?))",
            seqsJson);
    long indexEntries =
        count(
                connection,
                "select count(*) from memory_fts where rowid in (select value from json_each(?))",
                seqsJson)
            + count(
                connection,
                "select count(*) from memory_tags where memory_seq in (select value from json_each(?))",
                seqsJson);
    // The summary a session keeps is the text of its summary memory.
    for (Memory memory : memories) {
      if (memory.sessionId() != null) {
        Sql.update(
            connection,
            "update sessions set summary = null where id = ? and summary = ?",
            memory.sessionId(),
            memory.content());
      }
    }
    // The rows' older change-log entries go; the delete below logs each row once more, which is
    // how caches and search indexes of every process learn that it is gone.
    Sql.update(
        connection,
        "delete from memory_changes where memory_seq in (select value from json_each(?))",
        seqsJson);
    long history =
        count(
            connection,
            "select count(*) from memory_history where memory_id in (select value from json_each(?))",
            idsJson);
    List<String> deleted = writes.deleteRows(connection, ids, false, now, null);
    // Every entry, the deletion's own too: a forgotten memory leaves no history.
    Sql.update(
        connection,
        "delete from memory_history where memory_id in (select value from json_each(?))",
        Json.write(deleted));
    List<String> keys = new ArrayList<>(deleted.size());
    for (String id : deleted) {
      keys.add(keyById.get(id));
    }
    return new Removed(0, now, deleted, keys, history, links, vectors, indexEntries, false, false);
  }

  private static long count(Connection connection, String sql, Object... parameters) {
    return Sql.queryLong(connection, sql, parameters);
  }

  /**
   * Empties the write-ahead log; when a reader keeps it from that, tries again in the background,
   * less often each time, until it succeeds or the store closes. Returns whether it succeeded now.
   */
  private boolean clearLog() {
    try {
      if (database.checkpoint()) {
        return true;
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "emptying the log after a forget failed; trying again later", e);
    }
    retryClearLog(CHECKPOINT_RETRY);
    return false;
  }

  private boolean rewriteSnapshot() {
    try {
      return database.rewriteSnapshot();
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "the snapshot could not be made again after a forget; health warns while it holds"
              + " forgotten memories",
          e);
      return false;
    }
  }

  private void retryClearLog(Duration delay) {
    background.runLater(
        "forget-checkpoint",
        () -> {
          boolean cleared;
          try {
            cleared = database.checkpoint();
          } catch (IllegalStateException closed) {
            return;
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "emptying the log after a forget failed; trying again", e);
            cleared = false;
          }
          if (!cleared) {
            Duration next = delay.multipliedBy(2);
            retryClearLog(
                next.compareTo(LONGEST_CHECKPOINT_RETRY) > 0 ? LONGEST_CHECKPOINT_RETRY : next);
          }
        },
        delay);
  }

  // Receipts

  /** The request as the receipt keeps it: a text query only as its hash. */
  static Map<String, Object> criteria(ForgetRequest request) {
    Map<String, Object> criteria = new LinkedHashMap<>();
    if (!request.ids().isEmpty()) {
      criteria.put("memory_ids", request.ids().stream().sorted().toList());
    }
    if (request.filter() != null && !request.filter().isUnrestricted()) {
      criteria.put("filter", filter(request.filter()));
    }
    if (request.userId() != null) {
      criteria.put("user_id", request.userId());
    }
    if (request.sessionId() != null) {
      criteria.put("session_id", request.sessionId());
    }
    if (!request.tags().isEmpty()) {
      criteria.put("tags", request.tags().stream().sorted().toList());
    }
    if (request.text() != null) {
      criteria.put("query_sha256", sha256(request.text()));
      criteria.put("limit", request.limit());
      putIfSet(criteria, "min_score", request.minScore());
    }
    return criteria;
  }

  private static Map<String, Object> filter(MemoryFilter filter) {
    Map<String, Object> json = new LinkedHashMap<>();
    if (!filter.ids().isEmpty()) {
      json.put("memory_ids", filter.ids().stream().sorted().toList());
    }
    if (!filter.types().isEmpty()) {
      json.put("memory_types", filter.types().stream().map(MemoryType::wireName).sorted().toList());
    }
    if (!filter.tiers().isEmpty()) {
      json.put("memory_tiers", filter.tiers().stream().map(MemoryTier::wireName).sorted().toList());
    }
    if (!filter.tagsAny().isEmpty()) {
      json.put("tags", filter.tagsAny().stream().sorted().toList());
    }
    if (!filter.tagsAll().isEmpty()) {
      json.put("tags_all", filter.tagsAll().stream().sorted().toList());
    }
    putIfSet(json, "session_id", filter.sessionId());
    putIfSet(json, "user_id", filter.userId());
    putIfSet(json, "agent_id", filter.agentId());
    putIfSet(json, "parent_id", filter.parentId());
    putIfSet(json, "group_id", filter.groupId());
    if (filter.createdFrom() != null || filter.createdUntil() != null) {
      Map<String, Object> range = new LinkedHashMap<>();
      putIfSet(
          range,
          "start",
          filter.createdFrom() == null ? null : Json.formatInstant(filter.createdFrom()));
      putIfSet(
          range,
          "end",
          filter.createdUntil() == null ? null : Json.formatInstant(filter.createdUntil()));
      json.put("time_range", range);
    }
    putIfSet(json, "min_importance", filter.minImportance());
    if (filter.metadata() != null) {
      json.put("metadata", MetadataFilterJson.write(filter.metadata()));
    }
    return json;
  }

  private static void putIfSet(Map<String, Object> json, String name, Object value) {
    if (value != null) {
      json.put(name, value);
    }
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static ForgetReceipt receipt(ForgettingQueries.Receipt row) {
    Map<String, Object> removed = Json.readObject(row.removed());
    return new ForgetReceipt(
        row.seq(),
        Instant.ofEpochMilli(row.at()),
        row.agent(),
        Json.readObject(row.criteria()),
        strings(removed.get("memory_ids")),
        number(removed.get("memories")),
        number(removed.get("history_entries")),
        number(removed.get("links")),
        number(removed.get("vectors")),
        number(removed.get("index_entries")),
        Boolean.TRUE.equals(removed.get("log_cleared")),
        Boolean.TRUE.equals(removed.get("snapshot_rewritten")));
  }

  private static List<String> strings(Object value) {
    if (!(value instanceof List<?> list)) {
      return List.of();
    }
    return list.stream().map(String::valueOf).toList();
  }

  private static long number(Object value) {
    return value instanceof Number number ? number.longValue() : 0;
  }
}
