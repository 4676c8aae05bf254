package dev.memstore.internal.store;

import dev.memstore.Privacy;

/** The store's privacy view: forgetting, the audit trail and the sealing key. */
final class SqlitePrivacy implements Privacy {}
