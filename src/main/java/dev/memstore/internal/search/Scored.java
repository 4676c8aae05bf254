package dev.memstore.internal.search;

import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;

/**
 * A hit: the memory's row number and id, its cosine similarity to the query, and what ranking
 * needs.
 */
public record Scored(
    long seq,
    String id,
    double similarity,
    double importance,
    long createdAt,
    long lastAccessedAt,
    MemoryType type,
    MemoryTier tier,
    boolean pinned) {}
