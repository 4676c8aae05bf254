package dev.memstore.internal.access;

import dev.memstore.AgentPolicy;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.internal.store.ScopedReads;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The memories an agent may reach: types, tiers and users (each empty for every value). Turns
 * itself into a {@link MemoryFilter} so that lists, counts and searches run over the scope in the
 * database and the search indexes, never filtered after the fact: types and tiers intersect the
 * filter's own sets, one user becomes the filter's user, and several users (which a filter cannot
 * name) become the ids of their memories, as a group becomes ids in a search. Immutable.
 */
final class Scope {
  private final Set<MemoryType> types;
  private final Set<MemoryTier> tiers;
  private final Set<String> users;

  Scope(AgentPolicy agent) {
    this.types = agent.types();
    this.tiers = agent.tiers();
    this.users = agent.users();
  }

  /** Whether the scope holds every memory. */
  boolean isAll() {
    return types.isEmpty() && tiers.isEmpty() && users.isEmpty();
  }

  /** Whether a memory lies in the scope. */
  boolean contains(Memory memory) {
    return contains(memory.type(), memory.tier(), memory.userId());
  }

  /** Whether a memory of this type, tier and user would lie in the scope. */
  boolean contains(MemoryType type, MemoryTier tier, String userId) {
    return (types.isEmpty() || types.contains(type))
        && (tiers.isEmpty() || tiers.contains(tier))
        && (users.isEmpty() || (userId != null && users.contains(userId)));
  }

  /** Whether the scope leaves out some types or tiers (users aside). */
  boolean limitsTypesOrTiers() {
    return !types.isEmpty() || !tiers.isEmpty();
  }

  /** Whether a session of this user lies in the scope. */
  boolean containsUser(String userId) {
    return users.isEmpty() || (userId != null && users.contains(userId));
  }

  Set<String> users() {
    return users;
  }

  /**
   * Returns the filter narrowed to the scope, or null when the two have no memory in common (the
   * answer is then empty). Several users are resolved to their memories' ids through {@code reads}.
   */
  MemoryFilter narrow(MemoryFilter filter, ScopedReads reads) {
    if (isAll()) {
      return filter;
    }
    Set<MemoryType> narrowTypes = intersect(filter.types(), types);
    Set<MemoryTier> narrowTiers = intersect(filter.tiers(), tiers);
    if (narrowTypes == null || narrowTiers == null) {
      return null;
    }
    String userId = filter.userId();
    Set<String> ids = filter.ids();
    if (!users.isEmpty()) {
      if (userId != null) {
        if (!users.contains(userId)) {
          return null;
        }
      } else if (users.size() == 1) {
        userId = users.iterator().next();
      } else {
        Set<String> scoped = new LinkedHashSet<>();
        for (String user : users) {
          scoped.addAll(
              reads.matchingIds(
                  MemoryFilter.builder()
                      .userId(user)
                      .types(narrowTypes)
                      .tiers(narrowTiers)
                      .includeExpired(true)
                      .includeArchived(true)
                      .includeSuperseded(true)
                      .build()));
        }
        if (!ids.isEmpty()) {
          scoped.retainAll(ids);
        }
        if (scoped.isEmpty()) {
          return null;
        }
        ids = scoped;
      }
    }
    return filter.toBuilder().ids(ids).types(narrowTypes).tiers(narrowTiers).userId(userId).build();
  }

  /**
   * The filter's values within the scope's: the scope's when the filter names none, null when the
   * two share none.
   */
  private static <E extends Enum<E>> Set<E> intersect(Set<E> wanted, Set<E> allowed) {
    if (allowed.isEmpty()) {
      return wanted;
    }
    if (wanted.isEmpty()) {
      return allowed;
    }
    Set<E> both = new HashSet<>(wanted);
    both.retainAll(allowed);
    return both.isEmpty() ? null : EnumSet.copyOf(both);
  }
}
