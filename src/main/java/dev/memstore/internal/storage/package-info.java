/**
 * The SQLite file: connections, schema, transactions and the queries over memories, sessions,
 * links, history and vectors.
 */
package dev.memstore.internal.storage;
