package dev.memstore;

import java.util.List;

/**
 * The context groups of a {@link MemoryStore}: named sets of memories, created and filled here.
 * Obtained from {@link MemoryStore#groups()}. A memory's groups also filter lists and searches
 * through {@link MemoryFilter}.
 *
 * <p>Thread-safe, like the store it views: every method runs as one transaction of the store, and
 * the view stays usable for as long as the store is open. After {@link MemoryStore#close()} every
 * method throws {@link IllegalStateException}.
 */
public interface ContextGroups {

  /**
   * Creates a context group and returns it as stored.
   *
   * @param name unique among the store's groups
   * @param descriptionOrNull free text, or null
   * @throws ValidationException if the name is empty, malformed or taken, or the description too
   *     large
   * @throws ReadOnlyStoreException if the store is open read-only
   * @throws StorageException if the file fails
   */
  ContextGroup create(String name, String descriptionOrNull);

  /**
   * Returns every context group, by name, each with its count of live members.
   *
   * @throws StorageException if the file fails
   */
  List<ContextGroup> list();

  /**
   * Adds a memory to a group.
   *
   * @return false when it was already a member
   * @throws ValidationException if the id is malformed or the group does not exist
   * @throws MemoryNotFoundException if no live memory has this id
   * @throws ReadOnlyStoreException if the store is open read-only
   * @throws StorageException if the file fails
   */
  boolean add(long groupId, String memoryId);

  /**
   * Removes a memory from a group; an expired memory may still be removed.
   *
   * @return false when it was not a member
   * @throws ValidationException if the id is malformed or the group does not exist
   * @throws MemoryNotFoundException if no memory has this id
   * @throws ReadOnlyStoreException if the store is open read-only
   * @throws StorageException if the file fails
   */
  boolean remove(long groupId, String memoryId);

  /**
   * Returns one page of a group's live members, newest first. Does not count as reading them.
   *
   * @throws ValidationException if the group does not exist, {@code offset} is negative or {@code
   *     limit} out of range
   * @throws StorageException if the file fails
   */
  Page<Memory> members(long groupId, int offset, int limit);
}
