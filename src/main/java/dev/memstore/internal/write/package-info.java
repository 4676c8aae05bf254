/**
 * The write path: checking, inserting, updating, reinforcing and deleting memories, with their
 * history, and the counting of reads.
 */
package dev.memstore.internal.write;
