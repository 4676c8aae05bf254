package dev.memstore;

import java.nio.file.Path;

/**
 * The view of a store's privacy and security: forgetting, the audit trail and the key that seals
 * sensitive memories. Obtained from {@link MemoryStore#privacy()}; thread-safe.
 */
public interface Privacy {
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
