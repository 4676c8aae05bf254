package dev.memstore.internal.storage;

import dev.memstore.OptimizeReport;
import dev.memstore.StorageException;
import dev.memstore.StoreHealth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Health checks and optimization of a store's file. */
public final class Health {
  private Health() {}

  public static StoreHealth check(
      Database database, boolean hasSqliteVec, boolean hasModel, boolean full) {
    // FTS5's own check is issued as an INSERT: a write transaction of its own, and none at all on
    // a read-only file.
    String fullTextProblem = null;
    if (!database.isReadOnly()) {
      try {
        database.write(
            connection -> {
              Sql.execute(
                  connection,
                  "insert into memory_fts (memory_fts, rank) values ('integrity-check', 0)");
              return null;
            });
      } catch (RuntimeException e) {
        fullTextProblem = e.getMessage();
      }
    }
    String problem = fullTextProblem;
    return database.read(connection -> check(connection, hasSqliteVec, hasModel, full, problem));
  }

  private static StoreHealth check(
      Connection connection,
      boolean hasSqliteVec,
      boolean hasModel,
      boolean full,
      String fullTextProblem) {
    List<String> issues = new ArrayList<>();
    refreshFullTextLayout(connection);
    // quick_check skips comparing each index with its table: the full check's extra time.
    List<String> integrity =
        Sql.query(
            connection,
            full ? "pragma integrity_check" : "pragma quick_check",
            row -> row.getString(1));
    boolean integrityOk = integrity.equals(List.of("ok"));
    if (!integrityOk) {
      issues.add("SQLite's integrity check failed: " + String.join("; ", integrity));
    }
    long withoutText =
        Sql.queryLong(
            connection,
            "select count(*) from memories where not sensitive"
                + " and seq not in (select id from memory_fts_docsize)");
    long orphanText =
        Sql.queryLong(
            connection,
            "select count(*) from memory_fts_docsize where id not in (select seq from memories)");
    boolean fullTextOk = withoutText == 0 && orphanText == 0;
    if (withoutText > 0) {
      issues.add(withoutText + " memories are missing from the full-text index");
    }
    if (orphanText > 0) {
      issues.add(orphanText + " full-text rows belong to no memory");
    }
    if (fullTextProblem != null) {
      fullTextOk = false;
      issues.add("the full-text index failed FTS5's integrity check: " + fullTextProblem);
    }
    boolean vectorsOk = true;
    if (hasSqliteVec) {
      // Vectors of the newest memories reach the table at the next checkpoint (VectorStorage):
      // only those up to its mark must be there.
      long embeddings =
          Sql.queryLong(
              connection,
              "select count(*) from memory_embeddings where sealed = 0 and memory_seq <= coalesce("
                  + "(select cast(value as integer) from store_meta where key = ?), 9223372036854775807)",
              VectorStorage.FILLED_TO);
      long stale =
          Sql.queryLong(
              connection, "select count(*) from store_meta where key = 'vector_table_stale'");
      Long vectorRows =
          Sql.queryFirst(
                      connection,
                      "select count(*) from sqlite_master where name = 'memory_vectors'",
                      row -> row.getLong(1))
                  > 0
              ? Sql.queryLong(connection, "select count(*) from memory_vectors")
              : null;
      if (stale > 0 || vectorRows == null || vectorRows != embeddings) {
        vectorsOk = false;
        issues.add(
            "the sqlite-vec table holds "
                + (vectorRows == null ? "no table" : vectorRows + " vectors")
                + " for "
                + embeddings
                + " embeddings; the next writable open rebuilds it");
      }
    }
    long unembedded =
        hasModel
            ? Sql.queryLong(
                connection,
                "select count(*) from memories m where not exists"
                    + " (select 1 from memory_embeddings e where e.memory_seq = m.seq)"
                    + " and "
                    + ContentFunctions.READABLE)
            : 0;
    if (unembedded > 0) {
      issues.add(unembedded + " memories wait to be embedded (embed_pending)");
    }
    double score = integrityOk ? Math.max(0.2, 1 - 0.2 * issues.size()) : 0;
    return new StoreHealth(score, integrityOk, fullTextOk, vectorsOk, unembedded, issues);
  }

  /**
   * Makes FTS5 drop the layout of the full-text index (its segments) that this connection cached,
   * if another connection changed the index since, so that the integrity check that follows in the
   * same read transaction checks the index as it is. SQLite's quick_check and integrity_check run
   * FTS5's check (xIntegrity) with the cached layout as it is: after a merge by another connection
   * (at every checkpoint after a deletion) they read segments the merge removed and report "fts5:
   * corruption found reading blob ..." on a sound index (seen with SQLite 3.54.1, sqlite-jdbc
   * 3.54.1.0). Opening a cursor on the table is what makes FTS5 compare the file's data_version
   * with its cache. A damaged index may fail this read: the check reports it.
   */
  private static void refreshFullTextLayout(Connection connection) {
    try {
      Sql.query(connection, "select rowid from memory_fts where rowid = 0", row -> row.getLong(1));
    } catch (StorageException damaged) {
      // The integrity check that follows says what is wrong.
    }
  }

  /**
   * Rebuilds what is derived from the memories and can be rebuilt without loss: the full-text index
   * and the sqlite-vec table, each in one transaction.
   */
  public static void rebuildIndexes(Database database, VectorStorage vectors) {
    database.write(
        connection -> {
          Sql.execute(connection, "insert into memory_fts (memory_fts) values ('delete-all')");
          Sql.execute(
              connection,
              "insert into memory_fts (rowid, content, tags) select m.seq, "
                  + ContentFunctions.TEXT
                  + """
                  , coalesce((select group_concat(tag, ' ') from
                    (select tag from memory_tags t where t.memory_seq = m.seq order by t.position)), '')
                  from memories m where not m.sensitive""");
          Sql.execute(connection, "insert into memory_fts (memory_fts) values ('optimize')");
          vectors.rebuild(connection);
          return null;
        });
  }

  /** Merges the full-text index, lets SQLite refresh its statistics, and vacuums when worth it. */
  public static OptimizeReport optimize(Database database, boolean forceVacuum) {
    long started = System.nanoTime();
    long before = sizeWithLog(database.path());
    database.write(
        connection -> {
          Sql.execute(connection, "insert into memory_fts (memory_fts) values ('optimize')");
          Sql.update(connection, "delete from store_meta where key = 'fts_purge_pending'");
          Sql.execute(connection, "pragma optimize");
          return null;
        });
    boolean worthIt =
        database.read(
            connection -> {
              long free = Sql.queryLong(connection, "pragma freelist_count");
              long pages = Sql.queryLong(connection, "pragma page_count");
              return pages > 0 && free * 4 >= pages;
            });
    boolean vacuum = forceVacuum || worthIt;
    if (vacuum) {
      database.vacuum();
    } else {
      database.checkpoint();
    }
    return new OptimizeReport(
        true,
        vacuum,
        before,
        sizeWithLog(database.path()),
        Duration.ofNanos(System.nanoTime() - started));
  }

  private static long sizeWithLog(Path file) {
    return size(file) + size(file.resolveSibling(file.getFileName() + "-wal"));
  }

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
