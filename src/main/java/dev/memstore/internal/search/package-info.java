/** Finds memories: the in-memory vector and keyword indexes, and ranking of their hits. */
package dev.memstore.internal.search;
