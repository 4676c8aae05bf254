package dev.memstore.durability;

import static dev.memstore.testing.StoredVectors.cosine;
import static dev.memstore.testing.StoredVectors.floats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.Embedder;
import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.SearchQuery;
import dev.memstore.StoreHealth;
import dev.memstore.internal.embed.BundledEmbedder;
import dev.memstore.testing.RawDatabase;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 2: {@code memctl reembed} beside a running assistant. The assistant opened the file
 * with bge; another process moved it to MiniLM. The assistant's later writes must not commit bge
 * vectors into a MiniLM file, and its health must say what happened.
 */
class ModelChangeTest {
  private static final String BGE = "bge-small-en-v1.5-q";
  private static final String MINILM = "all-minilm-l6-v2-q";

  @TempDir Path folder;

  @Test
  void reembedBesideARunningStore_issue19_itsLaterWritesNeverCommitVectorsOfTheOldModel()
      throws Exception {
    Path file = folder.resolve("memory.db");
    List<Memory> after = new ArrayList<>();
    try (MemoryStore assistant =
        MemoryStore.builder(file).embeddingModel(BGE).maintenanceInterval(Duration.ZERO).build()) {
      for (int index = 0; index < 5; index++) {
        assistant.create(NewMemory.of("an early memory about gardening, number " + index));
      }
      // memctl reembed: another store moves the file to MiniLM while the assistant runs.
      try (MemoryStore reembed =
          MemoryStore.builder(file)
              .embeddingModel(MINILM)
              .maintenanceInterval(Duration.ZERO)
              .reembedIfModelChanged(progress -> {})
              .build()) {
        assertEquals(MINILM, reembed.file().stats().embeddingModel());
      }
      for (int index = 0; index < 20; index++) {
        after.add(
            assistant.create(
                NewMemory.of("the user's sister " + index + " plays the violin in an orchestra")));
      }
      StoreHealth health = assistant.file().health();
      assertFalse(health.isHealthy(), "health must tell: " + health.issues());
      assertTrue(
          health.issues().stream().anyMatch(issue -> issue.contains(MINILM)),
          health.issues()::toString);
    }
    Embedder minilm = BundledEmbedder.named(MINILM).orElseThrow();
    try (RawDatabase raw = RawDatabase.open(file)) {
      for (Memory memory : after) {
        byte[] stored =
            raw.bytes(
                "select e.vector from memory_embeddings e join memories m on m.seq = e.memory_seq"
                    + " where m.id = '"
                    + memory.id()
                    + "'");
        if (stored != null) {
          assertTrue(
              cosine(floats(stored), minilm.embed(memory.content())) >= 0.99,
              "a vector that is not MiniLM's was committed for " + memory.content());
        }
      }
    }
    try (MemoryStore reopened =
        MemoryStore.builder(file).maintenanceInterval(Duration.ZERO).build()) {
      reopened.embeddings().embedPending();
      assertTrue(reopened.file().health().isHealthy(), reopened.file().health().issues()::toString);
      List<String> found =
          reopened.search(SearchQuery.of("which relative is a musician?")).hits().stream()
              .map(hit -> hit.memory().id())
              .toList();
      assertTrue(
          after.stream().anyMatch(memory -> found.contains(memory.id())),
          "semantic search finds the writes made after the reembed");
    }
  }

  private static String hex(float[] vector) {
    ByteBuffer buffer = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : vector) {
      buffer.putFloat(value);
    }
    StringBuilder text = new StringBuilder("X'");
    for (byte value : buffer.array()) {
      text.append(String.format("%02x", value));
    }
    return text.append("'").toString();
  }

  /** The file main left behind: MiniLM recorded, bge vectors stored. Doctor must see it. */
  @Test
  void health_issue19_vectorsOfAnotherModelAreAProblemAndRepairReplacesThem() throws Exception {
    Path file = folder.resolve("memory.db");
    List<Memory> memories = new ArrayList<>();
    try (MemoryStore store =
        MemoryStore.builder(file)
            .embeddingModel(MINILM)
            .maintenanceInterval(Duration.ZERO)
            .build()) {
      for (int index = 0; index < 12; index++) {
        memories.add(store.create(NewMemory.of("a fact about the user's cat, number " + index)));
      }
      assertTrue(store.file().health().isHealthy(), store.file().health().issues()::toString);
    }
    Embedder bge = BundledEmbedder.named(BGE).orElseThrow();
    try (RawDatabase raw = RawDatabase.open(file)) {
      for (Memory memory : memories) {
        raw.execute(
            "update memory_embeddings set vector = "
                + hex(bge.embed(memory.content()))
                + " where memory_seq = (select seq from memories where id = '"
                + memory.id()
                + "')");
      }
    }
    try (MemoryStore store =
        MemoryStore.builder(file).readOnly(true).maintenanceInterval(Duration.ZERO).build()) {
      StoreHealth health = store.file().health();
      assertFalse(health.isHealthy());
      assertFalse(health.vectorsConsistent());
      assertTrue(
          health.issues().stream().anyMatch(issue -> issue.contains("do not match")),
          health.issues()::toString);
    }
    try (MemoryStore store = MemoryStore.builder(file).maintenanceInterval(Duration.ZERO).build()) {
      StoreHealth repaired = store.file().repair();
      assertTrue(repaired.isHealthy(), repaired.issues()::toString);
    }
    Embedder minilm = BundledEmbedder.named(MINILM).orElseThrow();
    try (RawDatabase raw = RawDatabase.open(file)) {
      for (Memory memory : memories) {
        byte[] stored =
            raw.bytes(
                "select e.vector from memory_embeddings e join memories m on m.seq = e.memory_seq"
                    + " where m.id = '"
                    + memory.id()
                    + "'");
        assertTrue(cosine(floats(stored), minilm.embed(memory.content())) >= 0.99);
      }
    }
  }
}
