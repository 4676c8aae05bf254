package dev.memstore.internal.storage;

import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.PermissionDeniedException;
import dev.memstore.ValidationException;
import dev.memstore.internal.codec.ContentCodec;
import dev.memstore.internal.json.Json;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The SQL of the memories table and its companions (tags, full-text row, vector row). Every
 * function takes the connection of the transaction it runs in; none commits.
 */
public final class MemoryQueries {
  public static final int MAX_LIMIT = 10_000;

  /**
   * The columns {@link #mapRow} reads, from {@code memories m}; content and metadata decoded (see
   * {@link ContentFunctions}).
   */
  public static final String COLUMNS =
      "m.seq, m.id, m.type, m.tier, "
          + ContentFunctions.TEXT
          + " as content, m.source_agent, "
          + ContentFunctions.METADATA
          + " as metadata, "
          + """
          m.importance, m.priority,
          m.ttl_seconds, m.expires_at, m.created_at, m.updated_at, m.last_accessed_at, m.access_count,
          m.parent_id, m.session_id, m.user_id, m.agent_id, m.pinned, m.archived_at, m.sensitive,
          m.fact_key, m.valid_from, m.valid_to, m.superseded_by,
          (select json_group_array(tag) from
            (select tag from memory_tags t where t.memory_seq = m.seq order by t.position)) as tags""";

  /**
   * Like {@link #COLUMNS}, but a sealed memory comes with empty content and metadata instead of
   * being opened: for exports, which carry sealed memories sealed.
   */
  public static final String COLUMNS_SEALED_UNOPENED =
      COLUMNS
          .replace(
              ContentFunctions.TEXT + " as content",
              "(case when m.content_encoding & 2 = 0 then "
                  + ContentFunctions.TEXT
                  + " else '' end) as content")
          .replace(ContentFunctions.METADATA + " as metadata", "m.metadata");

  /** The rule a read of a sealed memory answers without the store key. */
  public static final String SEALED_RULE =
      "memory is sealed and this store was opened without its key";

  /** A memory with its row number, which its full-text and vector rows share. */
  public record Row(long seq, Memory memory) {}

  private MemoryQueries() {}

  /** Returns whether a memory with the id exists, expired or not. */
  public static boolean exists(Connection connection, String id) {
    return Sql.queryLong(connection, "select count(*) from memories where id = ?", id) > 0;
  }

  public static Row find(Connection connection, String id, long now) {
    return Sql.queryFirst(
        connection,
        "select " + COLUMNS + " from memories m where m.id = ? and " + LIVE,
        MemoryQueries::mapRow,
        id,
        now);
  }

