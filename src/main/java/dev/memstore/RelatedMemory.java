package dev.memstore;

/**
 * A memory linked to another one, with the link that connects them.
 *
 * @param memory the linked memory
 * @param relationship the link
 * @param outgoing true when the link points from the queried memory to this one
 */
public record RelatedMemory(Memory memory, Relationship relationship, boolean outgoing) {}
