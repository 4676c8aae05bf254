package dev.memstore;

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
}
