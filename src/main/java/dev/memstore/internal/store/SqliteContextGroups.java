package dev.memstore.internal.store;

import dev.memstore.ContextGroup;
import dev.memstore.ContextGroups;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryNotFoundException;
import dev.memstore.MemorySort;
import dev.memstore.Page;
import dev.memstore.ValidationException;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.LinkQueries;
import dev.memstore.internal.storage.MemoryQueries;
import dev.memstore.internal.write.MemoryWrites;
import dev.memstore.internal.write.Validator;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;

/** The store's context groups: checks arguments, then one transaction each. Thread-safe. */
final class SqliteContextGroups implements ContextGroups {
  private final Database database;
  private final MemoryWrites writes;

  SqliteContextGroups(Database database, MemoryWrites writes) {
    this.database = database;
    this.writes = writes;
  }

  @Override
  public ContextGroup create(String name, String descriptionOrNull) {
    Validator validator = writes.validator();
    String checkedName = validator.name("name", name);
    if (checkedName == null) {
      throw new ValidationException("name", "name must not be empty");
    }
    String description =
        descriptionOrNull == null ? null : validator.content("description", descriptionOrNull);
    return database.write(
        connection -> {
          if (LinkQueries.groupNamed(connection, checkedName)) {
            throw new ValidationException(
                "name", "a context group named '" + checkedName + "' already exists");
          }
          return LinkQueries.insertGroup(connection, checkedName, description, writes.now());
        });
  }

  @Override
  public List<ContextGroup> list() {
    long now = writes.now().toEpochMilli();
    return database.read(connection -> LinkQueries.groups(connection, now));
  }

  private static void requireGroup(Connection connection, long groupId) {
    if (!LinkQueries.groupExists(connection, groupId)) {
      throw new ValidationException("group_id", "context group " + groupId + " does not exist");
    }
  }

  @Override
  public boolean add(long groupId, String memoryId) {
    Validator.memoryId("memory_id", memoryId);
    return database.write(
        connection -> {
          Instant now = writes.now();
          requireGroup(connection, groupId);
          MemoryWrites.requireLive(connection, memoryId, now);
          return LinkQueries.addMember(connection, groupId, memoryId, now.toEpochMilli());
        });
  }

  @Override
  public boolean remove(long groupId, String memoryId) {
    Validator.memoryId("memory_id", memoryId);
    return database.write(
        connection -> {
          requireGroup(connection, groupId);
          // Expired memories may still be members and can be removed; an unknown id cannot.
          if (!MemoryQueries.exists(connection, memoryId)) {
            throw new MemoryNotFoundException(memoryId);
          }
          return LinkQueries.removeMember(connection, groupId, memoryId);
        });
  }

  @Override
  public Page<Memory> members(long groupId, int offset, int limit) {
    Validator.page(offset, limit);
    long now = writes.now().toEpochMilli();
    return database.read(
        connection -> {
          requireGroup(connection, groupId);
          MemoryFilter filter = MemoryFilter.builder().groupId(groupId).build();
          List<Memory> items =
              MemoryQueries.list(connection, filter, MemorySort.NEWEST_FIRST, offset, limit, now);
          long total = MemoryQueries.count(connection, filter, now);
          return new Page<>(
              items.stream().map(writes.accessLog()::withPending).toList(), total, offset, limit);
        });
  }
}
