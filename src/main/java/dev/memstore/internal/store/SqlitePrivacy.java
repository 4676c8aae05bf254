package dev.memstore.internal.store;

import dev.memstore.AuditEntry;
import dev.memstore.AuditQuery;
import dev.memstore.ForgetPreview;
import dev.memstore.ForgetReceipt;
import dev.memstore.ForgetRequest;
import dev.memstore.Privacy;
import dev.memstore.internal.audit.AuditLog;
import dev.memstore.internal.codec.StoreKey;
import dev.memstore.internal.privacy.Forgetting;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.KeyRotation;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** The store's privacy view: forgetting, the audit trail and the sealing key. */
final class SqlitePrivacy implements Privacy {
  private final Database database;
  private final AuditLog auditLog;
  private final Forgetting forgetting;

  SqlitePrivacy(Database database, AuditLog auditLog, Forgetting forgetting) {
    this.database = database;
    this.auditLog = auditLog;
    this.forgetting = forgetting;
  }

  // The audit trail

  @Override
  public List<AuditEntry> audit(AuditQuery query) {
    return auditLog.read(Objects.requireNonNull(query, "query"));
  }

  // Forgetting

  @Override
  public ForgetPreview previewForget(ForgetRequest request) {
    return forgetting.preview(request);
  }

  @Override
  public ForgetReceipt forget(ForgetRequest request) {
    // A store without an access policy acts for no named agent; a guarded store forgets through
    // ScopedReads.forget, which names its agent on the receipt.
    return forgetting.forget(request, null);
  }

  @Override
  public List<ForgetReceipt> forgetReceipts() {
    return forgetting.receipts();
  }

  @Override
  public int allowForgotten(Collection<String> memoryIds) {
    return forgetting.allowForgotten(memoryIds);
  }

  // Sealing

  @Override
  public long rotateKey(Path newKeyFile) {
    Objects.requireNonNull(newKeyFile, "newKeyFile");
    return KeyRotation.rotate(database, StoreKey.read(newKeyFile));
  }
}
