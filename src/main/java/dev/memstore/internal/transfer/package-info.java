/** Exports a store to JSON lines and imports it back, history and vectors included. */
package dev.memstore.internal.transfer;
