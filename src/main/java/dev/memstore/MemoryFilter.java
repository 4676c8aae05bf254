package dev.memstore;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Which memories a list, count or bulk delete applies to. Every criterion set must hold (AND);
 * within a set-valued criterion any value may match (OR), except {@code tagsAll}. Expired memories
 * are left out unless {@code includeExpired}. Immutable; build with {@link #builder()}; {@link
 * #all()} matches every live memory.
 *
 * @param ids only these ids (empty: any)
 * @param types only these types (empty: any)
 * @param tiers only these tiers (empty: any)
 * @param tagsAny at least one of these tags (empty: no condition)
 * @param tagsAll every one of these tags (empty: no condition)
 * @param sessionId only this session, or null
 * @param userId only this user, or null
 * @param agentId only this agent, or null
 * @param parentId only children of this memory, or null
 * @param groupId only members of this context group, or null
 * @param createdFrom created at or after this instant, or null; between {@link #EARLIEST} and
 *     {@link #LATEST}
 * @param createdUntil created at or before this instant, or null; within the same bounds
 * @param minImportance importance at least this, or null
 * @param metadata a condition on the metadata ({@link MetadataFilter}), or null
 * @param includeExpired whether expired memories are included
 * @param includeArchived whether archived memories are included (lists only; searches never see
 *     them)
 * @param asOf what was valid at this instant, or null for now: facts (memories with a {@link
 *     Memory#factKey()}) valid then ({@code validFrom <= asOf} and {@code validTo} null or after
 *     it), memories without a key created at or before it; within {@link #EARLIEST} and {@link
 *     #LATEST}
 * @param includeSuperseded whether superseded facts are included; by default only current facts
 *     (and memories without a key) are. With {@code asOf} set, this keeps the {@code asOf}
 *     condition on creation time and drops the one on validity
 */
public record MemoryFilter(
    Set<String> ids,
    Set<MemoryType> types,
    Set<MemoryTier> tiers,
    Set<String> tagsAny,
    Set<String> tagsAll,
    String sessionId,
    String userId,
    String agentId,
    String parentId,
    Long groupId,
    Instant createdFrom,
    Instant createdUntil,
    Double minImportance,
    MetadataFilter metadata,
    boolean includeExpired,
    boolean includeArchived,
    Instant asOf,
    boolean includeSuperseded) {

  /** The earliest time a filter bound may name; times are stored as epoch milliseconds. */
  public static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");

  /** The latest time a filter bound may name. */
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

  private static final MemoryFilter ALL = builder().build();

  public MemoryFilter {
    ids = ids == null ? Set.of() : Set.copyOf(ids);
    types = types == null ? Set.of() : Set.copyOf(types);
    tiers = tiers == null ? Set.of() : Set.copyOf(tiers);
    tagsAny = tagsAny == null ? Set.of() : Set.copyOf(tagsAny);
    tagsAll = tagsAll == null ? Set.of() : Set.copyOf(tagsAll);
    requireStorable("time_range.start", createdFrom);
    requireStorable("time_range.end", createdUntil);
    requireStorable("as_of", asOf);
  }

  private static void requireStorable(String field, Instant bound) {
    if (bound != null && (bound.isBefore(EARLIEST) || bound.isAfter(LATEST))) {
      throw new ValidationException(
          field, field + " must be between years 0000 and 9999, was " + bound);
    }
  }

  /** Returns the filter that matches every memory that has not expired. */
  public static MemoryFilter all() {
    return ALL;
  }

  /** Returns a builder with no criteria. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns whether this filter sets no criterion besides {@code includeExpired}, {@code
   * includeArchived} and {@code includeSuperseded}.
   */
  public boolean isUnrestricted() {
    return ids.isEmpty()
        && types.isEmpty()
        && tiers.isEmpty()
        && tagsAny.isEmpty()
        && tagsAll.isEmpty()
        && sessionId == null
        && userId == null
        && agentId == null
        && parentId == null
        && groupId == null
        && createdFrom == null
        && createdUntil == null
        && minImportance == null
        && metadata == null
        && asOf == null;
  }

  /** Returns a builder that starts from this filter, to change some of its criteria. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.ids = ids;
    builder.types = types;
    builder.tiers = tiers;
    builder.tagsAny = tagsAny;
    builder.tagsAll = tagsAll;
    builder.sessionId = sessionId;
    builder.userId = userId;
    builder.agentId = agentId;
    builder.parentId = parentId;
    builder.groupId = groupId;
    builder.createdFrom = createdFrom;
    builder.createdUntil = createdUntil;
    builder.minImportance = minImportance;
    builder.metadata = metadata;
    builder.includeExpired = includeExpired;
    builder.includeArchived = includeArchived;
    builder.asOf = asOf;
    builder.includeSuperseded = includeSuperseded;
    return builder;
  }

  /** Builds a {@link MemoryFilter}. Not thread-safe. */
  public static final class Builder {
    private Set<String> ids = Set.of();
    private Set<MemoryType> types = Set.of();
    private Set<MemoryTier> tiers = Set.of();
    private Set<String> tagsAny = Set.of();
    private Set<String> tagsAll = Set.of();
    private String sessionId;
    private String userId;
    private String agentId;
    private String parentId;
    private Long groupId;
    private Instant createdFrom;
    private Instant createdUntil;
    private Double minImportance;
    private MetadataFilter metadata;
    private boolean includeExpired;
    private boolean includeArchived;
    private Instant asOf;
    private boolean includeSuperseded;

    private Builder() {}

    public Builder ids(Collection<String> ids) {
      this.ids = Set.copyOf(ids);
      return this;
    }

    public Builder types(Collection<MemoryType> types) {
      this.types = Set.copyOf(types);
      return this;
    }

    public Builder types(MemoryType... types) {
      return types(List.of(types));
    }

    public Builder tiers(Collection<MemoryTier> tiers) {
      this.tiers = Set.copyOf(tiers);
      return this;
    }

    public Builder tiers(MemoryTier... tiers) {
      return tiers(List.of(tiers));
    }

    public Builder tagsAny(Collection<String> tags) {
      this.tagsAny = Set.copyOf(tags);
      return this;
    }

    public Builder tagsAll(Collection<String> tags) {
      this.tagsAll = Set.copyOf(tags);
      return this;
    }

    public Builder sessionId(String sessionId) {
      this.sessionId = sessionId;
      return this;
    }

    public Builder userId(String userId) {
      this.userId = userId;
      return this;
    }

    public Builder agentId(String agentId) {
      this.agentId = agentId;
      return this;
    }

    public Builder parentId(String parentId) {
      this.parentId = parentId;
      return this;
    }

    /** Keeps members of this context group; null for no such condition. */
    public Builder groupId(Long groupId) {
      this.groupId = groupId;
      return this;
    }

    /** Keeps memories created at or after the instant. */
    public Builder createdFrom(Instant createdFrom) {
      this.createdFrom = createdFrom;
      return this;
    }

    /** Keeps memories created at or before the instant. */
    public Builder createdUntil(Instant createdUntil) {
      this.createdUntil = createdUntil;
      return this;
    }

    /** Keeps memories of at least this importance; null for no such condition. */
    public Builder minImportance(Double minImportance) {
      this.minImportance = minImportance;
      return this;
    }

    /**
     * Keeps memories whose metadata the condition accepts; null for no such condition. Lists,
     * counts, bulk deletes, searches and forgets honour it alike.
     */
    public Builder metadata(MetadataFilter metadata) {
      this.metadata = metadata;
      return this;
    }

    public Builder includeExpired(boolean includeExpired) {
      this.includeExpired = includeExpired;
      return this;
    }

    /** Includes archived memories, which are left out by default. */
    public Builder includeArchived(boolean includeArchived) {
      this.includeArchived = includeArchived;
      return this;
    }

    /**
     * Keeps what was valid at the instant: facts valid then, memories without a fact key created at
     * or before it. Null (the default) keeps what is valid now.
     */
    public Builder asOf(Instant asOf) {
      this.asOf = asOf;
      return this;
    }

    /** Includes superseded facts, which are left out by default. */
    public Builder includeSuperseded(boolean includeSuperseded) {
      this.includeSuperseded = includeSuperseded;
      return this;
    }

    public MemoryFilter build() {
      return new MemoryFilter(
          ids,
          types,
          tiers,
          tagsAny,
          tagsAll,
          sessionId,
          userId,
          agentId,
          parentId,
          groupId,
          createdFrom,
          createdUntil,
          minImportance,
          metadata,
          includeExpired,
          includeArchived,
          asOf,
          includeSuperseded);
    }
  }
}
