package dev.memstore.internal.store;

import dev.memstore.Privacy;
import dev.memstore.internal.codec.StoreKey;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.KeyRotation;
import java.nio.file.Path;
import java.util.Objects;

/** The store's privacy view: forgetting, the audit trail and the sealing key. */
final class SqlitePrivacy implements Privacy {
  private final Database database;

  SqlitePrivacy(Database database) {
    this.database = database;
  }

  // Sealing

  @Override
  public long rotateKey(Path newKeyFile) {
    Objects.requireNonNull(newKeyFile, "newKeyFile");
    return KeyRotation.rotate(database, StoreKey.read(newKeyFile));
  }
}
