package dev.memstore.access;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.memstore.AccessPolicy;
import dev.memstore.AgentPolicy;
import dev.memstore.AgentRight;
import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryType;
import dev.memstore.NewMemory;
import dev.memstore.PermissionDeniedException;
import dev.memstore.SearchQuery;
import dev.memstore.testing.MemoryStoreExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a vector store adapter reads through the agent guard: stored vectors, searches by vector.
 */
class AgentVectorsTest {
  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withWordHashModel("word-hash", 4)
          .configure(builder -> builder.maintenanceInterval(Duration.ZERO));

  /** An owner, and a family agent that sees Alice's facts only. */
  private static final AccessPolicy POLICY =
      AccessPolicy.builder()
          .agent(AgentPolicy.trusted("owner"))
          .agent(
              AgentPolicy.builder("family")
                  .rights(AgentRight.READ, AgentRight.WRITE)
                  .types(List.of(MemoryType.SEMANTIC))
                  .users(List.of("alice"))
                  .build())
          .defaultAgent("owner")
          .build();

  private static final float[] EAST = {1, 0, 0, 0};

  private Memory alice;
  private Memory bob;

  private MemoryStore family() {
    stores.skipHealthCheck(); // the vectors are the test's, not the model's
    MemoryStore owner = stores.open(builder -> builder.accessPolicy(POLICY));
    alice =
        owner.create(
            NewMemory.builder("alice east")
                .type(MemoryType.SEMANTIC)
                .userId("alice")
                .embedding(EAST)
                .build());
    bob =
        owner.create(
            NewMemory.builder("bob east")
                .type(MemoryType.SEMANTIC)
                .userId("bob")
                .embedding(EAST)
                .build());
    return stores.builder().agent("family", (char[]) null).build();
  }

  @Test
  void vectors_ofMemoriesInScope_returnsThem() {
    MemoryStore family = family();

    Map<String, float[]> vectors = family.embeddings().vectors(List.of(alice.id()));

    assertEquals(List.of(alice.id()), List.copyOf(vectors.keySet()));
    assertArrayEquals(EAST, vectors.get(alice.id()));
  }

  @Test
  void vectors_ofAMemoryOutsideTheScope_isRefused() {
    MemoryStore family = family();

    assertThrows(
        PermissionDeniedException.class,
        () -> family.embeddings().vectors(List.of(alice.id(), bob.id())));
  }

  @Test
  void search_byVector_findsOnlyMemoriesInScope() {
    MemoryStore family = family();

    assertEquals(
        List.of(alice.id()),
        family.search(SearchQuery.of(EAST)).hits().stream().map(hit -> hit.memory().id()).toList());
  }
}
