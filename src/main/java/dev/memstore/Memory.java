package dev.memstore;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A stored memory, as read from the store. Immutable.
 *
 * @param id the memory's id: {@code mem-} followed by a unique, time-ordered part
 * @param type what the memory is about
 * @param tier how long it is meant to live
 * @param content its text
 * @param sourceAgent the agent that produced the content, or null
 * @param metadata structured content (a JSON object), never null
 * @param tags its tags in the order given, never null
 * @param importance how much it matters, 0 to 1
 * @param priority its priority, 1 (lowest) to 10
 * @param ttl its time to live as last set, or null when it does not expire
 * @param expiresAt when it expires, or null
 * @param createdAt when it was created
 * @param updatedAt when its content or attributes last changed
 * @param lastAccessedAt when it was last read by id, or null
 * @param accessCount how many times it was read by id
 * @param parentId the id of its parent memory, or null
 * @param sessionId the session it belongs to, or null
 * @param userId the user it belongs to, or null
 * @param agentId the agent it belongs to, or null
 * @param pinned whether it is exempt from pruning, eviction and decay
 * @param archivedAt when it was archived (kept for history, out of default lists and searches), or
 *     null
 */
public record Memory(
    String id,
    MemoryType type,
    MemoryTier tier,
    String content,
    String sourceAgent,
    Map<String, Object> metadata,
    List<String> tags,
    double importance,
    int priority,
    Duration ttl,
    Instant expiresAt,
    Instant createdAt,
    Instant updatedAt,
    Instant lastAccessedAt,
    long accessCount,
    String parentId,
    String sessionId,
    String userId,
    String agentId,
    boolean pinned,
    Instant archivedAt) {

  public Memory {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    metadata = JsonValues.freezeObject(metadata);
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** Returns whether this memory has expired at the given instant. */
  public boolean isExpiredAt(Instant instant) {
    return expiresAt != null && !expiresAt.isAfter(instant);
  }
}
