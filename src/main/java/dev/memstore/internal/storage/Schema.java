package dev.memstore.internal.storage;

import dev.memstore.UnsupportedSchemaException;
import java.sql.Connection;
import java.util.List;
import java.util.stream.Stream;

/**
 * The file's schema and its migrations. The version lives in {@code PRAGMA user_version}; each
 * migration moves the file one version up, and all pending migrations run in the one transaction
 * that opens the store, so a file is always at one whole version.
 *
 * <p>The sqlite-vec table is not part of the schema: its dimension depends on the embedding model
 * and the extension may be missing, so the store creates it when it can.
 */
public final class Schema {
  /** The tokenizer of the full-text index, which the in-memory keyword index copies. */
  public static final String FULL_TEXT_TOKENIZER = "porter unicode61 remove_diacritics 2";

  /**
   * The dimension of the vector table when no embedder says otherwise: that of the default model.
   */
  public static final int DEFAULT_DIMENSION = 384;

  private static final List<String> VERSION_1 =
      List.of(
          """
          create table store_meta (
            key text primary key,
            value text not null
          ) without rowid""",
          """
          create table sessions (
            id text primary key,
            user_id text,
            session_type text not null,
            metadata text not null default '{}',
            created_at integer not null,
            ended_at integer,
            summary text,
            archived integer not null default 0
          ) without rowid""",
          "create index sessions_by_created on sessions (created_at)",
          """
          create table memories (
            seq integer primary key,
            id text not null unique,
            type text not null,
            tier text not null,
            content text not null,
            source_agent text,
            metadata text not null default '{}',
            importance real not null check (importance >= 0 and importance <= 1),
            priority integer not null check (priority between 1 and 10),
            ttl_seconds integer check (ttl_seconds > 0),
            expires_at integer,
            created_at integer not null,
            updated_at integer not null,
            last_accessed_at integer,
            access_count integer not null default 0,
            parent_id text references memories (id),
            session_id text references sessions (id),
            user_id text,
            agent_id text
          )""",
          "create index memories_by_created on memories (created_at)",
          "create index memories_by_parent on memories (parent_id) where parent_id is not null",
          "create index memories_by_session on memories (session_id, created_at) where session_id is not null",
          "create index memories_by_user on memories (user_id, created_at) where user_id is not null",
          "create index memories_by_expiry on memories (expires_at) where expires_at is not null",
          """
          create table memory_tags (
            memory_seq integer not null references memories (seq) on delete cascade,
            position integer not null,
            tag text not null,
            primary key (memory_seq, position)
          ) without rowid""",
          "create index memory_tags_by_tag on memory_tags (tag, memory_seq)",
          """
          create table relationships (
            id integer primary key,
            source_id text not null references memories (id) on delete cascade,
            target_id text not null references memories (id) on delete cascade,
            type text not null,
            strength real not null check (strength >= 0 and strength <= 1),
            created_at integer not null,
            unique (source_id, target_id, type)
          )""",
          "create index relationships_by_target on relationships (target_id)",
          """
          create table context_groups (
            id integer primary key,
            name text not null unique,
            description text,
            created_at integer not null
          )""",
          """
          create table context_group_members (
            group_id integer not null references context_groups (id) on delete cascade,
            memory_id text not null references memories (id) on delete cascade,
            added_at integer not null,
            primary key (group_id, memory_id)
          ) without rowid""",
          "create index context_group_members_by_memory on context_group_members (memory_id)",
          """
          create table memory_history (
            seq integer primary key,
            memory_id text not null,
            action text not null,
            at integer not null,
            changes text
          )""",
          "create index memory_history_by_memory on memory_history (memory_id, seq)",
          // Contentless: the text lives once, in memories. contentless_delete lets rows be deleted
          // by rowid, and
          // secure-delete removes a deleted row's terms from the index at once instead of leaving
          // delete markers.
          "create virtual table memory_fts using fts5 (content, tags, content = '',"
              + " contentless_delete = 1, tokenize = '"
              + FULL_TEXT_TOKENIZER
              + "')",
          "insert into memory_fts (memory_fts, rank) values ('secure-delete', 1)",
          // The embeddings themselves: the source of truth for the in-memory search index and for
          // rebuilding the
          // sqlite-vec table, and much faster to read in bulk than vec0's chunks (0.14 s against
          // 1.5 s per 100k).
          """
          create table memory_embeddings (
            memory_seq integer primary key references memories (seq) on delete cascade,
            vector blob not null
          )""",
          // Which memories changed, in commit order: how a process's search index catches up with
          // writes made by
          // any process. Holds row numbers only; old entries are trimmed.
          """
          create table memory_changes (
            seq integer primary key autoincrement,
            memory_seq integer not null
          )""");

  /**
   * Version 2 (lifecycle): pinned memories are exempt from pruning and eviction; archived ones are
   * kept for history but left out of default reads and searches; the normalized-text key finds an
   * exact duplicate on create without reading texts. Keys of rows from version 1 are filled in by
   * the store at open ({@code content_key is null}).
   */
  private static final List<String> VERSION_2 =
      List.of(
          "alter table memories add column pinned integer not null default 0",
          "alter table memories add column archived_at integer",
          "alter table memories add column content_key text",
          "create index memories_by_content_key on memories (content_key) where content_key is not null",
          """
          create table maintenance_runs (
            seq integer primary key,
            at integer not null,
            report text not null
          )""");

  /**
   * Version 3: the change log marks the changes that only counted accesses, so that a process
   * catching up takes just their new access times instead of reading their rows, vectors and terms
   * again (each search's hits are counted, so most changes are of this kind).
   */
  private static final List<String> VERSION_3 =
      List.of("alter table memory_changes add column access_only integer not null default 0");

