package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.memstore.testing.MemoryStoreExtension;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** StoreFile.activity(): the figures of memctl report, read from the file. */
class StoreActivityTest {
  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withoutModel()
          .configure(builder -> builder.maintenanceInterval(Duration.ZERO));

  private static final LocalDate FIRST = LocalDate.of(2026, 1, 1);

  private Memory add(MemoryStore store, String text) {
    return store.create(NewMemory.builder(text).build());
  }

  @Test
  void activity_changes_areCountedPerUtcDay() {
    MemoryStore store = stores.store();
    Memory gone = add(store, "first day, deleted later");
    add(store, "first day, kept");
    stores.clock().advance(Duration.ofHours(23));
    add(store, "first day still, at 23:00");
    stores.clock().advance(Duration.ofHours(2));
    Memory forgotten = add(store, "second day, forgotten later");
    store.delete(gone.id(), false);
    stores.clock().advance(Duration.ofDays(1));
    store.privacy().forget(ForgetRequest.ofIds(List.of(forgotten.id())));

    assertEquals(
        List.of(
            new StoreActivity.Day(FIRST, 2, 0, 0),
            new StoreActivity.Day(FIRST.plusDays(1), 0, 1, 0),
            new StoreActivity.Day(FIRST.plusDays(2), 0, 0, 1)),
        store.file().activity().days());
  }

  @Test
  void activity_importance_isCountedInTenths() {
    MemoryStore store = stores.store();
    for (double importance : new double[] {0, 0.05, 0.1, 0.55, 0.9, 1}) {
      store.create(NewMemory.builder("importance " + importance).importance(importance).build());
    }
    assertEquals(
        List.of(2L, 1L, 0L, 0L, 0L, 1L, 0L, 0L, 0L, 2L),
        store.file().activity().importanceCounts());
  }

  @Test
  void activity_users_countLiveMemoriesWithAUser() {
    MemoryStore store = stores.store();
    store.create(NewMemory.builder("alice's").userId("alice").build());
    store.create(NewMemory.builder("alice's too").userId("alice").build());
    store.create(NewMemory.builder("bob's").userId("bob").build());
    store.create(
        NewMemory.builder("bob's, soon expired").userId("bob").ttl(Duration.ofMinutes(1)).build());
    store.create(NewMemory.builder("nobody's").build());
    stores.clock().advance(Duration.ofMinutes(2));
    assertEquals(Map.of("alice", 2L, "bob", 1L), store.file().activity().memoriesByUser());
  }

  @Test
  void activity_maintenanceRuns_areListedOldestFirst() {
    MemoryStore store = stores.store();
    store.create(NewMemory.builder("short-lived").ttl(Duration.ofMinutes(1)).build());
    stores.clock().advance(Duration.ofMinutes(2));
    MaintenanceReport first = store.lifecycle().runMaintenance();
    stores.clock().advance(Duration.ofHours(1));
    MaintenanceReport second = store.lifecycle().runMaintenance();

    List<MaintenanceReport> runs = store.file().activity().maintenanceRuns();
    assertEquals(
        List.of(first.at(), second.at()), runs.stream().map(MaintenanceReport::at).toList());
    assertEquals(1, runs.get(0).expired());
    assertEquals(0, runs.get(1).expired());
    assertEquals(first.took().toMillis(), runs.get(0).took().toMillis());
  }

  @Test
  void activity_links_nameTheMostLinkedMemoryInEitherDirection() {
    MemoryStore store = stores.store();
    assertNull(store.file().activity().mostLinkedMemoryId());
    Memory hub = add(store, "hub");
    Memory first = add(store, "first");
    Memory second = add(store, "second");
    Memory third = add(store, "third");
    store.links().add(first.id(), hub.id(), "about", 0.5);
    store.links().add(second.id(), hub.id(), "about", 0.5);
    store.links().add(first.id(), third.id(), "about", 0.5);
    assertEquals(hub.id(), store.file().activity().mostLinkedMemoryId());
  }

  @Test
  void activity_underAPolicy_needsTheAdminRight() {
    AccessPolicy policy =
        AccessPolicy.builder()
            .agent(AgentPolicy.trusted("owner"))
            .agent(AgentPolicy.builder("reader").rights(AgentRight.READ).build())
            .defaultAgent("owner")
            .build();
    MemoryStore owner = stores.open(builder -> builder.accessPolicy(policy));
    add(owner, "something");
    assertEquals(1, owner.file().activity().days().size());
    owner.close();
    try (MemoryStore reader = stores.builder().agent("reader", (char[]) null).build()) {
      PermissionDeniedException refused =
          assertThrows(PermissionDeniedException.class, () -> reader.file().activity());
      assertEquals("reader", refused.agent());
    }
  }
}
