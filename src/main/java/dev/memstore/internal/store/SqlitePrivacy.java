package dev.memstore.internal.store;

import dev.memstore.AuditEntry;
import dev.memstore.AuditQuery;
import dev.memstore.Privacy;
import dev.memstore.internal.audit.AuditLog;
import java.util.List;
import java.util.Objects;

/** The store's privacy view: forgetting, the audit trail and the sealing key. */
final class SqlitePrivacy implements Privacy {
  private final AuditLog auditLog;

  SqlitePrivacy(AuditLog auditLog) {
    this.auditLog = auditLog;
  }

  // The audit trail

  @Override
  public List<AuditEntry> audit(AuditQuery query) {
    return auditLog.read(Objects.requireNonNull(query, "query"));
  }
}
