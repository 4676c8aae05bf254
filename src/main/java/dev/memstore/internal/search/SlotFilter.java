package dev.memstore.internal.search;

import dev.memstore.MemoryFilter;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.internal.search.PostingLists.Column;

/**
 * A {@link MemoryFilter} compiled against a {@link VectorIndex}'s columns: masks and codes that
 * {@link #test} compares per slot, and the posting lists that seed the set of allowed slots. Lives
 * for one read of the index, under its read lock.
 */
final class SlotFilter {
  /** The columns of {@link #session}, {@link #user}, {@link #agent} and {@link #parent}. */
  private static final Column[] EQUALITY_COLUMNS = {
    Column.SESSION, Column.USER, Column.AGENT, Column.PARENT
  };

  private final VectorIndex index;
  private final MemoryFilter filter;
  private final long now;
  private final boolean checkExpiry;
  private final int typeMask;
  private final int tierMask;
  private final int session;
  private final int user;
  private final int agent;
  private final int parent;
  private final int[] tagsAny;
  private final int[] tagsAll;
  private final long createdFrom;
  private final long createdUntil;

  /**
   * The index keeps importance as a float, so the floor is rounded the same way: a double floor of
   * 0.9 would leave out the memories of importance 0.9 (0.89999998 as a float) that SQL keeps.
   */
  private final float minImportance;

  /** Whether {@link #test} checks validity: the filter's {@code asOf}, or current only. */
  private final boolean checkValidity;

  private final long asOf;

  private SlotFilter(MemoryFilter filter, long now, VectorIndex index, boolean checkExpiry) {
    this.index = index;
    this.filter = filter;
    this.now = now;
    this.checkExpiry = checkExpiry;
    int types = 0;
    for (MemoryType type : filter.types()) {
      types |= 1 << type.ordinal();
    }
    this.typeMask = types;
    int tiers = 0;
    for (MemoryTier tier : filter.tiers()) {
      tiers |= 1 << tier.ordinal();
    }
    this.tierMask = tiers;
    PostingLists postings = index.postings;
    this.session = postings.lookup(filter.sessionId());
    this.user = postings.lookup(filter.userId());
    this.agent = postings.lookup(filter.agentId());
    this.parent = postings.lookup(filter.parentId());
    this.tagsAny = filter.tagsAny().stream().mapToInt(postings::known).toArray();
    this.tagsAll = filter.tagsAll().stream().mapToInt(postings::known).toArray();
    this.createdFrom =
        filter.createdFrom() == null ? Long.MIN_VALUE : filter.createdFrom().toEpochMilli();
    this.createdUntil =
        filter.createdUntil() == null ? Long.MAX_VALUE : filter.createdUntil().toEpochMilli();
    this.minImportance =
        filter.minImportance() == null
            ? Float.NEGATIVE_INFINITY
            : filter.minImportance().floatValue();
    this.checkValidity = restrictsValidity(filter, index);
    this.asOf = filter.asOf() == null ? Long.MAX_VALUE : filter.asOf().toEpochMilli();
  }

  /** Whether the filter's validity conditions leave out any slot of the index. */
  private static boolean restrictsValidity(MemoryFilter filter, VectorIndex index) {
    return filter.asOf() != null || (!filter.includeSuperseded() && index.supersededSlots > 0);
  }

  /** Compiles the filter; returns null when it restricts nothing at this time. */
  static SlotFilter of(MemoryFilter filter, long now, VectorIndex index) {
    boolean expiryMatters = false;
    if (!filter.includeExpired() && index.earliestExpiry <= now) {
      for (int slot = 0; slot < index.slots && !expiryMatters; slot++) {
        expiryMatters = index.used[slot] && index.expiresAt[slot] <= now;
      }
    }
    boolean restricts =
        expiryMatters
            || !filter.ids().isEmpty()
            || !filter.types().isEmpty()
            || !filter.tiers().isEmpty()
            || !filter.tagsAny().isEmpty()
            || !filter.tagsAll().isEmpty()
            || filter.sessionId() != null
            || filter.userId() != null
            || filter.agentId() != null
            || filter.parentId() != null
            || filter.groupId() != null
            || filter.createdFrom() != null
            || filter.createdUntil() != null
            || filter.minImportance() != null
            || restrictsValidity(filter, index);
    return restricts ? new SlotFilter(filter, now, index, expiryMatters) : null;
  }

