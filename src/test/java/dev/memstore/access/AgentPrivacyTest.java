package dev.memstore.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.AccessPolicy;
import dev.memstore.AgentPolicy;
import dev.memstore.AgentRight;
import dev.memstore.AuditEntry;
import dev.memstore.AuditQuery;
import dev.memstore.ForgetReceipt;
import dev.memstore.ForgetRequest;
import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.PermissionDeniedException;
import dev.memstore.testing.MemoryStoreExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The privacy view through the agent guard: forgetting within a scope, its receipt, its trail. */
class AgentPrivacyTest {
  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withoutModel()
          .configure(builder -> builder.maintenanceInterval(Duration.ZERO));

  private static final AccessPolicy POLICY =
      AccessPolicy.builder()
          .agent(AgentPolicy.trusted("owner"))
          .agent(
              AgentPolicy.builder("kid")
                  .rights(AgentRight.READ, AgentRight.WRITE, AgentRight.DELETE)
                  .users(List.of("kid"))
                  .build())
          .defaultAgent("owner")
          .build();

  private MemoryStore as(String agent) {
    return stores.builder().agent(agent, (char[]) null).build();
  }

  @Test
  void forget_byAScopedAgent_removesOnlyItsScopeAndNamesItOnTheReceipt() {
    MemoryStore owner = stores.open(builder -> builder.accessPolicy(POLICY));
    Memory kids =
        owner.create(
            NewMemory.builder("the kid likes dinosaurs").userId("kid").tags("dinosaurs").build());
    Memory parents =
        owner.create(
            NewMemory.builder("the parent likes dinosaurs")
                .userId("parent")
                .tags("dinosaurs")
                .build());
    owner.close();

    try (MemoryStore kid = as("kid")) {
      ForgetReceipt receipt =
          kid.privacy().forget(ForgetRequest.builder().tags("dinosaurs").build());

      assertEquals(List.of(kids.id()), receipt.removedIds());
      assertEquals("kid", receipt.agent());
      assertThrows(
          PermissionDeniedException.class,
          () -> kid.privacy().forget(ForgetRequest.ofIds(List.of(parents.id()))),
          "a memory outside the scope is refused by id");
      assertThrows(
          PermissionDeniedException.class,
          () -> kid.privacy().audit(AuditQuery.latest()),
          "reading the trail needs the admin right");
    }
    try (MemoryStore again = as("owner")) {
      assertEquals(parents.content(), again.get(parents.id()).content());
      List<AuditEntry> forgets =
          again.privacy().audit(AuditQuery.builder().agent("kid").action("forget").build());
      assertEquals(
          List.of("ok", "permission_denied"), forgets.stream().map(AuditEntry::outcome).toList());
      assertEquals(List.of(kids.id()), forgets.get(0).memoryIds());
    }
  }

  @Test
  void forget_thatWouldReachASummaryOutsideTheScope_refusedAndNothingGoes() {
    MemoryStore owner = stores.open(builder -> builder.accessPolicy(POLICY));
    Memory kids = owner.create(NewMemory.builder("the kid fed the cat").userId("kid").build());
    Memory summary =
        owner.create(NewMemory.builder("the household fed the cat").userId("parent").build());
    owner.links().add(summary.id(), kids.id(), "summarizes", 1.0);
    owner.close();

    try (MemoryStore kid = as("kid")) {
      PermissionDeniedException refused =
          assertThrows(
              PermissionDeniedException.class,
              () -> kid.privacy().forget(ForgetRequest.ofIds(List.of(kids.id()))));
      assertTrue(refused.rule().contains(summary.id()), refused.rule());
      assertEquals(kids.content(), kid.get(kids.id()).content(), "nothing was forgotten");
    }
  }
}
