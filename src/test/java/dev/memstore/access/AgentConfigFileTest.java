package dev.memstore.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.AccessPolicy;
import dev.memstore.AgentPolicy;
import dev.memstore.AgentRight;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.NewMemory;
import dev.memstore.PermissionDeniedException;
import dev.memstore.internal.access.AgentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** memory_config.yaml's agents and default_agent keys, in the style of its other keys. */
class AgentConfigFileTest {
  @TempDir Path folder;

  private Path write(String yaml) throws Exception {
    Path file = folder.resolve("memory_config.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void agents_becomeThePolicyTheStoreObeys() throws Exception {
    String hash = AgentPolicy.hashSecret("pw".toCharArray());
    Path file =
        write(
            """
            embedding_model: none
            maintenance_interval: none
            default_agent: assistant
            agents:
              owner:
                rights: [read, write, delete, export, admin]
              assistant:
                secret_hash: "%s"
                rights: [read, write]
                types: [semantic, preference]
                tiers: long_term
                users: [alice]
                requests_per_second: 20
                writes_per_second: 2.5
            """
                .formatted(hash));
    Path database = folder.resolve("m.db");
    try (MemoryStore store =
        MemoryStore.builder(database).configFile(file).agent("owner", (char[]) null).build()) {
      AccessPolicy policy = ((AgentStore) store).agents().policy();
      assertEquals("assistant", policy.defaultAgent());
      AgentPolicy assistant = policy.agent("assistant").orElseThrow();
      assertEquals(hash, assistant.secretHash());
      assertEquals(Set.of(AgentRight.READ, AgentRight.WRITE), assistant.rights());
      assertEquals(Set.of(MemoryType.SEMANTIC, MemoryType.PREFERENCE), assistant.types());
      assertEquals(Set.of(MemoryTier.LONG_TERM), assistant.tiers());
      assertEquals(Set.of("alice"), assistant.users());
      assertEquals(20, assistant.requestsPerSecond());
      assertEquals(2.5, assistant.writesPerSecond());
      store.create(NewMemory.of("written by the owner"));
    }
    assertThrows(
        PermissionDeniedException.class,
        () -> MemoryStore.builder(database).embeddingModel("none").build(),
        "the default agent needs its secret");
    try (MemoryStore assistant =
        MemoryStore.builder(database)
            .embeddingModel("none")
            .agent("assistant", "pw".toCharArray())
            .build()) {
      assertThrows(
          PermissionDeniedException.class,
          () -> assistant.create(NewMemory.builder("general").userId("alice").build()));
    }
  }

  @Test
  void badAgents_failNamingFileAndKey() throws Exception {
    for (String[] bad :
        new String[][] {
          {"agents:\n  a:\n    rights: [read, fly]\n", "agents.a.rights names 'fly'; known: read"},
          {"agents:\n  a:\n    colour: blue\n", "agents.a.colour is not an option"},
          {"agents:\n  a:\n    types: [recipes]\n", "agents.a.types names 'recipes'"},
          {"agents:\n  a:\n    secret_hash: plain\n", "agents the secret hash of agent a"},
          {"agents:\n  a:\n    requests_per_second: -1\n", "agents requestsPerSecond of agent a"},
          {"default_agent: a\n", "default_agent needs an agents mapping"},
          {"agents: []\n", "agents must be a mapping"},
          {"default_agent: b\nagents:\n  a: {}\n", "agents the default agent b is not one"},
        }) {
      Path config = write(bad[0]);
      IllegalArgumentException error =
          assertThrows(
              IllegalArgumentException.class,
              () -> MemoryStore.builder(folder.resolve("m.db")).configFile(config),
              bad[0]);
      assertTrue(error.getMessage().startsWith(config + ": " + bad[1]), error.getMessage());
    }
  }
}
