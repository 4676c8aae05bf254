package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.AccessPolicy;
import dev.memstore.AgentPolicy;
import dev.memstore.AgentRight;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.cli.Memctl;
import dev.memstore.testing.ChildJvm;
import dev.memstore.testing.RawDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second process (memctl in a child JVM) opening a file whose policy this process saved: it knows
 * no policy of its own and obeys the file's, refusing a wrong secret and a missing right.
 */
class AgentProcessTest {
  @TempDir Path folder;

  @Test
  void secondProcess_obeysThePolicySavedInTheFile() throws Exception {
    Path database = folder.resolve("memory.db");
    AccessPolicy policy =
        AccessPolicy.builder()
            .agent(AgentPolicy.trusted("owner"))
            .agent(
                AgentPolicy.builder("helper")
                    .rights(AgentRight.READ)
                    .secretHash(AgentPolicy.hashSecret("helper secret".toCharArray()))
                    .build())
            .build();
    String id;
    try (MemoryStore store =
        MemoryStore.builder(database)
            .embeddingModel("none")
            .maintenanceInterval(Duration.ZERO)
            .accessPolicy(policy)
            .agent("owner", (char[]) null)
            .build()) {
      id = store.create(NewMemory.of("kept from the helper's delete")).id();
    }
    Path right = Files.writeString(folder.resolve("right.secret"), "helper secret\n");
    Path wrong = Files.writeString(folder.resolve("wrong.secret"), "a guess\n");
    String db = database.toString();

    try (ChildJvm refused =
        ChildJvm.start(
            folder,
            Memctl.class,
            "--db",
            db,
            "--as-agent",
            "helper",
            "--agent-secret-file",
            wrong.toString(),
            "get",
            id)) {
      assertEquals(4, refused.waitFor(120, TimeUnit.SECONDS), refused.errorOutput());
      assertTrue(refused.errorOutput().contains("is wrong"), refused.errorOutput());
    }
    try (ChildJvm reads =
        ChildJvm.start(
            folder,
            Memctl.class,
            "--db",
            db,
            "--as-agent",
            "helper",
            "--agent-secret-file",
            right.toString(),
            "get",
            id)) {
      assertEquals(0, reads.waitFor(120, TimeUnit.SECONDS), reads.errorOutput());
      assertTrue(String.join("\n", reads.lines()).contains("kept from the helper's delete"));
    }
    try (ChildJvm deletes =
        ChildJvm.start(
            folder,
            Memctl.class,
            "--db",
            db,
            "--as-agent",
            "helper",
            "--agent-secret-file",
            right.toString(),
            "rm",
            id)) {
      assertEquals(4, deletes.waitFor(120, TimeUnit.SECONDS), deletes.errorOutput());
      assertTrue(deletes.errorOutput().contains("lacks the delete right"), deletes.errorOutput());
    }
    try (RawDatabase raw = RawDatabase.open(database)) {
      assertEquals(1, raw.number("select count(*) from memories"));
    }
  }
}
