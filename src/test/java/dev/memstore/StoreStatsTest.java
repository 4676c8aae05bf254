package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The value semantics of {@link StoreStats} and {@link MemoryStoreConfig}, which were records'
 * before issue 14.
 */
class StoreStatsTest {
  @Test
  void build_unsetFigures_zeroNullOrEmpty() {
    StoreStats stats = StoreStats.builder().build();
    assertEquals(0, stats.totalMemories());
    assertEquals(Map.of(), stats.memoriesByType());
    assertEquals(Map.of(), stats.lastMaintenance());
    assertEquals(null, stats.embeddingModel());
    assertEquals(0, stats.cacheHitRate());
  }

  @Test
  void build_copiesMaps_soLaterChangesDoNotShow() {
    Map<String, Long> bySession = new HashMap<>(Map.of("s1", 2L));
    StoreStats stats = StoreStats.builder().memoriesBySession(bySession).build();
    bySession.put("s2", 1L);
    assertEquals(Map.of("s1", 2L), stats.memoriesBySession());
    assertThrows(UnsupportedOperationException.class, () -> stats.memoriesBySession().clear());
  }

  @Test
  void build_nullMap_fails() {
    assertThrows(
        NullPointerException.class, () -> StoreStats.builder().memoriesByTier(null).build());
  }

  @Test
  void equalsHashCodeAndToString_likeARecord() {
    StoreStats one = StoreStats.builder().cacheHits(3).cacheMisses(1).schemaVersion(7).build();
    StoreStats two = StoreStats.builder().cacheHits(3).cacheMisses(1).schemaVersion(7).build();
    assertEquals(one, two);
    assertEquals(one.hashCode(), two.hashCode());
    assertNotEquals(one, StoreStats.builder().cacheHits(3).build());
    assertEquals(0.75, one.cacheHitRate());
    assertTrue(
        one.toString()
            .startsWith("StoreStats[totalMemories=0, expiredMemories=0, memoriesByType={}"),
        one.toString());
    assertTrue(one.toString().endsWith(", lastMaintenance={}, degradedReason=null]"));
  }

  @Test
  void config_sameSettings_equal() {
    MemoryStoreConfig one = MemoryStore.builder(Path.of("a.db")).cacheSize(5).config();
    MemoryStoreConfig two = MemoryStore.builder(Path.of("a.db")).cacheSize(5).config();
    assertEquals(one, two);
    assertEquals(one.hashCode(), two.hashCode());
    assertEquals(5, one.cacheSize());
    assertNotEquals(one, MemoryStore.builder(Path.of("b.db")).cacheSize(5).config());
    assertTrue(
        one.toString().startsWith("MemoryStoreConfig[path=a.db, readOnly=false,"), one.toString());
  }
}
