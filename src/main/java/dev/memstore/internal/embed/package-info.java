/** Turns text into vectors: the bundled models, the embedding backlog and re-embedding. */
package dev.memstore.internal.embed;
