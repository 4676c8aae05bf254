package dev.memstore;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * The view of a store's privacy and security: forgetting, the audit trail and the key that seals
 * sensitive memories. Obtained from {@link MemoryStore#privacy()}; thread-safe.
 */
public interface Privacy {
  // The audit trail

  /**
   * Returns the entries of the audit trail that the query selects: the newest {@link
   * AuditQuery#limit()} of them, oldest first. Entries are written in batches about a second apart;
   * this store's own pending entries are written first, other processes' from their last batch on.
   * A store opened read-only writes no entries of its own but reads those in the file.
   */
  List<AuditEntry> audit(AuditQuery query);

  // Forgetting

  /**
   * Returns what {@link #forget} would remove for the request, changing nothing: the memories it
   * selects and the summaries and consolidated memories built from them, which quote them.
   *
   * @throws ValidationException if an id is malformed
   * @throws MemoryNotFoundException if an id names no memory
   * @throws StorageException if the file fails
   */
  ForgetPreview previewForget(ForgetRequest request);

  /**
   * Forgets memories for good, in one transaction: the memories the request selects and those built
   * from them (see {@link #previewForget}), with all their history, relationships, group
   * memberships, vectors, full-text rows and change-log entries; children are kept and detached.
   * Each leaves a tombstone (its id and a hash of its content) so that an import of an older export
   * does not bring it back (see {@link #allowForgotten}). Then the write-ahead log is emptied and
   * the snapshot beside the file made again, so that no file the store keeps holds the forgotten
   * text; backups made earlier still do ({@link StoreFile#health} warns about those it recorded).
   * Selecting nothing forgets nothing and still returns a receipt.
   *
   * @return the receipt, which holds no content
   * @throws ValidationException if an id is malformed
   * @throws MemoryNotFoundException if an id names no memory; nothing is forgotten
   * @throws ReadOnlyStoreException if the store is open read-only
   * @throws StorageException if the file fails; nothing is forgotten
   */
  ForgetReceipt forget(ForgetRequest request);

  /**
   * Returns the receipts of every forget, oldest first.
   *
   * @throws StorageException if the file fails
   */
  List<ForgetReceipt> forgetReceipts();

  /**
   * Lets forgotten memories come back: drops their tombstones, so that an import may bring them in
   * again. Ids without a tombstone are ignored.
   *
   * @return how many tombstones were dropped
   * @throws ValidationException if an id is malformed
   * @throws ReadOnlyStoreException if the store is open read-only
   * @throws StorageException if the file fails
   */
  int allowForgotten(Collection<String> memoryIds);

  // Sealing

  /**
   * Re-seals every sensitive memory (content, metadata and vector) under the key in {@code
   * newKeyFile} and makes it the store's key, in committed batches. The store must be open with its
   * current key. Resumable: when a run is interrupted (even killed), the store opens with either
   * key and reads what that key sealed, and calling this again with both keys (the store opened
   * with the old one) re-seals the rest. Afterwards the store opens with the new key only.
   *
   * @return how many memories this call re-sealed
   * @throws PermissionDeniedException when the store was opened without its key
   * @throws StorageException when the new key file is missing, readable by others or holds no key
   * @throws ValidationException when a rotation to yet another key is unfinished
   */
  long rotateKey(Path newKeyFile);
}
