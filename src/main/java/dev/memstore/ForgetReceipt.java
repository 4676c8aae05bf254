package dev.memstore;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one {@link Privacy#forget} removed, when and by whom; never the content. The store keeps
 * every receipt ({@link Privacy#forgetReceipts}). Immutable.
 *
 * @param number the receipt's number in this store, from 1, never reused
 * @param at when the memories were forgotten
 * @param agent the agent that forgot them, or null when the store was not opened as an agent
 * @param criteria the request as the protocol names its fields ({@code memory_ids}, {@code filter},
 *     {@code user_id}, {@code session_id}, {@code tags}, {@code limit}, {@code min_score}); a text
 *     query only as {@code query_sha256}, the SHA-256 of its UTF-8 bytes in hex
 * @param removedIds every memory removed, derived ones included
 * @param memories how many memories were removed
 * @param historyEntries how many change-history entries were removed (none is left behind)
 * @param links how many relationships and context-group memberships were removed
 * @param vectors how many stored embeddings were removed (with their sqlite-vec rows)
 * @param indexEntries how many full-text index rows and tags were removed
 * @param logCleared whether the write-ahead log was emptied right after the deletion, so that it no
 *     longer holds the old pages; false when a reader of another process held it: the store then
 *     tries again in the background until it succeeds
 * @param snapshotRewritten whether the snapshot beside the file ({@code memory.db.snapshot}) was
 *     made again without the forgotten memories; false when there is none
 */
public record ForgetReceipt(
    long number,
    Instant at,
    String agent,
    Map<String, Object> criteria,
    List<String> removedIds,
    long memories,
    long historyEntries,
    long links,
    long vectors,
    long indexEntries,
    boolean logCleared,
    boolean snapshotRewritten) {
  public ForgetReceipt {
    Objects.requireNonNull(at, "at");
    criteria = Map.copyOf(criteria);
    removedIds = List.copyOf(removedIds);
  }
}
