package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The value semantics of {@link Memory}, which were a record's before issue 14. */
class MemoryTest {
  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

  private static Memory.Builder minimal() {
    return Memory.builder()
        .id("mem-1")
        .type(MemoryType.SEMANTIC)
        .tier(MemoryTier.LONG_TERM)
        .content("text")
        .createdAt(CREATED)
        .updatedAt(CREATED);
  }

  @Test
  void build_unsetAttributes_nullZeroFalseOrEmpty() {
    Memory memory = minimal().build();
    assertEquals(Map.of(), memory.metadata());
    assertEquals(List.of(), memory.tags());
    assertEquals(0, memory.importance());
    assertEquals(0, memory.accessCount());
    assertEquals(null, memory.ttl());
    assertEquals(false, memory.pinned());
  }

  @Test
  void build_missingRequiredAttribute_namesIt() {
    assertEquals(
        "id",
        assertThrows(NullPointerException.class, () -> minimal().id(null).build()).getMessage());
    assertEquals(
        "updatedAt",
        assertThrows(NullPointerException.class, () -> minimal().updatedAt(null).build())
            .getMessage());
  }

  @Test
  void build_nonJsonMetadata_fails() {
    assertThrows(
        IllegalArgumentException.class,
        () -> minimal().metadata(Map.of("key", new Object())).build());
  }

  @Test
  void build_copiesMetadataAndTags_soLaterChangesDoNotShow() {
    Map<String, Object> metadata = new HashMap<>(Map.of("key", "value"));
    List<String> tags = new ArrayList<>(List.of("a"));
    Memory memory = minimal().metadata(metadata).tags(tags).build();
    metadata.put("other", 1);
    tags.add("b");
    assertEquals(Map.of("key", "value"), memory.metadata());
    assertEquals(List.of("a"), memory.tags());
    assertThrows(UnsupportedOperationException.class, () -> memory.tags().add("c"));
    assertThrows(UnsupportedOperationException.class, () -> memory.metadata().put("c", 1));
  }

  @Test
  void equalsAndHashCode_sameAttributes_equal() {
    Memory one = minimal().metadata(Map.of("key", List.of(1, 2))).tags(List.of("a")).build();
    Memory two = minimal().metadata(Map.of("key", List.of(1, 2))).tags(List.of("a")).build();
    assertEquals(one, two);
    assertEquals(one.hashCode(), two.hashCode());
    assertNotEquals(one, minimal().accessCount(1).build());
    assertNotEquals(one, minimal().importance(0.5).build());
    assertNotEquals(one, minimal().factKey("user:city").build());
    assertNotEquals(one, minimal().supersededBy("mem-2").build());
  }

  @Test
  void toString_likeARecord() {
    assertEquals(
        "Memory[id=mem-1, type=SEMANTIC, tier=LONG_TERM, content=text, sourceAgent=null,"
            + " metadata={}, tags=[], importance=0.0, priority=0, ttl=PT1H, expiresAt=null,"
            + " createdAt=2026-01-01T00:00:00Z, updatedAt=2026-01-01T00:00:00Z,"
            + " lastAccessedAt=null, accessCount=0, parentId=null, sessionId=null, userId=null,"
            + " agentId=null, pinned=true, archivedAt=null, sensitive=false, factKey=null,"
            + " validFrom=null, validTo=null, supersededBy=null]",
        minimal().ttl(Duration.ofHours(1)).pinned(true).build().toString());
  }

  @Test
  void toBuilder_changesOnlyWhatIsSet_andKeepsTheFrozenMetadata() {
    Memory memory = minimal().metadata(Map.of("key", "value")).tags(List.of("a")).build();
    assertEquals(memory, memory.toBuilder().build());
    Memory accessed = memory.toBuilder().accessCount(3).lastAccessedAt(CREATED).build();
    assertEquals(3, accessed.accessCount());
    assertEquals(CREATED, accessed.lastAccessedAt());
    assertEquals(memory.toBuilder().accessCount(3).lastAccessedAt(CREATED).build(), accessed);
    assertSame(memory.metadata(), accessed.metadata(), "a copy does not copy the metadata again");
    assertSame(memory.tags(), accessed.tags());
    Memory replaced = memory.toBuilder().metadata(Map.of("other", 1)).build();
    assertEquals(Map.of("other", 1), replaced.metadata());
    assertTrue(memory.metadata().containsKey("key"));
  }
}
