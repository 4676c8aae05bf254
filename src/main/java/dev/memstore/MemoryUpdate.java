package dev.memstore;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A partial update of a memory: only the fields set on the builder change; {@link #changes(Field)}
 * tells which. Setting the time to live restarts it from the moment of the update (seed 001);
 * setting it to null makes the memory permanent. Immutable.
 */
public final class MemoryUpdate {
  /** The fields an update can change. */
  public enum Field {
    CONTENT,
    TYPE,
    TIER,
    SOURCE_AGENT,
    METADATA,
    TAGS,
    IMPORTANCE,
    PRIORITY,
    TTL,
    PARENT_ID,
    USER_ID,
    AGENT_ID,
    PINNED,
    SENSITIVE
  }

  private final Map<Field, Object> values;
  private final float[] embedding;

  private MemoryUpdate(Map<Field, Object> values, float[] embedding) {
    this.values = Collections.unmodifiableMap(new EnumMap<>(values));
    this.embedding = embedding;
  }

  /** Returns a builder of an update that changes nothing until told otherwise. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns whether this update sets the given field (possibly to null). */
  public boolean changes(Field field) {
    return values.containsKey(field);
  }

  /** Returns the fields this update sets. */
  public Set<Field> changedFields() {
    return values.keySet();
  }

  /** Returns whether this update changes nothing. */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  public String content() {
    return (String) values.get(Field.CONTENT);
  }

  public MemoryType type() {
    return (MemoryType) values.get(Field.TYPE);
  }

  public MemoryTier tier() {
    return (MemoryTier) values.get(Field.TIER);
  }

  public String sourceAgent() {
    return (String) values.get(Field.SOURCE_AGENT);
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> metadata() {
    return (Map<String, Object>) values.get(Field.METADATA);
  }

  @SuppressWarnings("unchecked")
  public List<String> tags() {
    return (List<String>) values.get(Field.TAGS);
  }

  public Double importance() {
    return (Double) values.get(Field.IMPORTANCE);
  }

  public Integer priority() {
    return (Integer) values.get(Field.PRIORITY);
  }

  public Duration ttl() {
    return (Duration) values.get(Field.TTL);
  }

  public String parentId() {
    return (String) values.get(Field.PARENT_ID);
  }

  public String userId() {
    return (String) values.get(Field.USER_ID);
  }

  public String agentId() {
    return (String) values.get(Field.AGENT_ID);
  }

  /** Returns the new pinned flag; meaningful only if {@link Field#PINNED} changes. */
  public boolean pinned() {
    return Boolean.TRUE.equals(values.get(Field.PINNED));
  }

  /** Returns the new sensitive flag; meaningful only if {@link Field#SENSITIVE} changes. */
  public boolean sensitive() {
    return Boolean.TRUE.equals(values.get(Field.SENSITIVE));
  }

  /** Returns a precomputed embedding of the new content from the store's model, or null. */
  public float[] embedding() {
    return embedding;
  }

  /** Builds a {@link MemoryUpdate}. Not thread-safe. */
  public static final class Builder {
    private final Map<Field, Object> values = new EnumMap<>(Field.class);
    private float[] embedding;

    private Builder() {}

    private Builder set(Field field, Object value) {
      values.put(field, value);
      return this;
    }

    public Builder content(String content) {
      return set(Field.CONTENT, content);
    }

    public Builder type(MemoryType type) {
      return set(Field.TYPE, type);
    }

    public Builder tier(MemoryTier tier) {
      return set(Field.TIER, tier);
    }

    /** Sets the source agent; null clears it. */
    public Builder sourceAgent(String sourceAgent) {
      return set(Field.SOURCE_AGENT, sourceAgent);
    }

    /** Replaces the metadata as a whole. */
    public Builder metadata(Map<String, ?> metadata) {
      return set(Field.METADATA, JsonValues.freezeObject(metadata));
    }

    /** Replaces the tags as a whole. */
    public Builder tags(List<String> tags) {
      return set(Field.TAGS, tags == null ? null : List.copyOf(tags));
    }

    public Builder importance(double importance) {
      return set(Field.IMPORTANCE, importance);
    }

    public Builder priority(int priority) {
      return set(Field.PRIORITY, priority);
    }

    /** Sets a new time to live, counted from the update; null removes the expiry. */
    public Builder ttl(Duration ttl) {
      return set(Field.TTL, ttl);
    }

    /** Moves the memory under another parent; null detaches it. */
    public Builder parentId(String parentId) {
      return set(Field.PARENT_ID, parentId);
    }

    /** Sets the user; null clears it. */
    public Builder userId(String userId) {
      return set(Field.USER_ID, userId);
    }

    /** Sets the agent; null clears it. */
    public Builder agentId(String agentId) {
      return set(Field.AGENT_ID, agentId);
    }

    /** Pins the memory (exempt from decay, pruning and eviction) or unpins it. */
    public Builder pinned(boolean pinned) {
      return set(Field.PINNED, pinned);
    }

    /**
     * Seals the memory (true) with the store key, leaving no clear copy of its content or metadata
     * in the file, its history included; or opens it again (false). Either needs the store key.
     */
    public Builder sensitive(boolean sensitive) {
      return set(Field.SENSITIVE, sensitive);
    }

    /**
     * Supplies a precomputed embedding of the new content from the store's model, kept as it is
     * (see {@link NewMemory#embedding()}).
     */
    public Builder embedding(float[] embedding) {
      this.embedding = embedding;
      return this;
    }

    public MemoryUpdate build() {
      return new MemoryUpdate(values, embedding);
    }
  }
}
