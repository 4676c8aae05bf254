package dev.memstore;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * How memories fade, when short-term memories are promoted or expire, and what the maintenance run
 * removes. Immutable and thread-safe; change one value with the {@code with...} methods.
 *
 * <p>The one retention number, used by ranking, pruning and eviction alike:
 *
 * <pre>
 * effective importance = importance x 0.5 ^ (idle / half-life(type, tier))
 * idle                 = now - (last access, or creation if never accessed)
 * </pre>
 *
 * It stays within 0..1 because importance does. A read by id, a search hit and {@code reinforce}
 * are accesses: they restart the idle time, so a recalled memory is back at its full importance;
 * {@code reinforce} also multiplies the importance itself. A pinned memory does not fade. The
 * half-life of a type, when set, wins over that of the tier.
 *
 * @param tierHalfLives the half-life of each tier; every tier must have one
 * @param typeHalfLives half-lives of types that differ from their tier's, may be empty
 * @param pruneFloor a maintenance run deletes unpinned memories whose effective importance fell
 *     below this (0 turns pruning off)
 * @param maxMemories the most memories a store keeps; a run evicts the lowest effective importance
 *     first, never a pinned one (0 means no limit)
 * @param shortTermLifetime how long a new short-term memory without its own time to live lives
 *     unless promoted (null: until deleted)
 * @param promoteAfterAccesses a short-term memory read this many times is promoted to long-term
 * @param promoteAtImportance a short-term memory at least this important is promoted to long-term
 * @param shortTermWindow the most short-term memories a session keeps; a run folds the oldest of
 *     the rest into one summary memory (0 means no limit)
 * @param maxDeletionShare the largest share of the store (above 0, at most 1) that one maintenance
 *     run may expire and prune together; a run that would delete more keeps them all, deletes none
 *     of them and raises a {@link MemoryEvent.Type#MAINTENANCE_REFUSED} event, since a clock that
 *     jumped forward is a likelier cause than a sudden mass of disuse (1 turns the guard off)
 */
public record RetentionPolicy(
    Map<MemoryTier, Duration> tierHalfLives,
    Map<MemoryType, Duration> typeHalfLives,
    double pruneFloor,
    long maxMemories,
    Duration shortTermLifetime,
    int promoteAfterAccesses,
    double promoteAtImportance,
    int shortTermWindow,
    double maxDeletionShare) {

  /**
   * The defaults: half-lives of 3 days (short-term), 14 days (working) and 180 days (long-term);
   * pruning below 0.01 (a long-term memory of importance 0.5 idle for about 2.8 years, a short-term
   * one for about 17 days); no capacity limit; short-term memories live 7 days unless read 3 times
   * or at least 0.7 important; 100 short-term memories per session; one run may expire and prune at
   * most half the store.
   */
  public static final RetentionPolicy DEFAULT =
      new RetentionPolicy(
          Map.of(
              MemoryTier.SHORT_TERM, Duration.ofDays(3),
              MemoryTier.WORKING, Duration.ofDays(14),
              MemoryTier.LONG_TERM, Duration.ofDays(180)),
          Map.of(),
          0.01,
          0,
          Duration.ofDays(7),
          3,
          0.7,
          100,
          0.5);

  public RetentionPolicy {
    Objects.requireNonNull(tierHalfLives, "tierHalfLives");
    Objects.requireNonNull(typeHalfLives, "typeHalfLives");
    for (MemoryTier tier : MemoryTier.values()) {
      requirePositive(tierHalfLives.get(tier), "tierHalfLives[" + tier.wireName() + "]");
    }
    typeHalfLives.forEach(
        (type, halfLife) -> requirePositive(halfLife, "typeHalfLives[" + type.wireName() + "]"));
    tierHalfLives = Map.copyOf(tierHalfLives);
    typeHalfLives = Map.copyOf(typeHalfLives);
    if (!(pruneFloor >= 0 && pruneFloor < 1)) {
      throw new IllegalArgumentException(
          "pruneFloor must be at least 0 and below 1, was " + pruneFloor);
    }
    if (maxMemories < 0) {
      throw new IllegalArgumentException("maxMemories must not be negative, was " + maxMemories);
    }
    if (shortTermLifetime != null) {
      requirePositive(shortTermLifetime, "shortTermLifetime");
    }
    if (promoteAfterAccesses < 1) {
      throw new IllegalArgumentException(
          "promoteAfterAccesses must be at least 1, was " + promoteAfterAccesses);
    }
    if (!(promoteAtImportance >= 0 && promoteAtImportance <= 1)) {
      throw new IllegalArgumentException(
          "promoteAtImportance must be between 0 and 1, was " + promoteAtImportance);
    }
    if (shortTermWindow < 0) {
      throw new IllegalArgumentException(
          "shortTermWindow must not be negative, was " + shortTermWindow);
    }
    if (!(maxDeletionShare > 0 && maxDeletionShare <= 1)) {
      throw new IllegalArgumentException(
          "maxDeletionShare must be above 0 and at most 1, was " + maxDeletionShare);
    }
  }

  /** Returns the half-life of memories of this type in this tier. */
  public Duration halfLife(MemoryType type, MemoryTier tier) {
    Duration byType = typeHalfLives.get(type);
    return byType != null ? byType : tierHalfLives.get(tier);
  }

  /** Returns the memory's effective importance at the given time, as the class comment defines. */
  public double effectiveImportance(Memory memory, Instant now) {
    Instant lastUsed =
        memory.lastAccessedAt() != null && memory.lastAccessedAt().isAfter(memory.createdAt())
            ? memory.lastAccessedAt()
            : memory.createdAt();
    return effectiveImportance(
        memory.importance(),
        memory.type(),
        memory.tier(),
        memory.pinned(),
        lastUsed.toEpochMilli(),
        now.toEpochMilli());
  }

  /**
   * Returns the effective importance from a memory's parts; {@code lastUsedMillis} is its last
   * access or, if never accessed, its creation.
   */
  public double effectiveImportance(
      double importance,
      MemoryType type,
      MemoryTier tier,
      boolean pinned,
      long lastUsedMillis,
      long nowMillis) {
    if (pinned) {
      return importance;
    }
    double idle = Math.max(0, nowMillis - lastUsedMillis);
    return importance * Math.pow(0.5, idle / halfLife(type, tier).toMillis());
  }

  public RetentionPolicy withHalfLife(MemoryTier tier, Duration halfLife) {
    Map<MemoryTier, Duration> changed = new EnumMap<>(tierHalfLives);
    changed.put(Objects.requireNonNull(tier, "tier"), halfLife);
    return new RetentionPolicy(
        changed,
        typeHalfLives,
        pruneFloor,
        maxMemories,
        shortTermLifetime,
        promoteAfterAccesses,
        promoteAtImportance,
        shortTermWindow,
        maxDeletionShare);
  }

  public RetentionPolicy withHalfLife(MemoryType type, Duration halfLife) {
    Map<MemoryType, Duration> changed = new EnumMap<>(MemoryType.class);
    changed.putAll(typeHalfLives);
    changed.put(Objects.requireNonNull(type, "type"), halfLife);
    return new RetentionPolicy(
        tierHalfLives,
        changed,
        pruneFloor,
        maxMemories,
        shortTermLifetime,
        promoteAfterAccesses,
        promoteAtImportance,
        shortTermWindow,
        maxDeletionShare);
  }

  public RetentionPolicy withPruneFloor(double pruneFloor) {
    return new RetentionPolicy(
        tierHalfLives,
        typeHalfLives,
        pruneFloor,
        maxMemories,
        shortTermLifetime,
        promoteAfterAccesses,
        promoteAtImportance,
        shortTermWindow,
        maxDeletionShare);
  }

  public RetentionPolicy withMaxMemories(long maxMemories) {
    return new RetentionPolicy(
        tierHalfLives,
        typeHalfLives,
        pruneFloor,
        maxMemories,
        shortTermLifetime,
        promoteAfterAccesses,
        promoteAtImportance,
        shortTermWindow,
        maxDeletionShare);
  }

  public RetentionPolicy withShortTermLifetime(Duration shortTermLifetime) {
    return new RetentionPolicy(
        tierHalfLives,
        typeHalfLives,
        pruneFloor,
        maxMemories,
        shortTermLifetime,
        promoteAfterAccesses,
        promoteAtImportance,
        shortTermWindow,
        maxDeletionShare);
  }

  public RetentionPolicy withPromotion(int afterAccesses, double atImportance) {
    return new RetentionPolicy(
        tierHalfLives,
        typeHalfLives,
        pruneFloor,
        maxMemories,
        shortTermLifetime,
        afterAccesses,
        atImportance,
        shortTermWindow,
        maxDeletionShare);
  }

  public RetentionPolicy withShortTermWindow(int shortTermWindow) {
    return new RetentionPolicy(
        tierHalfLives,
        typeHalfLives,
        pruneFloor,
        maxMemories,
        shortTermLifetime,
        promoteAfterAccesses,
        promoteAtImportance,
        shortTermWindow,
        maxDeletionShare);
  }

  /**
   * Returns this policy with another largest share of the store one maintenance run may expire and
   * prune; 1 turns the guard off.
   */
  public RetentionPolicy withMaxDeletionShare(double maxDeletionShare) {
    return new RetentionPolicy(
        tierHalfLives,
        typeHalfLives,
        pruneFloor,
        maxMemories,
        shortTermLifetime,
        promoteAfterAccesses,
        promoteAtImportance,
        shortTermWindow,
        maxDeletionShare);
  }

  private static void requirePositive(Duration value, String name) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
    }
  }
}