  /**
   * Version 4: history entries are numbered without reuse, and each names the store that wrote it
   * ({@code writer_id}, see {@link Database#writerId}), so that a store can tell its listeners what
   * other stores did by reading the entries after the last one it saw. Before, a deletion that
   * replaced a memory's entries could take the number of the newest one it removed, and a reader
   * past that number would miss it.
   */
  private static final List<String> VERSION_4 =
      List.of(
          """
          create table memory_history_numbered (
            seq integer primary key autoincrement,
            memory_id text not null,
            action text not null,
            at integer not null,
            changes text,
            writer_id integer
          )""",
          "insert into memory_history_numbered (seq, memory_id, action, at, changes)"
              + " select seq, memory_id, action, at, changes from memory_history order by seq",
          "drop table memory_history",
          "alter table memory_history_numbered rename to memory_history",
          "create index memory_history_by_memory on memory_history (memory_id, seq)");

  /**
   * Version 5 (privacy and security, issue 15), in three parts that land together.
   *
   * <p>Sealing and compression: a memory's {@code content} holds either its text or, when {@code
   * content_encoding} is not 0, a blob (bit 1: compressed, bit 2: sealed, that is encrypted with
   * the store key; a sealed memory also carries its metadata inside the blob). A sealed memory's
   * vector is encrypted too ({@code memory_embeddings.sealed}) and never enters the sqlite-vec
   * table or the full-text index.
   */
  private static final List<String> VERSION_5_SEALING =
      List.of(
          "alter table memories add column sensitive integer not null default 0",
          "alter table memories add column content_encoding integer not null default 0",
          "alter table memory_embeddings add column sealed integer not null default 0");

  /**
   * Version 5, audit: one row per operation, appended in batches, never holding content or query
   * text; {@code memory_ids} is a JSON array (or null), {@code outcome} {@code ok} or an error
   * code.
   */
  private static final List<String> VERSION_5_AUDIT =
      List.of(
          """
          create table audit_log (
            seq integer primary key,
            at integer not null,
            agent text not null,
            action text not null,
            memory_ids text,
            outcome text not null
          )""",
          "create index audit_log_by_time on audit_log (at)");

  /**
   * Version 5, forgetting: a forgotten memory's id and content key stay behind as a tombstone so
   * that an import of an older export cannot bring it back; each forget leaves a receipt (what was
   * removed, when and by whom, never the content); backups made through the store are recorded so
   * that {@code doctor} can warn about those older than a forget.
   */
  private static final List<String> VERSION_5_FORGETTING =
      List.of(
          """
          create table tombstones (
            memory_id text primary key,
            content_key text,
            forgotten_at integer not null,
            receipt_seq integer not null
          ) without rowid""",
          "create index tombstones_by_content_key on tombstones (content_key)"
              + " where content_key is not null",
          """
          create table forget_receipts (
            seq integer primary key,
            at integer not null,
            agent text,
            criteria text not null,
            removed text not null
          )""",
          """
          create table backups (
            path text primary key,
            made_at integer not null
          ) without rowid""");

  private static final List<String> VERSION_5 =
      Stream.of(VERSION_5_SEALING, VERSION_5_AUDIT, VERSION_5_FORGETTING)
          .flatMap(List::stream)
          .toList();

  /**
   * Version 6 (facts that stay true, issue 16): a memory may state a fact under a key (a subject
   * and an attribute, such as {@code user-12345:home_city}); storing a new fact under the key of a
   * current one supersedes it (sets its {@code valid_to} and {@code superseded_by}) instead of
   * deleting it. Times are epoch milliseconds; {@code valid_to} null means current.
   */
  private static final List<String> VERSION_6 =
      List.of(
          "alter table memories add column fact_key text",
          "alter table memories add column valid_from integer",
          "alter table memories add column valid_to integer",
          "alter table memories add column superseded_by text",
          "create index memories_by_fact_key on memories (fact_key, valid_to)"
              + " where fact_key is not null");

  /**
   * Version 7: whether a memory's vector was given by the caller rather than computed from its text
   * by the store. The health check and repair compare only computed vectors with their text: a
   * given one (an image's, a vector without text) cannot be computed again, and replacing it would
   * lose it.
   */
  private static final List<String> VERSION_7 =
      List.of("alter table memory_embeddings add column given integer not null default 0");

  private static final List<List<String>> MIGRATIONS =
      List.of(VERSION_1, VERSION_2, VERSION_3, VERSION_4, VERSION_5, VERSION_6, VERSION_7);

  /** Returns the newest schema version this code knows. */
  public int latestVersion() {
    return MIGRATIONS.size();
  }

  /** Brings the file to the latest version; call inside a write transaction. */
  void migrate(Connection connection) {
    int version = (int) Sql.queryLong(connection, "pragma user_version");
    if (version > latestVersion()) {
      throw new UnsupportedSchemaException(
          "schema version "
              + version
              + " is newer than "
              + latestVersion()
              + "; the file was not modified");
    }
    if (version == 0) {
      Sql.execute(connection, "pragma application_id = " + Database.APPLICATION_ID);
    }
    for (int next = version + 1; next <= latestVersion(); next++) {
      for (String statement : MIGRATIONS.get(next - 1)) {
        Sql.execute(connection, statement);
      }
      Sql.execute(connection, "pragma user_version = " + next);
    }
  }

  /** Refuses a read-only file that is not at the latest version (it cannot be migrated). */
  Void requireCurrent(Connection connection) {
    long version = Sql.queryLong(connection, "pragma user_version");
    if (version != latestVersion()) {
      throw new UnsupportedSchemaException(
          "the file has schema version "
              + version
              + " and is open read-only, so it cannot be migrated to "
              + latestVersion()
              + "; open it writable once");
    }
    return null;
  }
}
