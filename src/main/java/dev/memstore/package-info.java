/**
 * memstore: an embedded, single-file long-term memory store. Start at {@link
 * dev.memstore.MemoryStore}, opened through {@link dev.memstore.MemoryStore#builder}; {@link
 * dev.memstore.MemoryProtocol} serves the same operations as JSON. Everything under {@code
 * dev.memstore.internal} may change without notice.
 */
package dev.memstore;
