package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.testing.MemoryStoreExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The lifecycle calls' checks before they hand over: read-only stores, reads counted first. */
class LifecycleViewTest {
  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withWordHashModel("word-hash", 32);

  @Test
  void aReadOnlyStore_refusesWhatWrites_andAnswersDryRuns() {
    MemoryStore store = stores.store();
    Memory memory = store.create(NewMemory.builder("an old note").importance(0.1).build());
    store.create(NewMemory.builder("an old note again").pinned(true).build());
    stores.clock().advance(Duration.ofDays(400));
    store.close();
    MemoryLifecycle readOnly = stores.open(builder -> builder.readOnly(true)).lifecycle();
    // Each says what it did not do (the file would refuse the write anyway, less clearly).
    assertTrue(
        assertThrows(ReadOnlyStoreException.class, readOnly::runMaintenance)
            .getMessage()
            .endsWith("maintenance writes, so it did not run"));
    assertTrue(
        assertThrows(
                ReadOnlyStoreException.class,
                () -> readOnly.cleanup(Duration.ofDays(30), 0.5, 10L, false))
            .getMessage()
            .endsWith("nothing was deleted"));
    assertTrue(
        assertThrows(
                ReadOnlyStoreException.class,
                () -> readOnly.consolidate(Duration.ofDays(1000), 0.5, false))
            .getMessage()
            .endsWith("nothing was consolidated"));
    assertTrue(
        assertThrows(ReadOnlyStoreException.class, () -> readOnly.restoreFact(memory.id()))
            .getMessage()
            .endsWith("the fact was not restored"));
    assertEquals(List.of(memory.id()), readOnly.cleanup(Duration.ofDays(30), 0.5, 10L, true));
    assertEquals(1, readOnly.consolidate(Duration.ofDays(1000), 0.5, true).groups().size());
  }

  /** Reads counted moments ago decide a cleanup by access count. */
  @Test
  void cleanup_countsTheReadsMadeJustBefore() {
    MemoryStore store = stores.store();
    Memory read = store.create(NewMemory.builder("read once").importance(0.1).build());
    Memory unread = store.create(NewMemory.builder("never read").importance(0.1).build());
    stores.clock().advance(Duration.ofDays(400));
    store.get(read.id());
    assertEquals(
        List.of(unread.id()), store.lifecycle().cleanup(Duration.ofDays(30), 0.5, 0L, true));
    assertEquals(
        List.of(unread.id()), store.lifecycle().cleanup(Duration.ofDays(30), 0.5, 0L, false));
  }

  @Test
  void learnFromInteraction_checksTheSessionId() {
    ValidationException refused =
        assertThrows(
            ValidationException.class,
            () ->
                stores
                    .store()
                    .lifecycle()
                    .learnFromInteraction("I like tea", null, "not a session id!", null));
    assertEquals("session_id", refused.field());
  }
}
