/** The audit trail: an append-only record of every operation, kept in the store file. */
package dev.memstore.internal.audit;
