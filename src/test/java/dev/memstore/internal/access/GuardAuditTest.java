package dev.memstore.internal.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.memstore.AccessPolicy;
import dev.memstore.AgentPolicy;
import dev.memstore.AgentRight;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.PermissionDeniedException;
import dev.memstore.SearchQuery;
import dev.memstore.internal.audit.AuditTrail;
import dev.memstore.testing.MemoryStoreExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every call of an agent reaches the audit trail: agent, action, ids, outcome; never content. */
class GuardAuditTest {
  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withoutModel()
          .configure(builder -> builder.maintenanceInterval(Duration.ZERO));

  private record Entry(String agent, String action, List<String> ids, String outcome) {}

  private final List<Entry> entries = new ArrayList<>();
  private final AuditTrail trail =
      (String agent, String action, Collection<String> ids, String outcome) ->
          entries.add(new Entry(agent, action, List.copyOf(ids), outcome));

  @Test
  void calls_areRecordedWithIdsAndOutcome_neverContentOrQuery() {
    String id = stores.store().create(NewMemory.of("the secret zebra recipe")).id();
    AccessPolicy policy =
        AccessPolicy.builder()
            .agent(AgentPolicy.builder("reader").rights(AgentRight.READ).build())
            .build();
    MemoryStore reader = AgentAccess.open(stores.builder().build(), policy, "reader", null, trail);
    try {
      reader.get(id);
      reader.search(SearchQuery.builder("zebra").build());
      assertThrows(PermissionDeniedException.class, () -> reader.delete(id, false));
      assertThrows(PermissionDeniedException.class, () -> reader.file().optimize(false));
    } finally {
      reader.close();
    }
    assertEquals(
        List.of(
            new Entry("reader", "read", List.of(id), "ok"),
            new Entry("reader", "search", List.of(id), "ok"),
            new Entry("reader", "delete", List.of(id), "permission_denied"),
            new Entry("reader", "optimize", List.of(), "permission_denied")),
        entries);
    assertFalse(entries.toString().contains("zebra"), "never content or query text");
  }

  @Test
  void open_refusedSecret_isRecorded() {
    AccessPolicy policy =
        AccessPolicy.builder()
            .agent(
                AgentPolicy.builder("locked")
                    .rights(AgentRight.READ)
                    .secretHash(AgentPolicy.hashSecret("right".toCharArray()))
                    .build())
            .build();
    assertThrows(
        PermissionDeniedException.class,
        () ->
            AgentAccess.open(
                stores.builder().build(), policy, "locked", "wrong".toCharArray(), trail));
    assertEquals(List.of(new Entry("locked", "open", List.of(), "permission_denied")), entries);
  }
}
