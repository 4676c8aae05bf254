package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MemoryFilterTest {
  private static final MemoryFilter EVERY_CRITERION =
      MemoryFilter.builder()
          .ids(List.of("mem-a"))
          .types(MemoryType.PREFERENCE)
          .tiers(MemoryTier.LONG_TERM)
          .tagsAny(List.of("tea"))
          .tagsAll(List.of("drinks"))
          .sessionId("session-1")
          .userId("alice")
          .agentId("planner")
          .parentId("mem-p")
          .groupId(7L)
          .createdFrom(Instant.parse("2026-01-01T00:00:00Z"))
          .createdUntil(Instant.parse("2026-12-31T00:00:00Z"))
          .minImportance(0.4)
          .metadata(MetadataFilter.gte("priority", 3))
          .includeExpired(true)
          .includeArchived(true)
          .build();

  @Test
  void toBuilder_unchanged_buildsAnEqualFilter() {
    assertEquals(EVERY_CRITERION, EVERY_CRITERION.toBuilder().build());
  }

  @Test
  void toBuilder_oneCriterionChanged_keepsEveryOther() {
    MemoryFilter changed = EVERY_CRITERION.toBuilder().sessionId("session-2").groupId(null).build();

    assertEquals("session-2", changed.sessionId());
    assertNull(changed.groupId());
    assertEquals(Set.of("mem-a"), changed.ids());
    assertEquals(Set.of(MemoryType.PREFERENCE), changed.types());
    assertEquals(Set.of(MemoryTier.LONG_TERM), changed.tiers());
    assertEquals(Set.of("tea"), changed.tagsAny());
    assertEquals(Set.of("drinks"), changed.tagsAll());
    assertEquals("alice", changed.userId());
    assertEquals("planner", changed.agentId());
    assertEquals("mem-p", changed.parentId());
    assertEquals(EVERY_CRITERION.createdFrom(), changed.createdFrom());
    assertEquals(EVERY_CRITERION.createdUntil(), changed.createdUntil());
    assertEquals(0.4, changed.minImportance());
    assertEquals(MetadataFilter.gte("priority", 3), changed.metadata());
    assertEquals(true, changed.includeExpired());
    assertEquals(true, changed.includeArchived());
  }
}
