package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** memory_config.yaml maps one to one onto the builder, and refuses what the builder refuses. */
class ConfigFileTest {
  @TempDir Path folder;

  private Path write(String yaml) throws Exception {
    Path file = folder.resolve("memory_config.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void fromConfigFile_everyKeyReachesTheConfig() throws Exception {
    Path file =
        write(
            """
            path: data/memory.db
            read_only: false
            create_if_missing: true
            embedding_model: none
            max_content_bytes: 4096
            busy_timeout: 5s
            durability: normal
            checkpoint_delay: 500ms
            reader_connections: 2
            maintenance_interval: 30m
            cache_size: 50
            cache_expiry: 1m
            preload_important: 10
            consolidation_threshold: 0.92
            consolidation_window: 2d
            profile_share: 0.4
            ranking:
              semantic_weight: 0.6
              recency_half_life: 7d
            retention:
              half_life: {short_term: 12h, long_term: 365d}
              type_half_life: {preference: PT720H}
              prune_floor: 0.05
              max_memories: 1000
              short_term_lifetime: none
              promote_after_accesses: 5
              short_term_window: 20
              max_deletion_share: 0.25
            """);
    MemoryStoreConfig config = MemoryStoreBuilder.fromConfigFile(file).config();
    assertEquals(folder.resolve("data/memory.db"), config.path());
    assertEquals("none", config.embeddingModel());
    assertEquals(4096, config.maxContentBytes());
    assertEquals(Duration.ofSeconds(5), config.busyTimeout());
    assertEquals(Durability.NORMAL, config.durability());
    assertEquals(Duration.ofMillis(500), config.checkpointDelay());
    assertEquals(2, config.readerConnections());
    assertEquals(Duration.ofMinutes(30), config.maintenanceInterval());
    assertEquals(50, config.cacheSize());
    assertEquals(Duration.ofMinutes(1), config.cacheExpiry());
    assertEquals(10, config.preloadImportant());
    assertEquals(0.92, config.consolidationThreshold());
    assertEquals(Duration.ofDays(2), config.consolidationWindow());
    assertEquals(0.4, config.profileShare());
    assertEquals(
        MemoryStoreBuilder.DEFAULT_PROFILE_SHARE,
        MemoryStore.builder(folder.resolve("other.db")).config().profileShare());
    assertEquals(0.6, config.ranking().semanticWeight());
    assertEquals(Ranking.DEFAULT.importanceWeight(), config.ranking().importanceWeight());
    assertEquals(Duration.ofDays(7), config.ranking().recencyHalfLife());
    RetentionPolicy retention = config.retention();
    assertEquals(
        Duration.ofHours(12), retention.halfLife(MemoryType.GENERAL, MemoryTier.SHORT_TERM));
    assertEquals(Duration.ofDays(14), retention.halfLife(MemoryType.GENERAL, MemoryTier.WORKING));
    assertEquals(
        Duration.ofDays(30), retention.halfLife(MemoryType.PREFERENCE, MemoryTier.WORKING));
    assertEquals(0.05, retention.pruneFloor());
    assertEquals(1000, retention.maxMemories());
    assertNull(retention.shortTermLifetime());
    assertEquals(5, retention.promoteAfterAccesses());
    assertEquals(RetentionPolicy.DEFAULT.promoteAtImportance(), retention.promoteAtImportance());
    assertEquals(20, retention.shortTermWindow());
    assertEquals(0.25, retention.maxDeletionShare());
  }

  @Test
  void configFile_opensAStoreWithItsOptions() throws Exception {
    Path file = write("embedding_model: none\nmaintenance_interval: none\ncache_size: 0\n");
    try (MemoryStore store = MemoryStore.builder(folder.resolve("m.db")).configFile(file).build()) {
      assertEquals(Duration.ZERO, store.config().maintenanceInterval());
      Memory memory = store.create(NewMemory.of("configured"));
      store.get(memory.id());
      assertEquals(
          0, store.file().stats().cacheHits() + store.file().stats().cacheMisses(), "no cache");
    }
  }

  @Test
  void configFileDefaults_optionsSetInCode_winOverTheFile() throws Exception {
    Path file =
        write(
            "read_only: false\ncreate_if_missing: true\nbusy_timeout: 5s\n"
                + "embedding_model: none\ncache_size: 50\nranking: {semantic_weight: 0.6}\n");
    MemoryStoreConfig config =
        MemoryStore.builder(folder.resolve("m.db"))
            .readOnly(true)
            .createIfMissing(false)
            .busyTimeout(Duration.ofSeconds(1))
            .embedder(new dev.memstore.testing.WordHashEmbedder("words", 8, 0))
            .configFileDefaults(file)
            .config();
    assertTrue(config.readOnly());
    assertEquals(false, config.createIfMissing());
    assertEquals(Duration.ofSeconds(1), config.busyTimeout());
    assertNull(config.embeddingModel(), "an embedder of its own counts as the model");
    assertEquals(50, config.cacheSize(), "what code did not set comes from the file");
    assertEquals(0.6, config.ranking().semanticWeight());
  }

  @Test
  void configFileDefaults_everyKey_reachesAnEmptyBuilder() throws Exception {
    Files.writeString(folder.resolve("memory.key"), "");
    Path file =
        write(
            """
            read_only: false
            create_if_missing: true
            embedding_model: none
            max_content_bytes: 4096
            busy_timeout: 5s
            durability: normal
            checkpoint_delay: 500ms
            snapshot_interval: none
            reader_connections: 2
            maintenance_interval: 30m
            cache_size: 50
            cache_expiry: 1m
            preload_important: 10
            consolidation_threshold: 0.92
            consolidation_window: 2d
            profile_share: 0.4
            compression_threshold: 0
            encryption_key_file: memory.key
            sensitive_text: refuse
            audit_retention: none
            default_agent: owner
            agents:
              owner:
                rights: [read, write, delete, export, admin]
            ranking: {semantic_weight: 0.6}
            retention: {prune_floor: 0.05}
            """);
    MemoryStoreConfig config =
        MemoryStore.builder(folder.resolve("m.db")).configFileDefaults(file).config();
    assertEquals(Durability.NORMAL, config.durability());
    assertEquals(folder.resolve("memory.key"), config.encryptionKeyFile());
    assertEquals(SensitiveText.REFUSE, config.sensitiveText());
    assertEquals(0.05, config.retention().pruneFloor());
  }

  @Test
  void badKeysAndValues_failNamingFileAndKey() throws Exception {
    Path file = write("cache_sise: 10\n");
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> MemoryStore.builder(folder.resolve("m.db")).configFile(file));
    assertTrue(
        unknown
            .getMessage()
            .startsWith(file + ": cache_sise is not an option; known: path, read_only"),
        unknown.getMessage());
    for (String[] bad :
        new String[][] {
          {"cache_size: -1\n", "cache_size cacheSize must be between 0 and 10000000, was -1"},
          {"busy_timeout: soon\n", "busy_timeout must be a duration"},
          {"durability: sometimes\n", "durability must be one of full, normal, was 'sometimes'"},
          {
            "ranking: {semantic_weight: 2}\n",
            "ranking semanticWeight must be between 0 and 1, was 2.0"
          },
          {
            "retention: {half_life: {forever: 1d}}\n",
            "retention.half_life.forever is not an option"
          },
          {"reader_connections: two\n", "reader_connections must be a whole number"},
          {"read_only: yes please\n", "read_only must be true or false"},
        }) {
      Path config = write(bad[0]);
      IllegalArgumentException error =
          assertThrows(
              IllegalArgumentException.class,
              () -> MemoryStore.builder(folder.resolve("m.db")).configFile(config));
      assertTrue(error.getMessage().startsWith(config + ": " + bad[1]), error.getMessage());
    }
    Path twice = write("cache_size: 10\n");
    assertThrows(
        IllegalArgumentException.class,
        () -> MemoryStore.builder(folder.resolve("m.db")).cacheSize(5).configFile(twice));
    assertThrows(
        IllegalArgumentException.class,
        () -> MemoryStoreBuilder.fromConfigFile(write("cache_size: 10\n")));
  }
}
