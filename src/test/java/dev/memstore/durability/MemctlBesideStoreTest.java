package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memstore.MemoryEvent;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.cli.Memctl;
import dev.memstore.testing.ChildJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * memctl, as a separate process, reads and writes a file that an assistant process has open, and
 * the assistant's listeners hear what it did.
 */
class MemctlBesideStoreTest {
  @TempDir Path folder;

  private String memctl(Path file, String... arguments) throws Exception {
    String[] all = new String[arguments.length + 3];
    all[0] = "--db";
    all[1] = file.toString();
    all[2] = "--json";
    System.arraycopy(arguments, 0, all, 3, arguments.length);
    try (ChildJvm child = ChildJvm.start(folder, Memctl.class, all)) {
      assertEquals(0, child.waitFor(60, TimeUnit.SECONDS), child.errorOutput());
      return String.join("\n", child.lines());
    }
  }

  @Test
  void memctl_whileStoreOpenInAnotherProcess_seesAndIsSeen() throws Exception {
    Path file = folder.resolve("memory.db");
    ObjectMapper json = new ObjectMapper();
    try (MemoryStore store = MemoryStore.open(file)) {
      List<MemoryEvent> events = new CopyOnWriteArrayList<>();
      store.addListener(events::add);
      String assistantId = store.create(NewMemory.of("written by the assistant")).id();

      JsonNode listed = json.readTree(memctl(file, "ls"));
      assertEquals(1, listed.get("total_count").intValue());
      assertEquals(assistantId, listed.get("memories").get(0).get("memory_id").textValue());

      String added =
          json.readTree(memctl(file, "add", "written by memctl", "--tag", "cli"))
              .get("memory_id")
              .textValue();
      assertEquals("written by memctl", store.get(added).content());
      awaitEvent(events, MemoryEvent.Type.STORED, added);

      store.create(NewMemory.of("written by the assistant again"));
      JsonNode removed = json.readTree(memctl(file, "rm", added));
      assertEquals(1, removed.get("deleted_count").intValue());
      assertEquals(2, store.file().stats().totalMemories());
      assertTrue(store.getAll(List.of(added)).missingIds().contains(added));
      awaitEvent(events, MemoryEvent.Type.DELETED, added);
      assertEquals(
          List.of(added, added),
          events.stream()
              .filter(event -> Boolean.TRUE.equals(event.details().get("other_store")))
              .map(MemoryEvent::memoryId)
              .toList(),
          "the assistant hears memctl's two changes, and its own as its own");
    }
  }

  /** Waits until the listener heard another store's event of that type for the memory. */
  private static void awaitEvent(List<MemoryEvent> events, MemoryEvent.Type type, String memoryId)
      throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (events.stream()
          .anyMatch(
              event ->
                  event.type() == type
                      && memoryId.equals(event.memoryId())
                      && Boolean.TRUE.equals(event.details().get("other_store")))) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no " + type + " event for " + memoryId + " in " + events);
  }
}
