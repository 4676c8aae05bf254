package dev.memstore.cli;

import static dev.memstore.cli.CliRun.memctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryUpdate;
import dev.memstore.NewMemory;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** memctl watch prints what another process does to the store while it watches. */
class WatchCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path folder;
  private Path home;
  private Path db;

  /** A store with one memory, written before any watch starts. */
  @BeforeEach
  void setUp() throws Exception {
    home = Files.createDirectories(folder.resolve("home"));
    db = folder.resolve("memory.db");
    try (MemoryStore store = MemoryStore.builder(db).embeddingModel("none").build()) {
      store.create(NewMemory.of("written before the watch: not shown"));
    }
  }

  @Test
  void watch_printsAnotherStoresChangesAsJsonLines() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> watching =
        CompletableFuture.supplyAsync(
            () ->
                Memctl.run(
                    new String[] {
                      "--db", db.toString(), "--json", "watch", "--count", "2", "--timeout", "30s"
                    },
                    new PrintWriter(out),
                    new PrintWriter(err),
                    new ByteArrayInputStream(new byte[0]),
                    new StoreLocation(Map.<String, String>of()::get, "Linux", home)));
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!err.toString().contains("Watching") && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    String id;
    try (MemoryStore store = MemoryStore.builder(db).embeddingModel("none").build()) {
      id = store.create(NewMemory.of("the user's dog is called Rex")).id();
      store.update(id, MemoryUpdate.builder().importance(0.9).build());
    }
    assertEquals(0, watching.get(40, TimeUnit.SECONDS), () -> out + "\n" + err);
    List<JsonNode> lines = out.toString().lines().map(WatchCommandTest::parse).toList();
    assertEquals(
        List.of("memory_stored", "memory_updated"),
        lines.stream().map(line -> line.get("event").textValue()).toList());
    assertTrue(lines.stream().allMatch(line -> id.equals(line.get("memory_id").textValue())));
    assertTrue(lines.get(0).get("details").get("other_store").booleanValue());
  }

  @Test
  void watch_stopsAtItsTimeoutAndRefusesANonPositiveCount() throws Exception {
    long started = System.nanoTime();
    CliRun quiet = memctl(home, "--db", db.toString(), "watch", "--timeout", "1500ms");
    assertTrue(System.nanoTime() - started >= 1_500_000_000L, "it waited for its timeout");
    assertEquals(0, quiet.exitCode(), quiet::toString);
    assertEquals("", quiet.out());
    CliRun refused = memctl(home, "--db", db.toString(), "watch", "--count", "0");
    assertEquals(ExitCodes.USAGE, refused.exitCode(), refused::toString);
    assertTrue(refused.err().contains("--count"), refused::toString);
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }
}
