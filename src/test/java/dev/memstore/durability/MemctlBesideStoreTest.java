package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.cli.Memctl;
import dev.memstore.testing.ChildJvm;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** memctl, as a separate process, reads and writes a file that an assistant process has open. */
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
      String assistantId = store.create(NewMemory.of("written by the assistant")).id();

      JsonNode listed = json.readTree(memctl(file, "ls"));
      assertEquals(1, listed.get("total_count").intValue());
      assertEquals(assistantId, listed.get("memories").get(0).get("memory_id").textValue());

      String added =
          json.readTree(memctl(file, "add", "written by memctl", "--tag", "cli"))
              .get("memory_id")
              .textValue();
      assertEquals("written by memctl", store.get(added).content());

      store.create(NewMemory.of("written by the assistant again"));
      JsonNode removed = json.readTree(memctl(file, "rm", added));
      assertEquals(1, removed.get("deleted_count").intValue());
      assertEquals(2, store.stats().totalMemories());
      assertTrue(store.getAll(java.util.List.of(added)).missingIds().contains(added));
    }
  }
}
