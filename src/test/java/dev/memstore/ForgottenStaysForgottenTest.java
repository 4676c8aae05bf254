package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.MutableClock;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tombstones keep a forgotten memory out of imports of older exports, until it is explicitly let
 * back in; the health check warns about recorded backups that still hold one.
 */
class ForgottenStaysForgottenTest {
  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withoutModel()
          .startingAt(Instant.parse("2026-04-01T08:00:00Z"))
          .configure(builder -> builder.maintenanceInterval(Duration.ZERO));

  private final MutableClock clock = stores.clock();

  private static String export(MemoryStore store) {
    StringWriter out = new StringWriter();
    store.file().exportTo(out, count -> {});
    return out.toString();
  }

  private static TransferReport importInto(MemoryStore store, String export, boolean allow) {
    return store.file().importFrom(new StringReader(export), false, allow, count -> {});
  }

  /** An export holding a memory that is then forgotten, with a link and a child of it. */
  private record Scene(
      MemoryStore store, String export, Memory secret, Memory kept, Memory child) {}

  private Scene forgottenAfterExport() {
    MemoryStore store = stores.store();
    Memory kept = store.create(NewMemory.of("the boiler needs a service"));
    Memory secret = store.create(NewMemory.builder("my sister is ill").userId("ada").build());
    Memory child =
        store.create(NewMemory.builder("she sees a doctor").parentId(secret.id()).build());
    store.links().add(kept.id(), secret.id(), "related_to", 0.5);
    long group = store.groups().create("family", null).id();
    store.groups().add(group, secret.id());
    store.groups().add(group, kept.id());
    String export = export(store);
    clock.advance(Duration.ofMinutes(5));
    store.privacy().forget(ForgetRequest.ofIds(List.of(secret.id())));
    return new Scene(store, export, secret, kept, child);
  }

  /** The export with every memory, relationship and group of the store already there removed. */
  private static String onlyAbsent(String export, MemoryStore store) {
    StringBuilder lines = new StringBuilder();
    for (String line : export.split("\n")) {
      boolean present =
          line.contains("\"kind\":\"relationship\"")
              || line.contains("\"kind\":\"context_group\"")
              || store.list(MemoryFilter.all(), MemorySort.OLDEST_FIRST, 0, 100).items().stream()
                  .anyMatch(memory -> line.contains("\"memory_id\":\"" + memory.id() + "\""));
      if (!present) {
        lines.append(line).append('\n');
      }
    }
    return lines.toString();
  }

  @Test
  void importFrom_anOlderExportIntoANewStore_refusesTheForgottenMemoryById() {
    Scene scene = forgottenAfterExport();
    MemoryStore target = scene.store();
    // The same store, emptied of what the export holds: its tombstones stay.
    target.deleteAll(List.of(scene.kept().id(), scene.child().id()), false);

    TransferReport report =
        importInto(target, scene.export().replace("\"family\"", "\"family again\""), false);

    assertEquals(List.of(scene.secret().id()), report.forgottenRefused());
    assertEquals(2, report.memories());
    assertEquals(0, report.relationships(), "its relationship stays out with it");
    assertEquals(1, report.contextGroups());
    assertThrows(MemoryNotFoundException.class, () -> target.get(scene.secret().id()));
    assertEquals(null, target.get(scene.child().id()).parentId(), "the child comes without it");
    ContextGroup group =
        target.groups().list().stream()
            .filter(each -> each.name().equals("family again"))
            .findFirst()
            .orElseThrow();
    assertEquals(1, target.groups().members(group.id(), 0, 10).totalCount());
  }

  @Test
  void importFrom_theSameContentUnderAnotherId_isRefusedByContentKey() {
    Scene scene = forgottenAfterExport();
    String renamed =
        onlyAbsent(scene.export(), scene.store())
            .replace(scene.secret().id(), "mem-renamed0000000000000");

    TransferReport report = importInto(scene.store(), renamed, false);

    assertEquals(List.of("mem-renamed0000000000000"), report.forgottenRefused());
    assertEquals(0, report.memories());
  }

  @Test
  void importFrom_theSameWordsSaidAgainAfterTheForget_isNotRefused() {
    Scene scene = forgottenAfterExport();
    clock.advance(Duration.ofMinutes(5));
    MemoryStore other = stores.open(stores.file("other.db"));
    other.create(NewMemory.builder("my sister is ill").userId("ada").build());

    TransferReport report = importInto(scene.store(), export(other), false);

    assertEquals(List.of(), report.forgottenRefused());
    assertEquals(1, report.memories());
  }

  @Test
  void importFrom_withTheAllowance_bringsTheForgottenMemoryBackAndDropsItsTombstone() {
    Scene scene = forgottenAfterExport();
    String absent = onlyAbsent(scene.export(), scene.store());

    TransferReport report = importInto(scene.store(), absent, true);

    assertEquals(List.of(), report.forgottenRefused());
    assertEquals(1, report.memories());
    assertEquals("my sister is ill", scene.store().get(scene.secret().id()).content());
    scene.store().deleteAll(List.of(scene.secret().id()), false);
    assertEquals(
        1,
        importInto(scene.store(), absent, false).memories(),
        "the tombstone went with the allowance");
  }

  @Test
  void allowForgotten_dropsTheTombstones_soAPlainImportBringsItBack() {
    Scene scene = forgottenAfterExport();
    String absent = onlyAbsent(scene.export(), scene.store());
    assertEquals(1, importInto(scene.store(), absent, false).forgottenRefused().size());

    assertEquals(1, scene.store().privacy().allowForgotten(List.of(scene.secret().id())));

    TransferReport report = importInto(scene.store(), absent, false);
    assertEquals(1, report.memories());
    assertEquals(0, scene.store().privacy().allowForgotten(List.of(scene.secret().id())));
  }

  @Test
  void health_warnsAboutARecordedBackupMadeBeforeAForget_notAboutOneMadeAfter() {
    MemoryStore store = stores.store();
    Memory secret = store.create(NewMemory.of("my sister is ill"));
    store.create(NewMemory.of("the boiler needs a service"));
    Path before = stores.file("before.db");
    store.file().backup(before);
    assertEquals(List.of(), store.file().health().warnings(), "nothing forgotten yet");
    clock.advance(Duration.ofMinutes(5));

    store.privacy().forget(ForgetRequest.ofIds(List.of(secret.id())));
    clock.advance(Duration.ofMinutes(5));
    Path after = stores.file("after.db");
    store.file().backup(after);

    StoreHealth health = store.file().health();
    assertTrue(health.isHealthy(), "a warning is not a problem: " + health.issues());
    assertEquals(1, health.warnings().size(), health.warnings().toString());
    String warning = health.warnings().get(0);
    assertTrue(warning.contains(before.toString()), warning);
    assertTrue(warning.contains("delete it"), warning);
    assertFalse(warning.contains(after.toString()), warning);
  }

  @Test
  void health_aStaleBackupThatWasDeleted_isNoLongerWarnedAbout() throws Exception {
    MemoryStore store = stores.store();
    Memory secret = store.create(NewMemory.of("my sister is ill"));
    Path before = stores.file("before.db");
    store.file().backup(before);
    store.privacy().forget(ForgetRequest.ofIds(List.of(secret.id())));
    assertEquals(1, store.file().health().warnings().size());

    java.nio.file.Files.delete(before);

    assertEquals(List.of(), store.file().health().warnings());
  }
}
