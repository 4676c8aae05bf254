package dev.memstore;

import java.time.Instant;

/**
 * A directed, typed link between two memories. Immutable.
 *
 * @param id the relationship's id
 * @param sourceId the memory the link starts at
 * @param targetId the memory the link points to
 * @param type the kind of link, for example {@code related_to} or {@code follows}
 * @param strength how strong the link is, 0 to 1
 * @param createdAt when it was added or last changed
 */
public record Relationship(
    long id, String sourceId, String targetId, String type, double strength, Instant createdAt) {}