  /** Returns the slots the filter allows as a bit set, or null when every live slot is allowed. */
  static long[] allowedSlots(MemoryFilter filter, long now, VectorIndex index) {
    SlotFilter slotFilter = of(filter, now, index);
    if (slotFilter == null) {
      return null;
    }
    int slots = index.slots;
    boolean[] used = index.used;
    long[] bits = new long[(slots + 63) >>> 6];
    if (slotFilter.matchesNothing()) {
      return bits;
    }
    int[][] seed = slotFilter.seedSlots();
    if (seed == null) {
      for (int slot = 0; slot < slots; slot++) {
        if (used[slot] && slotFilter.test(slot)) {
          bits[slot >>> 6] |= 1L << slot;
        }
      }
      return bits;
    }
    for (int[] list : seed) {
      for (int slot : list) {
        if (slot >= 0 && used[slot] && slotFilter.test(slot)) {
          bits[slot >>> 6] |= 1L << slot;
        }
      }
    }
    return bits;
  }

  /** Whether a criterion names a value no memory in the index has. */
  boolean matchesNothing() {
    if (session < 0 || user < 0 || agent < 0 || parent < 0) {
      return true;
    }
    for (int tag : tagsAll) {
      if (tag < 0) {
        return true;
      }
    }
    if (tagsAny.length == 0) {
      return false;
    }
    for (int tag : tagsAny) {
      if (tag >= 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns slots that include every slot the filter allows, from the posting lists of its most
   * selective indexed criterion (a superset: each slot is still tested), or null when it has none.
   */
  private int[][] seedSlots() {
    int[][] best = null;
    int bestSize = Integer.MAX_VALUE;
    if (!filter.ids().isEmpty()) {
      int[] idSlots = new int[filter.ids().size()];
      int count = 0;
      for (String id : filter.ids()) {
        idSlots[count++] = index.slotOf(id);
      }
      best = new int[][] {idSlots};
      bestSize = count;
    }
    PostingLists postings = index.postings;
    int[] equalities = {session, user, agent, parent};
    for (int criterion = 0; criterion < equalities.length; criterion++) {
      if (equalities[criterion] != 0) {
        int[] list = postings.slots(EQUALITY_COLUMNS[criterion], equalities[criterion]);
        if (list.length < bestSize) {
          best = new int[][] {list};
          bestSize = list.length;
        }
      }
    }
    for (int tag : tagsAll) {
      int[] list = postings.slots(Column.TAG, tag);
      if (list.length < bestSize) {
        best = new int[][] {list};
        bestSize = list.length;
      }
    }
    if (tagsAny.length > 0) {
      int[][] lists = new int[tagsAny.length][];
      int size = 0;
      for (int position = 0; position < lists.length; position++) {
        lists[position] = postings.slots(Column.TAG, tagsAny[position]);
        size += lists[position].length;
      }
      if (size < bestSize) {
        best = lists;
      }
    }
    return best;
  }

  boolean test(int slot) {
    VectorIndex data = index;
    if (checkExpiry && data.expiresAt[slot] <= now) {
      return false;
    }
    if (checkValidity && !valid(data, slot)) {
      return false;
    }
    if (typeMask != 0 && (typeMask & (1 << data.types[slot])) == 0) {
      return false;
    }
    if (tierMask != 0 && (tierMask & (1 << data.tiers[slot])) == 0) {
      return false;
    }
    if ((session != 0 && data.sessions[slot] != session)
        || (user != 0 && data.users[slot] != user)
        || (agent != 0 && data.agents[slot] != agent)
        || (parent != 0 && data.parents[slot] != parent)) {
      return false;
    }
    long created = data.createdAt[slot];
    if (created < createdFrom || created > createdUntil || data.importance[slot] < minImportance) {
      return false;
    }
    int[] slotTags = data.tags[slot];
    if (tagsAny.length > 0 && !containsAny(slotTags, tagsAny)) {
      return false;
    }
    for (int tag : tagsAll) {
      if (!contains(slotTags, tag)) {
        return false;
      }
    }
    return true;
  }

  /**
   * What was valid at {@code asOf} (a fact whose interval holds it, another memory created by
   * then), or without it what is current; with {@code includeSuperseded}, created by {@code asOf}.
   */
  private boolean valid(VectorIndex data, int slot) {
    if (filter.asOf() == null) {
      return data.validTo[slot] == Long.MAX_VALUE;
    }
    if (filter.includeSuperseded()) {
      return data.createdAt[slot] <= asOf;
    }
    return data.validFrom[slot] <= asOf && data.validTo[slot] > asOf;
  }

  private static boolean containsAny(int[] values, int[] wanted) {
    for (int value : wanted) {
      if (contains(values, value)) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(int[] values, int wanted) {
    for (int value : values) {
      if (value == wanted) {
        return true;
      }
    }
    return false;
  }
}
