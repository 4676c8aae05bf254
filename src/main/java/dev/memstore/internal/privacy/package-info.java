/**
 * Privacy operations over the write path: forgetting for good, with tombstones and receipts, and
 * the warnings about copies of the file that still hold forgotten memories.
 */
package dev.memstore.internal.privacy;
