/**
 * How a memory's text is kept in the file: compressed above a size threshold (the JDK's Deflater)
 * and, for sensitive memories, sealed with AES-256-GCM under the store key, the memory id bound as
 * associated data. Uses only the JDK and the API types, so storage can call it from SQL functions.
 */
package dev.memstore.internal.codec;
