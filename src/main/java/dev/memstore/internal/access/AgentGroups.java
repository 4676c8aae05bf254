package dev.memstore.internal.access;

import dev.memstore.ContextGroup;
import dev.memstore.ContextGroups;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.Page;
import dev.memstore.internal.access.Guard.Kind;
import java.util.Collections;
import java.util.List;

/**
 * The context groups as one agent sees them: every group, but of its members only those in the
 * agent's scope, counted over the scope. Thread-safe.
 */
final class AgentGroups implements ContextGroups {
  private final Guard guard;
  private final ContextGroups groups;

  AgentGroups(Guard guard, ContextGroups groups) {
    this.guard = guard;
    this.groups = groups;
  }

  @Override
  public ContextGroup create(String name, String descriptionOrNull) {
    return guard.run(
        "create_context_group",
        Kind.WRITE,
        () -> groups.create(name, descriptionOrNull),
        Guard::none);
  }

  @Override
  public List<ContextGroup> list() {
    return guard.run(
        "list_context_groups",
        Kind.READ,
        () -> {
          if (guard.unscoped()) {
            return groups.list();
          }
          MemoryFilter within = guard.within();
          return guard.reads.groups(within == null ? Guard.nothing() : within);
        },
        Guard::none);
  }

  @Override
  public boolean add(long groupId, String memoryId) {
    return guard.run(
        "add_to_group",
        Kind.WRITE,
        Collections.singletonList(memoryId),
        () -> groups.add(groupId, memoryId),
        added -> List.of(memoryId));
  }

  @Override
  public boolean remove(long groupId, String memoryId) {
    return guard.run(
        "remove_from_group",
        Kind.WRITE,
        Collections.singletonList(memoryId),
        () -> groups.remove(groupId, memoryId),
        removed -> List.of(memoryId));
  }

  @Override
  public Page<Memory> members(long groupId, int offset, int limit) {
    return guard.run(
        "get_memories_by_group",
        Kind.READ,
        () -> {
          if (guard.unscoped()) {
            return groups.members(groupId, offset, limit);
          }
          groups.members(groupId, 0, 1); // the view's checks: the group exists
          MemoryFilter narrowed = guard.narrow(MemoryFilter.builder().groupId(groupId).build());
          return narrowed == null
              ? Guard.<Memory>emptyPage(offset, limit)
              : guard.store.list(narrowed, MemorySort.NEWEST_FIRST, offset, limit);
        },
        Guard::pageIds);
  }
}
