package dev.memstore.internal.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.memstore.MemoryStoreBuilder;
import dev.memstore.MemoryStoreException;
import dev.memstore.internal.store.StoreOpener;
import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.RawDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the audit trail does when it cannot write: it keeps entries, within a bound, and says so.
 */
class AuditLogTest {
  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withoutModel()
          .withManualScheduler()
          .configure(builder -> builder.maintenanceInterval(Duration.ZERO));

  @Test
  void flush_fileLockedByAnotherWriter_keepsEntriesAndRecordsWhatItDropped() throws Exception {
    MemoryStoreBuilder builder = stores.builder().busyTimeout(Duration.ZERO);
    StoreOpener.Opened parts = StoreOpener.openParts(builder.config());
    AuditLog audit = parts.auditLog();
    try (RawDatabase raw = RawDatabase.open(stores.file())) {
      audit.record("assistant", "get", List.of(), "ok");
      raw.execute("begin exclusive");
      assertThrows(MemoryStoreException.class, audit::flush);
      for (int index = 0; index < AuditLog.MAX_PENDING; index++) {
        audit.record("assistant", "search", List.of(), "ok");
      }
      raw.execute("rollback");

      audit.flush();

      assertEquals(
          List.of(AuditLog.MAX_PENDING + 1 + ""),
          raw.strings("select count(*) from audit_log"),
          "the newest entries and one that says the oldest was dropped");
      assertEquals(
          List.of("memstore audit_entries_dropped dropped"),
          raw.strings(
              "select agent || ' ' || action || ' ' || outcome from audit_log"
                  + " order by seq limit 1"));
      assertEquals(
          List.of("0"), raw.strings("select count(*) from audit_log where action = 'get'"));
    } finally {
      parts.store().close();
    }
  }
}
