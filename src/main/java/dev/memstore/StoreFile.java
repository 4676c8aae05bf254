package dev.memstore;

import java.io.Reader;
import java.io.Writer;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * The SQLite file behind a {@link MemoryStore}: its statistics, health checks and repairs, export
 * and import, backups and checkpoints. Obtained from {@link MemoryStore#file()}.
 *
 * <p>Thread-safe, like the store it views: other threads and processes may use the store while any
 * of these run, and the view stays usable for as long as the store is open. After {@link
 * MemoryStore#close()} every method throws {@link IllegalStateException}.
 */
public interface StoreFile {

  /**
   * Returns counts and sizes of the store, with this process's cache and search statistics.
   *
   * @throws StorageException if the file fails
   */
  StoreStats stats();

  /**
   * Returns the file's activity: memories created and removed per day, the spread of importance,
   * memories per user, the kept maintenance runs and the most linked memory. Figures over the whole
   * file, read in one snapshot without reading any memory's content; under an access policy it
   * needs the admin right.
   *
   * @throws StorageException if the file fails
   */
  StoreActivity activity();

  /**
   * Checks the file: SQLite's quick integrity check, then every row an export reads (so a file that
   * {@link #exportTo} cannot read is never called healthy), the full-text index and the sqlite-vec
   * table against the memories, the stored vectors of 20 random memories against the file's model
   * (each re-embedded; a cosine below 0.99 is a problem), and memories waiting for embeddings.
   * Reads only.
   *
   * @throws StorageException if the file cannot be read at all
   */
  StoreHealth health();

  /**
   * Checks the file as {@link #health()} does, and with {@code full} more thoroughly: SQLite's full
   * {@code integrity_check} (which also compares every index with its table) instead of the quick
   * one, and the vectors of 500 random memories instead of 20. Takes seconds on a large file.
   *
   * @throws StorageException if the file cannot be read at all
   */
  StoreHealth health(boolean full);

  /**
   * Repairs what can be repaired without loss: rebuilds the full-text index and the sqlite-vec
   * table from the memories, embeds the memories waiting for it, embeds every memory again and
   * replaces the vectors that do not match (vectors of another model; never a vector the caller
   * gave), then checks again. A file that fails SQLite's integrity check is not changed; restore it
   * from a backup.
   *
   * @return the health after the repair
   * @throws ReadOnlyStoreException if the store is open read-only
   * @throws StorageException if the file fails
   */
  StoreHealth repair();

  /**
   * Merges the full-text index, refreshes SQLite's statistics and, when a quarter of the file is
   * free pages or {@code forceVacuum}, rewrites the file smaller. Writers of this process wait
   * while the file is rewritten.
   *
   * @throws ReadOnlyStoreException if the store is open read-only
   * @throws StorageException if the file fails
   */
  OptimizeReport optimize(boolean forceVacuum);

  /**
   * Writes the whole store as JSON Lines: a header, then every session, memory (with its embedding
   * and change history), relationship and context group (with its members), one per line, in an
   * order that depends only on the contents, so that exporting an imported export gives the same
   * bytes. README documents the format. Reads one snapshot; writers are not held up.
   *
   * @param progress told the number of records written so far, now and then; may be null
   * @throws StorageException if the file fails or {@code out} throws
   */
  TransferReport exportTo(Writer out, LongConsumer progress);

  /**
   * Reads an export into this store, keeping every id, time, count and vector (vectors only when
   * the export's model is this store's). Memories without a vector for this store's model are
   * embedded with it before the import returns, so that none is left unsearchable; those the model
   * could not embed (it failed) are counted in {@link TransferReport#awaitingEmbedding()} and
   * embedded by {@link Embeddings#embedPending()} or the background backlog. Every line is checked
   * before anything is written, with the checks of {@link MemoryStore#create} and more (vectors of
   * finite numbers and the export's dimension, counts not negative, no memory related to itself or
   * its own parent, well-formed ids, times from 1970 to 9999): a bad line is skipped with {@code
   * skipBadLines}, and otherwise fails the import with a {@link ValidationException} naming its
   * line, and nothing is imported. Records are written in transactions of 1,000, each record whole.
   *
   * @param progress told the number of records written so far, now and then; may be null
   * @throws ValidationException if a line is bad and {@code skipBadLines} is false
   * @throws ReadOnlyStoreException if the store is open read-only
   * @throws StorageException if the file fails or {@code in} throws
   */
  default TransferReport importFrom(Reader in, boolean skipBadLines, LongConsumer progress) {
    return importFrom(in, skipBadLines, false, progress);
  }

  /**
   * Reads an export into this store as {@link #importFrom(Reader, boolean, LongConsumer)} does.
   * Memories forgotten in this store (see {@link Privacy#forget}: the same id, or the same content
   * created before the forget) are refused and listed in {@link TransferReport#forgottenRefused()},
   * with their relationships and group memberships; their children come without a parent. With
   * {@code allowForgotten} they are imported, and their tombstones dropped.
   *
   * @param allowForgotten whether forgotten memories may come back
   * @param progress told the number of records written so far, now and then; may be null
   * @throws ValidationException if a line is bad and {@code skipBadLines} is false
   * @throws ReadOnlyStoreException if the store is open read-only
   * @throws StorageException if the file fails or {@code in} throws
   */
  TransferReport importFrom(
      Reader in, boolean skipBadLines, boolean allowForgotten, LongConsumer progress);

  /**
   * Writes a complete, consistent copy of the store to a new file while the store stays in use. The
   * target must not exist; it appears only once complete. A writable store records the copy, so
   * that {@link #health} can warn when it still holds memories forgotten after it was made.
   *
   * @throws ValidationException if the target exists
   * @throws StorageException if the copy fails
   */
  void backup(Path target);

  /**
   * Moves everything in the write-ahead log into the database file now, and empties the log, so
   * that the file alone holds every write. Waits up to the busy timeout for readers and for a
   * checkpoint another connection is running. Does nothing on a read-only store.
   *
   * @throws StorageException if the file fails, or if another connection kept the log from being
   *     folded within the busy timeout ({@link StorageException#sqliteResultCode()} 5, busy)
   */
  void checkpoint();
}
