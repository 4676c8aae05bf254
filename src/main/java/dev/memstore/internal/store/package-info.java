/** The store façade: opens a file and delegates each {@code MemoryStore} method to its layer. */
package dev.memstore.internal.store;
