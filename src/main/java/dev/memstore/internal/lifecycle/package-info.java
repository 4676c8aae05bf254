/**
 * The operations of a memory's life after it is stored: maintenance runs, cleanup, summaries,
 * ending sessions, context packs, learning from interactions and consolidation.
 */
package dev.memstore.internal.lifecycle;
