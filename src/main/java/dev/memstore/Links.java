package dev.memstore;

import java.util.List;

/**
 * The relationships between the memories of a {@link MemoryStore}: typed, weighted links from a
 * source memory to a target memory. Obtained from {@link MemoryStore#links()}.
 *
 * <p>Thread-safe, like the store it views: every method runs as one transaction of the store, and
 * the view stays usable for as long as the store is open. After {@link MemoryStore#close()} every
 * method throws {@link IllegalStateException}.
 */
public interface Links {

  /**
   * Links two memories and returns the link as stored; adding the same link (source, target, type)
   * again updates its strength.
   *
   * @param strength from 0 to 1
   * @throws ValidationException if an id or the type is malformed, the strength is out of range, or
   *     source and target are the same memory
   * @throws MemoryNotFoundException if either memory does not exist (naming every missing id)
   * @throws ReadOnlyStoreException if the store is open read-only
   * @throws StorageException if the file fails
   */
  Relationship add(String sourceId, String targetId, String type, double strength);

  /**
   * Returns the live memories linked to a memory in either direction, optionally only by links of
   * one type. Does not count as reading them.
   *
   * @param typeOrNull the link type to follow, or null for every type
   * @throws ValidationException if the id or type is malformed
   * @throws MemoryNotFoundException if the memory does not exist
   * @throws StorageException if the file fails
   */
  List<RelatedMemory> related(String memoryId, String typeOrNull);

  /**
   * Removes a link by its id.
   *
   * @return false when no link had this id
   * @throws ReadOnlyStoreException if the store is open read-only
   * @throws StorageException if the file fails
   */
  boolean remove(long relationshipId);
}
