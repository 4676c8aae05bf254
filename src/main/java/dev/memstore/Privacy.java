package dev.memstore;

/**
 * The view of a store's privacy and security: forgetting, the audit trail and the key that seals
 * sensitive memories. Obtained from {@link MemoryStore#privacy()}; thread-safe.
 */
public interface Privacy {}
