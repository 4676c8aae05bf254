package dev.memstore;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A memory to be created. Build one with {@link #of(String)} or {@link #builder(String)}; the store
 * validates it when it is created and rejects bad values with a {@link ValidationException} naming
 * the field.
 *
 * @param content the text, not blank, at most the store's content limit (1 MiB of UTF-8 by default)
 * @param type what it is about; {@link MemoryType#GENERAL} by default
 * @param tier how long it is meant to live; by default {@link MemoryTier#SHORT_TERM} for a
 *     conversation memory (a turn, which the retention policy lets fade or fold into summaries) and
 *     {@link MemoryTier#LONG_TERM} for every other type
 * @param sourceAgent the agent that produced the content, or null
 * @param metadata structured content (a JSON object), never null
 * @param tags tags, never null; duplicates are dropped, order is kept
 * @param importance 0 to 1; 0.5 by default
 * @param priority 1 to 10; 5 by default
 * @param ttl time to live (positive), or null for no expiry
 * @param parentId the id of an existing parent memory, or null
 * @param sessionId the id of an existing, active session, or null
 * @param userId the user it belongs to; when null and a session is given, the session's user
 * @param agentId the agent it belongs to, or null
 * @param sensitive whether to seal its content and metadata with the store key (see {@link
 *     Memory#sensitive()}); the store must have been opened with a key
 * @param embedding a precomputed embedding of the content from the store's model, or null to let
 *     the store's embedder compute it; not copied, do not modify it afterwards. The store keeps a
 *     given vector as it is: the health check and repair do not compare it with the content, which
 *     it need not come from; moving the store to another model embeds the content
 * @param factKey the key of the fact it states ({@code subject:attribute}, such as {@code
 *     user-12345:home_city}), or null when it states no keyed fact; storing it supersedes the
 *     current fact of that key (see {@link Memory#factKey()})
 * @param validFrom when the fact became true, or null for the creation time; only with a fact key
 * @param id the id the memory is to have, or null to let the store give it one (see {@link
 *     Builder#id(String)})
 */
public record NewMemory(
    String content,
    MemoryType type,
    MemoryTier tier,
    String sourceAgent,
    Map<String, Object> metadata,
    List<String> tags,
    double importance,
    int priority,
    Duration ttl,
    String parentId,
    String sessionId,
    String userId,
    String agentId,
    boolean pinned,
    boolean sensitive,
    float[] embedding,
    String factKey,
    Instant validFrom,
    String id) {

  /** The importance of a memory created without one (seed 002). */
  public static final double DEFAULT_IMPORTANCE = 0.5;

  /** The priority of a memory created without one (seed 001). */
  public static final int DEFAULT_PRIORITY = 5;

  public NewMemory {
    metadata = JsonValues.freezeObject(metadata);
    tags = tags == null ? List.of() : List.copyOf(tags);
    type = type == null ? MemoryType.GENERAL : type;
    tier = tier == null ? defaultTier(type) : tier;
  }

  /** Returns the tier a new memory of this type gets when none is given. */
  public static MemoryTier defaultTier(MemoryType type) {
    return type == MemoryType.CONVERSATION ? MemoryTier.SHORT_TERM : MemoryTier.LONG_TERM;
  }

  /** Returns a memory of the given text with every other attribute at its default. */
  public static NewMemory of(String content) {
    return builder(content).build();
  }

  /** Returns a builder for a memory of the given text. */
  public static Builder builder(String content) {
    return new Builder(content);
  }

  /** Builds a {@link NewMemory}. Not thread-safe. */
  public static final class Builder {
    private final String content;
    private MemoryType type = MemoryType.GENERAL;
    private MemoryTier tier;
    private String sourceAgent;
    private Map<String, Object> metadata = Map.of();
    private List<String> tags = List.of();
    private double importance = DEFAULT_IMPORTANCE;
    private int priority = DEFAULT_PRIORITY;
    private Duration ttl;
    private String parentId;
    private String sessionId;
    private String userId;
    private String agentId;
    private boolean pinned;
    private boolean sensitive;
    private String factKey;
    private Instant validFrom;
    private float[] embedding;
    private String id;

    private Builder(String content) {
      this.content = content;
    }

    public Builder type(MemoryType type) {
      this.type = type;
      return this;
    }

    public Builder tier(MemoryTier tier) {
      this.tier = tier;
      return this;
    }

    public Builder sourceAgent(String sourceAgent) {
      this.sourceAgent = sourceAgent;
      return this;
    }

    public Builder metadata(Map<String, ?> metadata) {
      this.metadata = JsonValues.freezeObject(metadata);
      return this;
    }

    public Builder tags(List<String> tags) {
      this.tags = List.copyOf(tags);
      return this;
    }

    public Builder tags(String... tags) {
      return tags(List.of(tags));
    }

    public Builder importance(double importance) {
      this.importance = importance;
      return this;
    }

    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    public Builder ttl(Duration ttl) {
      this.ttl = ttl;
      return this;
    }

    public Builder parentId(String parentId) {
      this.parentId = parentId;
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

    /** Exempts the memory from decay, pruning and eviction. Default: false. */
    public Builder pinned(boolean pinned) {
      this.pinned = pinned;
      return this;
    }

    /**
     * Seals the memory's content and metadata with the store key (see {@link Memory#sensitive()}).
     * Default: false.
     */
    public Builder sensitive(boolean sensitive) {
      this.sensitive = sensitive;
      return this;
    }

    public Builder embedding(float[] embedding) {
      this.embedding = embedding;
      return this;
    }

    /**
     * States a fact under a key, {@code subject:attribute} (letters, digits, {@code _}, {@code -}
     * and {@code .} on each side of one colon, at most 200 characters, compared in lower case):
     * storing it supersedes the current fact of that key. Default: none.
     */
    public Builder factKey(String factKey) {
      this.factKey = factKey;
      return this;
    }

    /**
     * Sets when the fact became true (a late report of an older fact names its own time). Default:
     * the creation time. Only with a {@link #factKey(String)}.
     */
    public Builder validFrom(Instant validFrom) {
      this.validFrom = validFrom;
      return this;
    }

    /**
     * Gives the memory an id of the caller's choosing, for a caller that keeps its own ids (such as
     * a vector store adapter): {@code mem-} followed by 1 to 64 letters, digits, {@code _} or
     * {@code -}, not the id of a memory in the store (live, expired or archived) nor of another
     * memory of the same batch. A memory created with its own id is never taken for an exact
     * duplicate of another (see {@link MemoryStore#createAllWithResults}): the caller asked for
     * that id to exist. Default: the store generates a time-ordered id.
     */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /** Returns the memory to create. */
    public NewMemory build() {
      return new NewMemory(
          content,
          type,
          tier,
          sourceAgent,
          metadata,
          tags,
          importance,
          priority,
          ttl,
          parentId,
          sessionId,
          userId,
          agentId,
          pinned,
          sensitive,
          embedding,
          factKey,
          validFrom,
          id);
    }
  }
}
