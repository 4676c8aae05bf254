package dev.memstore;

import java.time.Instant;

/**
 * A named group of memories that belong to one context (seed 002). Immutable.
 *
 * @param id the group's id
 * @param name its unique name
 * @param description what it is for, or null
 * @param createdAt when it was created
 * @param memberCount how many live memories it holds
 */
public record ContextGroup(
    long id, String name, String description, Instant createdAt, long memberCount) {}