  /** Returns the live memories among the ids, in no particular order. */
  public static List<Row> findAll(Connection connection, Collection<String> ids, long now) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return Sql.query(
        connection,
        "select "
            + COLUMNS
            + " from memories m where m.id in (select value from json_each(?)) and "
            + LIVE
            + " and "
            + ContentFunctions.READABLE,
        MemoryQueries::mapRow,
        Json.write(ids),
        now);
  }

  /** Returns the most important live, unarchived memories, most important first. */
  public static List<Row> mostImportant(Connection connection, int limit, long now) {
    return Sql.query(
        connection,
        "select "
            + COLUMNS
            + " from memories m where m.archived_at is null and "
            + ContentFunctions.READABLE
            + " and "
            + LIVE
            + " order by m.importance desc, m.seq desc limit ?",
        MemoryQueries::mapRow,
        now,
        limit);
  }

  public static List<Memory> list(
      Connection connection,
      MemoryFilter filter,
      MemorySort sort,
      int offset,
      int limit,
      long now) {
    Where where = Where.of(filter, now);
    String order =
        column(sort.field()) + (sort.descending() ? " desc nulls last" : " asc nulls last");
    List<Object> parameters = new ArrayList<>(where.parameters);
    parameters.add(limit);
    parameters.add(offset);
    return Sql.query(
        connection,
        "select "
            + COLUMNS
            + " from memories m where "
            + where.sql
            + " order by "
            + order
            + ", m.seq"
            + (sort.descending() ? " desc" : " asc")
            + " limit ? offset ?",
        row -> mapRow(row).memory(),
        parameters.toArray());
  }

  public static long count(Connection connection, MemoryFilter filter, long now) {
    Where where = Where.of(filter, now);
    return Sql.queryLong(
        connection,
        "select count(*) from memories m where " + where.sql,
        where.parameters.toArray());
  }

  /** Returns the ids the filter matches, oldest first. */
  public static List<String> matchingIds(Connection connection, MemoryFilter filter, long now) {
    Where where = Where.of(filter, now);
    return Sql.query(
        connection,
        "select m.id from memories m where " + where.sql + " order by m.seq",
        row -> row.getString(1),
        where.parameters.toArray());
  }

  /** Returns a memory and all its descendants, the memory first. */
  public static List<String> withDescendants(Connection connection, String id) {
    return Sql.query(
        connection,
        """
        with recursive tree (id) as (
          select ? union select m.id from memories m join tree on m.parent_id = tree.id)
        select id from tree""",
        row -> row.getString(1),
        id);
  }

  public static boolean isDescendant(Connection connection, String candidate, String ancestor) {
    return withDescendants(connection, ancestor).contains(candidate);
  }

  /**
   * Returns the row number SQLite would give the next memory: one past the largest (row numbers of
   * deleted memories at the end are reused, as without explicit numbers).
   */
  public static long nextSeq(Connection connection) {
    return Sql.queryLong(connection, "select coalesce(max(seq), 0) + 1 from memories");
  }

  /**
   * Inserts new memories at the row numbers {@code firstSeq, firstSeq + 1, ...} in order, with
   * their tags, full-text rows and change-log entries, one batch per table (a third of the time of
   * separate statements). {@code contentKeys} are the memories' {@link ContentKeys}, which the
   * caller has already computed to look for duplicates.
   */
  public static void insertAll(
      Connection connection, long firstSeq, List<Memory> memories, List<String> contentKeys) {
    insertAll(connection, firstSeq, memories, contentKeys, null);
  }

  /**
   * Inserts like {@link #insertAll(Connection, long, List, List)}; a non-null element of {@code
   * stored} is the memory's content as stored already (a sealed memory imported from an export),
   * written as it is.
   */
  public static void insertAll(
      Connection connection,
      long firstSeq,
      List<Memory> memories,
      List<String> contentKeys,
      List<ContentCodec.Encoded> stored) {
    List<Object[]> rows = new ArrayList<>(memories.size());
    List<Object[]> changes = new ArrayList<>(memories.size());
    List<Object[]> tags = new ArrayList<>();
    List<Object[]> fullText = new ArrayList<>(memories.size());
    ContentCodec codec = ContentFunctions.codec(connection);
    boolean sealing = false;
    for (int index = 0; index < memories.size(); index++) {
      sealing |= memories.get(index).sensitive() && (stored == null || stored.get(index) == null);
    }
    if (sealing) {
      requireKey(codec);
      Sealing.recordKey(connection, codec);
    }
    for (int index = 0; index < memories.size(); index++) {
      long seq = firstSeq + index;
      Memory memory = memories.get(index);
      ContentCodec.Encoded encoded =
          stored != null && stored.get(index) != null ? stored.get(index) : encode(codec, memory);
      rows.add(rowParameters(seq, memory, contentKeys.get(index), encoded));
      changes.add(new Object[] {seq});
      for (int position = 0; position < memory.tags().size(); position++) {
        tags.add(new Object[] {seq, position, memory.tags().get(position)});
      }
      if (!memory.sensitive()) {
        fullText.add(new Object[] {seq, memory.content(), String.join(" ", memory.tags())});
      }
    }
    Sql.batch(connection, INSERT_ROW, rows);
    Sql.batch(connection, LOG_CHANGE, changes);
    Sql.batch(connection, INSERT_TAG, tags);
    Sql.batch(connection, INSERT_FULL_TEXT, fullText);
  }

  private static final String INSERT_ROW =
      """
      insert into memories (seq, id, type, tier, content, source_agent, metadata, importance, priority,
        ttl_seconds, expires_at, created_at, updated_at, last_accessed_at, access_count, parent_id, session_id,
        user_id, agent_id, pinned, archived_at, content_key, content_encoding, sensitive, fact_key,
        valid_from, valid_to, superseded_by)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

  private static final String INSERT_TAG =
      "insert into memory_tags (memory_seq, position, tag) values (?, ?, ?)";

  private static final String INSERT_FULL_TEXT =
      "insert into memory_fts (rowid, content, tags) values (?, ?, ?)";

  private static final String LOG_CHANGE = "insert into memory_changes (memory_seq) values (?)";

  private static Object[] rowParameters(
      long seq, Memory memory, String contentKey, ContentCodec.Encoded encoded) {
    return new Object[] {
      seq,
      memory.id(),
      memory.type().wireName(),
      memory.tier().wireName(),
      encoded.content(),
      memory.sourceAgent(),
      encoded.metadata(),
      memory.importance(),
      memory.priority(),
      memory.ttl() == null ? null : memory.ttl().toSeconds(),
      millis(memory.expiresAt()),
      millis(memory.createdAt()),
      millis(memory.updatedAt()),
      millis(memory.lastAccessedAt()),
      memory.accessCount(),
      memory.parentId(),
      memory.sessionId(),
      memory.userId(),
      memory.agentId(),
      memory.pinned(),
      millis(memory.archivedAt()),
      memory.sensitive() ? null : contentKey,
      encoded.encoding(),
      memory.sensitive(),
      memory.factKey(),
      millis(memory.validFrom()),
      millis(memory.validTo()),
      memory.supersededBy()
    };
  }

  /**
   * Returns a memory's content as stored: sealed with its metadata when sensitive, else compressed
   * when large. A sealed memory has no content key: the key is a plain hash of the normalized text,
   * which a short secret (a PIN) would not survive a dictionary attack; so sealed memories take no
   * part in duplicate detection.
   */
  private static ContentCodec.Encoded encode(ContentCodec codec, Memory memory) {
    return codec.encode(
        memory.id(), memory.content(), Json.write(memory.metadata()), memory.sensitive());
  }

  private static void requireKey(ContentCodec codec) {
    if (!codec.canSeal()) {
      throw new ValidationException(
          "sensitive",
          "a sensitive memory is sealed with the store key, and this store was opened without"
              + " one; open it with an encryption key (builder encryptionKey, memctl --key-file)");
    }
  }

  /** Rewrites every attribute of an existing row from the memory (id and creation time stay). */
  public static void rewrite(Connection connection, long seq, Memory memory) {
    logChange(connection, seq);
    ContentCodec codec = ContentFunctions.codec(connection);
    if (memory.sensitive()) {
      requireKey(codec);
      Sealing.recordKey(connection, codec);
    }
    ContentCodec.Encoded encoded = encode(codec, memory);
    Sql.update(
        connection,
        """
        update memories set type = ?, tier = ?, content = ?, source_agent = ?, metadata = ?, importance = ?,
          priority = ?, ttl_seconds = ?, expires_at = ?, updated_at = ?, parent_id = ?, user_id = ?, agent_id = ?,
          pinned = ?, archived_at = ?, content_key = ?, content_encoding = ?, sensitive = ?, fact_key = ?,
          valid_from = ?, valid_to = ?, superseded_by = ?
        where seq = ?""",
        memory.type().wireName(),
        memory.tier().wireName(),
        encoded.content(),
        memory.sourceAgent(),
        encoded.metadata(),
        memory.importance(),
        memory.priority(),
        memory.ttl() == null ? null : memory.ttl().toSeconds(),
        millis(memory.expiresAt()),
        millis(memory.updatedAt()),
        memory.parentId(),
        memory.userId(),
        memory.agentId(),
        memory.pinned(),
        millis(memory.archivedAt()),
        memory.sensitive() ? null : ContentKeys.of(memory),
        encoded.encoding(),
        memory.sensitive(),
        memory.factKey(),
        millis(memory.validFrom()),
        millis(memory.validTo()),
        memory.supersededBy(),
        seq);
  }

  public static void replaceTags(Connection connection, long seq, List<String> tags) {
    Sql.update(connection, "delete from memory_tags where memory_seq = ?", seq);
    insertTags(connection, seq, tags);
  }

  static void insertTags(Connection connection, long seq, List<String> tags) {
    for (int position = 0; position < tags.size(); position++) {
      Sql.update(connection, INSERT_TAG, seq, position, tags.get(position));
    }
  }

  /** Replaces a memory's full-text row; a sealed memory's row is only removed, never written. */
  public static void replaceFullText(
      Connection connection, long seq, String content, List<String> tags) {
    deleteFullText(connection, seq);
    if (Sql.queryLong(connection, "select count(*) from memories where seq = ? and sensitive", seq)
        == 0) {
      insertFullText(connection, seq, content, tags);
    }
  }

  static void insertFullText(Connection connection, long seq, String content, List<String> tags) {
    Sql.update(connection, INSERT_FULL_TEXT, seq, content, String.join(" ", tags));
  }

  /**
   * Sets a fact's validity end and the fact that superseded it (both null: current again), with its
   * update time; returns false when no memory has the id.
   */
  public static boolean setValidity(
      Connection connection, String id, Instant validTo, String supersededBy, Instant now) {
    Long seq =
        Sql.queryFirst(
            connection, "select seq from memories where id = ?", row -> row.getLong(1), id);
    if (seq == null) {
      return false;
    }
    Sql.update(
        connection,
        "update memories set valid_to = ?, superseded_by = ?, updated_at = ? where seq = ?",
        millis(validTo),
        supersededBy,
        now.toEpochMilli(),
        seq);
    logChange(connection, seq);
    return true;
  }

  /** Notes that a memory changed, so every process's search index picks the change up. */
  public static void logChange(Connection connection, long seq) {
    Sql.update(connection, LOG_CHANGE, seq);
  }

  /**
   * Removes a row from the full-text index. FTS5's secure-delete removes the row's entries at once
   * but can leave the bare terms of a segment whose every entry is gone; only a merge drops them.
   * So the removal is noted, and {@link #purgeRemovedTerms} merges the index before the next
   * checkpoint.
   */
  static void deleteFullText(Connection connection, long seq) {
    if (Sql.update(connection, "delete from memory_fts where rowid = ?", seq) > 0) {
      Sql.update(
          connection,
          "insert into store_meta (key, value) values ('fts_purge_pending', '1')"
              + " on conflict (key) do update set value = '1'");
    }
  }

  /** Merges the full-text index into one segment when rows were removed since the last merge. */
  public static Void purgeRemovedTerms(Connection connection) {
    if (Sql.update(connection, "delete from store_meta where key = 'fts_purge_pending'") > 0) {
      Sql.execute(connection, "insert into memory_fts (memory_fts) values ('optimize')");
    }
    return null;
  }

  /**
   * Deletes a memory's own row, full-text row and vector; tags, links and memberships go by
   * cascade.
   */
  public static void deleteRow(Connection connection, long seq, VectorStorage vectors) {
    deleteFullText(connection, seq);
    vectors.delete(connection, seq);
    Sql.update(connection, "delete from memories where seq = ?", seq);
    logChange(connection, seq);
  }

  /** Returns the change log's newest position, 0 when it is empty. */
  public static long newestChange(Connection connection) {
    return Sql.queryLong(connection, "select coalesce(max(seq), 0) from memory_changes");
  }

  /** Returns the change log's oldest position still kept, 0 when it is empty. */
  public static long oldestChange(Connection connection) {
    return Sql.queryLong(connection, "select coalesce(min(seq), 0) from memory_changes");
  }

  /** The memories of a stretch of the change log: those really changed, and those only read. */
  public record Changes(List<Long> changed, List<Long> accessedOnly) {}

  /** Returns the memories of the change log's entries after {@code after} up to {@code upTo}. */
  public static Changes changes(Connection connection, long after, long upTo) {
    List<Long> changed = new ArrayList<>();
    List<Long> accessedOnly = new ArrayList<>();
    Sql.forEach(
        connection,
        "select memory_seq, min(access_only) from memory_changes"
            + " where seq > ? and seq <= ? group by memory_seq",
        row -> (row.getLong(2) == 0 ? changed : accessedOnly).add(row.getLong(1)),
        after,
        upTo);
    return new Changes(changed, accessedOnly);
  }

  /** A memory's access count and last access time (null before its first read). */
  public record Accesses(long seq, long count, Instant lastAccessedAt) {}

  /** Returns the memory with another access count and last access time. */
  public static Memory withAccesses(Memory memory, long accessCount, Instant lastAccessedAt) {
    return memory.toBuilder().lastAccessedAt(lastAccessedAt).accessCount(accessCount).build();
  }

  /** Returns the access counts and times of those of the memories that exist. */
  public static List<Accesses> accesses(Connection connection, Collection<Long> seqs) {
    if (seqs.isEmpty()) {
      return List.of();
    }
    return Sql.query(
        connection,
        "select seq, access_count, last_accessed_at from memories"
            + " where seq in (select value from json_each(?))",
        row -> new Accesses(row.getLong(1), row.getLong(2), instant(row, "last_accessed_at")),
        Json.write(seqs));
  }

  public static void recordAccess(Connection connection, String id, long count, long lastAccessed) {
    Sql.update(
        connection,
        "insert into memory_changes (memory_seq, access_only) select seq, 1 from memories where id = ?",
        id);
    Sql.update(
        connection,
        """
        update memories set access_count = access_count + ?,
          last_accessed_at = max(coalesce(last_accessed_at, 0), ?)
        where id = ?""",
        count,
        lastAccessed,
        id);
  }

  static Long millis(Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }

  private static Instant instant(ResultSet row, String column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? null : Instant.ofEpochMilli(value);
  }

  public static Row mapRow(ResultSet row) throws SQLException {
    long ttl = row.getLong("ttl_seconds");
    Duration ttlDuration = row.wasNull() ? null : Duration.ofSeconds(ttl);
    List<String> tags = Json.readStringList(row.getString("tags"));
    String content = row.getString("content");
    if (content == null) {
      throw new PermissionDeniedException(null, "read", SEALED_RULE);
    }
    Map<String, Object> metadata = Json.readObject(row.getString("metadata"));
    Memory memory =
        Memory.builder()
            .id(row.getString("id"))
            .type(MemoryType.valueOf(row.getString("type").toUpperCase(Locale.ROOT)))
            .tier(MemoryTier.valueOf(row.getString("tier").toUpperCase(Locale.ROOT)))
            .content(content)
            .sourceAgent(row.getString("source_agent"))
            .metadata(metadata)
            .tags(tags)
            .importance(row.getDouble("importance"))
            .priority(row.getInt("priority"))
            .ttl(ttlDuration)
            .expiresAt(instant(row, "expires_at"))
            .createdAt(instant(row, "created_at"))
            .updatedAt(instant(row, "updated_at"))
            .lastAccessedAt(instant(row, "last_accessed_at"))
            .accessCount(row.getLong("access_count"))
            .parentId(row.getString("parent_id"))
            .sessionId(row.getString("session_id"))
            .userId(row.getString("user_id"))
            .agentId(row.getString("agent_id"))
            .pinned(row.getInt("pinned") != 0)
            .archivedAt(instant(row, "archived_at"))
            .sensitive(row.getInt("sensitive") != 0)
            .factKey(row.getString("fact_key"))
            .validFrom(instant(row, "valid_from"))
            .validTo(instant(row, "valid_to"))
            .supersededBy(row.getString("superseded_by"))
            .build();
    return new Row(row.getLong("seq"), memory);
  }

  private static String column(MemorySort.Field field) {
    return "m." + field.wireName();
  }

  static final String LIVE = "(m.expires_at is null or m.expires_at > ?)";

  /**
   * A WHERE clause for a filter, with its parameters; user values only ever appear as parameters.
   */
  public record Where(String sql, List<Object> parameters) {
    public static Where of(MemoryFilter filter, long now) {
      List<String> conditions = new ArrayList<>();
      List<Object> parameters = new ArrayList<>();
      if (!filter.ids().isEmpty()) {
        conditions.add("m.id in (select value from json_each(?))");
        parameters.add(Json.write(filter.ids()));
      }
      if (!filter.types().isEmpty()) {
        conditions.add("m.type in (select value from json_each(?))");
        parameters.add(Json.write(filter.types().stream().map(MemoryType::wireName).toList()));
      }
      if (!filter.tiers().isEmpty()) {
        conditions.add("m.tier in (select value from json_each(?))");
        parameters.add(Json.write(filter.tiers().stream().map(MemoryTier::wireName).toList()));
      }
      if (!filter.tagsAny().isEmpty()) {
        conditions.add(
            "exists (select 1 from memory_tags t where t.memory_seq = m.seq"
                + " and t.tag in (select value from json_each(?)))");
        parameters.add(Json.write(filter.tagsAny()));
      }
      if (!filter.tagsAll().isEmpty()) {
        conditions.add(
            "(select count(distinct t.tag) from memory_tags t where t.memory_seq = m.seq"
                + " and t.tag in (select value from json_each(?))) = ?");
        parameters.add(Json.write(filter.tagsAll()));
        parameters.add(filter.tagsAll().size());
      }
      equal(conditions, parameters, "m.session_id", filter.sessionId());
      equal(conditions, parameters, "m.user_id", filter.userId());
      equal(conditions, parameters, "m.agent_id", filter.agentId());
      equal(conditions, parameters, "m.parent_id", filter.parentId());
      if (filter.groupId() != null) {
        conditions.add(
            "exists (select 1 from context_group_members g where g.memory_id = m.id and g.group_id = ?)");
        parameters.add(filter.groupId());
      }
      if (filter.createdFrom() != null) {
        conditions.add("m.created_at >= ?");
        parameters.add(filter.createdFrom().toEpochMilli());
      }
      if (filter.createdUntil() != null) {
        conditions.add("m.created_at <= ?");
        parameters.add(filter.createdUntil().toEpochMilli());
      }
      if (filter.minImportance() != null) {
        conditions.add("m.importance >= ?");
        parameters.add(filter.minImportance());
      }
      if (filter.metadata() != null) {
        StringBuilder metadata = new StringBuilder();
        MetadataConditions.append(filter.metadata(), metadata, parameters);
        conditions.add(metadata.toString());
      }
      if (!filter.includeExpired()) {
        conditions.add(LIVE);
        parameters.add(now);
      }
      if (!filter.includeArchived()) {
        conditions.add("m.archived_at is null");
      }
      validity(conditions, parameters, filter);
      // Lists, counts and filtered deletes leave out what this store cannot read.
      conditions.add(ContentFunctions.READABLE);
      return new Where(conditions.isEmpty() ? "1" : String.join(" and ", conditions), parameters);
    }

    /**
     * What was valid at the filter's {@code asOf} (now by default): a fact whose interval holds the
     * instant, a memory without a fact key created by then; superseded facts only when asked.
     */
    private static void validity(
        List<String> conditions, List<Object> parameters, MemoryFilter filter) {
      if (filter.asOf() == null) {
        if (!filter.includeSuperseded()) {
          conditions.add("m.valid_to is null");
        }
        return;
      }
      long asOf = filter.asOf().toEpochMilli();
      if (filter.includeSuperseded()) {
        conditions.add("m.created_at <= ?");
        parameters.add(asOf);
        return;
      }
      conditions.add(
          "(case when m.fact_key is null then m.created_at <= ?"
              + " else m.valid_from <= ? and (m.valid_to is null or m.valid_to > ?) end)");
      parameters.add(asOf);
      parameters.add(asOf);
      parameters.add(asOf);
    }

    private static void equal(
        List<String> conditions, List<Object> parameters, String column, String value) {
      if (value != null) {
        conditions.add(column + " = ?");
        parameters.add(value);
      }
    }
  }
}
