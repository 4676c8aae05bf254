package dev.memstore;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A stored memory, as read from the store. Immutable and thread-safe; two memories are equal when
 * all their attributes are.
 *
 * <p>Memories come from the store. {@link #builder()} and {@link #toBuilder()} serve memstore's own
 * packages and test doubles; a class rather than a record, so that a new attribute breaks no
 * caller.
 */
public final class Memory {
  private final String id;
  private final MemoryType type;
  private final MemoryTier tier;
  private final String content;
  private final String sourceAgent;
  private final Map<String, Object> metadata;
  private final List<String> tags;
  private final double importance;
  private final int priority;
  private final Duration ttl;
  private final Instant expiresAt;
  private final Instant createdAt;
  private final Instant updatedAt;
  private final Instant lastAccessedAt;
  private final long accessCount;
  private final String parentId;
  private final String sessionId;
  private final String userId;
  private final String agentId;
  private final boolean pinned;
  private final Instant archivedAt;
  private final boolean sensitive;
  private final String factKey;
  private final Instant validFrom;
  private final Instant validTo;
  private final String supersededBy;

  private Memory(Builder builder) {
    id = Objects.requireNonNull(builder.id, "id");
    type = Objects.requireNonNull(builder.type, "type");
    tier = Objects.requireNonNull(builder.tier, "tier");
    content = Objects.requireNonNull(builder.content, "content");
    createdAt = Objects.requireNonNull(builder.createdAt, "createdAt");
    updatedAt = Objects.requireNonNull(builder.updatedAt, "updatedAt");
    // A copy's metadata is frozen already: freezing it again would copy every map for nothing.
    metadata =
        builder.frozenMetadata != null
            ? builder.frozenMetadata
            : JsonValues.freezeObject(builder.metadata);
    tags = builder.tags == null ? List.of() : List.copyOf(builder.tags);
    sourceAgent = builder.sourceAgent;
    importance = builder.importance;
    priority = builder.priority;
    ttl = builder.ttl;
    expiresAt = builder.expiresAt;
    lastAccessedAt = builder.lastAccessedAt;
    accessCount = builder.accessCount;
    parentId = builder.parentId;
    sessionId = builder.sessionId;
    userId = builder.userId;
    agentId = builder.agentId;
    pinned = builder.pinned;
    archivedAt = builder.archivedAt;
    sensitive = builder.sensitive;
    factKey = builder.factKey;
    validFrom = builder.validFrom;
    validTo = builder.validTo;
    supersededBy = builder.supersededBy;
  }

  /**
   * Returns a builder with every attribute null, zero or false, and no metadata or tags. {@link
   * Builder#build()} requires the id, type, tier, content, creation and update times.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from this memory's attributes, to derive a changed copy. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.id = id;
    builder.type = type;
    builder.tier = tier;
    builder.content = content;
    builder.sourceAgent = sourceAgent;
    builder.metadata = metadata;
    builder.tags = tags;
    builder.importance = importance;
    builder.priority = priority;
    builder.ttl = ttl;
    builder.expiresAt = expiresAt;
    builder.createdAt = createdAt;
    builder.updatedAt = updatedAt;
    builder.lastAccessedAt = lastAccessedAt;
    builder.accessCount = accessCount;
    builder.parentId = parentId;
    builder.sessionId = sessionId;
    builder.userId = userId;
    builder.agentId = agentId;
    builder.pinned = pinned;
    builder.archivedAt = archivedAt;
    builder.sensitive = sensitive;
    builder.factKey = factKey;
    builder.validFrom = validFrom;
    builder.validTo = validTo;
    builder.supersededBy = supersededBy;
    builder.frozenMetadata = metadata;
    return builder;
  }

  /** Returns the memory's id: {@code mem-} followed by a unique, time-ordered part. */
  public String id() {
    return id;
  }

  /** Returns what the memory is about. */
  public MemoryType type() {
    return type;
  }

  /** Returns how long it is meant to live. */
  public MemoryTier tier() {
    return tier;
  }

  /** Returns the memory's text. */
  public String content() {
    return content;
  }

  /** Returns the agent that produced the content, or null. */
  public String sourceAgent() {
    return sourceAgent;
  }

  /** Returns its structured content (an unmodifiable JSON object), never null. */
  public Map<String, Object> metadata() {
    return metadata;
  }

  /** Returns its tags in the order given (unmodifiable), never null. */
  public List<String> tags() {
    return tags;
  }

  /** Returns how much it matters, 0 to 1. */
  public double importance() {
    return importance;
  }

  /** Returns its priority, 1 (lowest) to 10. */
  public int priority() {
    return priority;
  }

  /** Returns its time to live as last set, or null when it does not expire. */
  public Duration ttl() {
    return ttl;
  }

  /** Returns when it expires, or null. */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** Returns when it was created. */
  public Instant createdAt() {
    return createdAt;
  }

  /** Returns when its content or attributes last changed. */
  public Instant updatedAt() {
    return updatedAt;
  }

  /** Returns when it was last read by id, or null. */
  public Instant lastAccessedAt() {
    return lastAccessedAt;
  }

  /** Returns how many times it was read by id. */
  public long accessCount() {
    return accessCount;
  }

  /** Returns the id of its parent memory, or null. */
  public String parentId() {
    return parentId;
  }

  /** Returns the session it belongs to, or null. */
  public String sessionId() {
    return sessionId;
  }

  /** Returns the user it belongs to, or null. */
  public String userId() {
    return userId;
  }

  /** Returns the agent it belongs to, or null. */
  public String agentId() {
    return agentId;
  }

  /**
   * Returns whether it is sensitive: its content and metadata are sealed in the file with the store
   * key (AES-256-GCM), kept out of the file's full-text and vector indexes, and readable only by a
   * store opened with that key. Its type, tier, tags, user, session, agent and times stay in clear.
   */
  public boolean sensitive() {
    return sensitive;
  }

  /** Returns whether it is exempt from pruning, eviction and decay. */
  public boolean pinned() {
    return pinned;
  }

  /**
   * Returns when it was archived (kept for history, out of default lists and searches), or null.
   */
  public Instant archivedAt() {
    return archivedAt;
  }

  /**
   * Returns the key of the fact it states ({@code subject:attribute}, in lower case), or null when
   * it states no keyed fact. At most one memory of a key is current at a time: storing a new fact
   * under the key supersedes the current one, which stays in history.
   */
  public String factKey() {
    return factKey;
  }

  /** Returns when the fact it states became true, or null when it has no fact key. */
  public Instant validFrom() {
    return validFrom;
  }

  /**
   * Returns when the fact it states stopped being true (the {@link #validFrom()} of the fact that
   * superseded it), or null while it is current or when it has no fact key.
   */
  public Instant validTo() {
    return validTo;
  }

  /** Returns the id of the memory that superseded this fact, or null while it is current. */
  public String supersededBy() {
    return supersededBy;
  }

  /** Returns whether it is a fact that another one superseded (not current). */
  public boolean isSuperseded() {
    return validTo != null;
  }

  /** Returns whether this memory has expired at the given instant. */
  public boolean isExpiredAt(Instant instant) {
    return expiresAt != null && !expiresAt.isAfter(instant);
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof Memory that
        && Objects.equals(id, that.id)
        && Objects.equals(type, that.type)
        && Objects.equals(tier, that.tier)
        && Objects.equals(content, that.content)
        && Objects.equals(sourceAgent, that.sourceAgent)
        && Objects.equals(metadata, that.metadata)
        && Objects.equals(tags, that.tags)
        && Double.compare(importance, that.importance) == 0
        && priority == that.priority
        && Objects.equals(ttl, that.ttl)
        && Objects.equals(expiresAt, that.expiresAt)
        && Objects.equals(createdAt, that.createdAt)
        && Objects.equals(updatedAt, that.updatedAt)
        && Objects.equals(lastAccessedAt, that.lastAccessedAt)
        && accessCount == that.accessCount
        && Objects.equals(parentId, that.parentId)
        && Objects.equals(sessionId, that.sessionId)
        && Objects.equals(userId, that.userId)
        && Objects.equals(agentId, that.agentId)
        && pinned == that.pinned
        && sensitive == that.sensitive
        && Objects.equals(factKey, that.factKey)
        && Objects.equals(validFrom, that.validFrom)
        && Objects.equals(validTo, that.validTo)
        && Objects.equals(supersededBy, that.supersededBy)
        && Objects.equals(archivedAt, that.archivedAt);
  }

  @Override
  public int hashCode() {
    int result = 0;
    result = 31 * result + Objects.hashCode(id);
    result = 31 * result + Objects.hashCode(type);
    result = 31 * result + Objects.hashCode(tier);
    result = 31 * result + Objects.hashCode(content);
    result = 31 * result + Objects.hashCode(sourceAgent);
    result = 31 * result + Objects.hashCode(metadata);
    result = 31 * result + Objects.hashCode(tags);
    result = 31 * result + Double.hashCode(importance);
    result = 31 * result + Integer.hashCode(priority);
    result = 31 * result + Objects.hashCode(ttl);
    result = 31 * result + Objects.hashCode(expiresAt);
    result = 31 * result + Objects.hashCode(createdAt);
    result = 31 * result + Objects.hashCode(updatedAt);
    result = 31 * result + Objects.hashCode(lastAccessedAt);
    result = 31 * result + Long.hashCode(accessCount);
    result = 31 * result + Objects.hashCode(parentId);
    result = 31 * result + Objects.hashCode(sessionId);
    result = 31 * result + Objects.hashCode(userId);
    result = 31 * result + Objects.hashCode(agentId);
    result = 31 * result + Boolean.hashCode(pinned);
    result = 31 * result + Boolean.hashCode(sensitive);
    result = 31 * result + Objects.hashCode(archivedAt);
    result = 31 * result + Objects.hashCode(factKey);
    result = 31 * result + Objects.hashCode(validFrom);
    result = 31 * result + Objects.hashCode(validTo);
    result = 31 * result + Objects.hashCode(supersededBy);
    return result;
  }

  @Override
  public String toString() {
    return "Memory["
        + "id="
        + id
        + ", type="
        + type
        + ", tier="
        + tier
        + ", content="
        // A sensitive memory's text and metadata stay out of logs and stack traces.
        + (sensitive ? "[sealed]" : content)
        + ", sourceAgent="
        + sourceAgent
        + ", metadata="
        + (sensitive ? "[sealed]" : metadata)
        + ", tags="
        + tags
        + ", importance="
        + importance
        + ", priority="
        + priority
        + ", ttl="
        + ttl
        + ", expiresAt="
        + expiresAt
        + ", createdAt="
        + createdAt
        + ", updatedAt="
        + updatedAt
        + ", lastAccessedAt="
        + lastAccessedAt
        + ", accessCount="
        + accessCount
        + ", parentId="
        + parentId
        + ", sessionId="
        + sessionId
        + ", userId="
        + userId
        + ", agentId="
        + agentId
        + ", pinned="
        + pinned
        + ", archivedAt="
        + archivedAt
        + ", sensitive="
        + sensitive
        + ", factKey="
        + factKey
        + ", validFrom="
        + validFrom
        + ", validTo="
        + validTo
        + ", supersededBy="
        + supersededBy
        + "]";
  }

  /**
   * Builds a {@link Memory}. Not thread-safe. Memories come from the store: this serves memstore's
   * own packages and test doubles.
   */
  public static final class Builder {
    private String id;
    private MemoryType type;
    private MemoryTier tier;
    private String content;
    private String sourceAgent;
    private Map<String, ?> metadata;
    private List<String> tags;
    private double importance;
    private int priority;
    private Duration ttl;
    private Instant expiresAt;
    private Instant createdAt;
    private Instant updatedAt;
    private Instant lastAccessedAt;
    private long accessCount;
    private String parentId;
    private String sessionId;
    private String userId;
    private String agentId;
    private boolean pinned;
    private Instant archivedAt;
    private boolean sensitive;
    private String factKey;
    private Instant validFrom;
    private Instant validTo;
    private String supersededBy;

    /** The metadata of the memory this builder copies, already frozen, until it is replaced. */
    private Map<String, Object> frozenMetadata;

    private Builder() {}

    /** Sets the value of {@link Memory#id()}. */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /** Sets the value of {@link Memory#type()}. */
    public Builder type(MemoryType type) {
      this.type = type;
      return this;
    }

    /** Sets the value of {@link Memory#tier()}. */
    public Builder tier(MemoryTier tier) {
      this.tier = tier;
      return this;
    }

    /** Sets the value of {@link Memory#content()}. */
    public Builder content(String content) {
      this.content = content;
      return this;
    }

    /** Sets the value of {@link Memory#sourceAgent()}. */
    public Builder sourceAgent(String sourceAgent) {
      this.sourceAgent = sourceAgent;
      return this;
    }

    /** Sets the value of {@link Memory#metadata()}. */
    public Builder metadata(Map<String, ?> metadata) {
      this.metadata = metadata;
      this.frozenMetadata = null;
      return this;
    }

    /** Sets the value of {@link Memory#tags()}. */
    public Builder tags(List<String> tags) {
      this.tags = tags;
      return this;
    }

    /** Sets the value of {@link Memory#importance()}. */
    public Builder importance(double importance) {
      this.importance = importance;
      return this;
    }

    /** Sets the value of {@link Memory#priority()}. */
    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    /** Sets the value of {@link Memory#ttl()}. */
    public Builder ttl(Duration ttl) {
      this.ttl = ttl;
      return this;
    }

    /** Sets the value of {@link Memory#expiresAt()}. */
    public Builder expiresAt(Instant expiresAt) {
      this.expiresAt = expiresAt;
      return this;
    }

    /** Sets the value of {@link Memory#createdAt()}. */
    public Builder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    /** Sets the value of {@link Memory#updatedAt()}. */
    public Builder updatedAt(Instant updatedAt) {
      this.updatedAt = updatedAt;
      return this;
    }

    /** Sets the value of {@link Memory#lastAccessedAt()}. */
    public Builder lastAccessedAt(Instant lastAccessedAt) {
      this.lastAccessedAt = lastAccessedAt;
      return this;
    }

    /** Sets the value of {@link Memory#accessCount()}. */
    public Builder accessCount(long accessCount) {
      this.accessCount = accessCount;
      return this;
    }

    /** Sets the value of {@link Memory#parentId()}. */
    public Builder parentId(String parentId) {
      this.parentId = parentId;
      return this;
    }

    /** Sets the value of {@link Memory#sessionId()}. */
    public Builder sessionId(String sessionId) {
      this.sessionId = sessionId;
      return this;
    }

    /** Sets the value of {@link Memory#userId()}. */
    public Builder userId(String userId) {
      this.userId = userId;
      return this;
    }

    /** Sets the value of {@link Memory#agentId()}. */
    public Builder agentId(String agentId) {
      this.agentId = agentId;
      return this;
    }

    /** Sets the value of {@link Memory#sensitive()}. */
    public Builder sensitive(boolean sensitive) {
      this.sensitive = sensitive;
      return this;
    }

    /** Sets the value of {@link Memory#pinned()}. */
    public Builder pinned(boolean pinned) {
      this.pinned = pinned;
      return this;
    }

    /** Sets the value of {@link Memory#archivedAt()}. */
    public Builder archivedAt(Instant archivedAt) {
      this.archivedAt = archivedAt;
      return this;
    }

    /** Sets the value of {@link Memory#factKey()}. */
    public Builder factKey(String factKey) {
      this.factKey = factKey;
      return this;
    }

    /** Sets the value of {@link Memory#validFrom()}. */
    public Builder validFrom(Instant validFrom) {
      this.validFrom = validFrom;
      return this;
    }

    /** Sets the value of {@link Memory#validTo()}. */
    public Builder validTo(Instant validTo) {
      this.validTo = validTo;
      return this;
    }

    /** Sets the value of {@link Memory#supersededBy()}. */
    public Builder supersededBy(String supersededBy) {
      this.supersededBy = supersededBy;
      return this;
    }

    /**
     * Returns the memory.
     *
     * @throws NullPointerException if the id, type, tier, content, creation or update time is
     *     missing
     * @throws IllegalArgumentException if the metadata is not a JSON object
     */
    public Memory build() {
      return new Memory(this);
    }
  }
}
