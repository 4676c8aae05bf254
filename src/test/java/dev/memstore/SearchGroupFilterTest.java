package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.memstore.internal.search.SearchInternals;
import dev.memstore.testing.MemoryStoreExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A search narrowed to a context group: the file names the members, the index then filters by them,
 * together with the query's other criteria, in every mode.
 */
class SearchGroupFilterTest {
  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withWordHashModel("word-hash", 32);

  private final MemoryStore store = stores.store();
  private final List<String> ids = new ArrayList<>();
  private long group;
  private long empty;

  @BeforeEach
  void fill() {
    for (int index = 0; index < 6; index++) {
      NewMemory.Builder memory = NewMemory.builder("apple note " + index);
      if (index == 2) {
        memory.ttl(Duration.ofMinutes(5));
      }
      ids.add(store.create(memory.build()).id());
    }
    group = store.groups().create("trip", null).id();
    empty = store.groups().create("nothing yet", null).id();
    for (int index = 0; index < 3; index++) {
      store.groups().add(group, ids.get(index));
    }
  }

  private Set<String> found(SearchMode mode, MemoryFilter filter) {
    SearchResult result =
        store.search(
            SearchQuery.builder("apple note")
                .mode(mode)
                .minSimilarity(-1)
                .filter(filter)
                .limit(20)
                .build());
    assertEquals(result.hits().size(), result.totalCount(), mode.toString());
    return result.hits().stream().map(hit -> hit.memory().id()).collect(Collectors.toSet());
  }

  @Test
  void search_inAGroup_findsItsMembersOnly_withTheOtherCriteria() throws InterruptedException {
    // Twice: once scanning the file, once through the built index.
    for (int round = 0; round < 2; round++) {
      for (SearchMode mode : SearchMode.values()) {
        MemoryFilter inGroup = MemoryFilter.builder().groupId(group).build();
        assertEquals(Set.copyOf(ids.subList(0, 3)), found(mode, inGroup), mode.toString());
        assertEquals(
            Set.of(ids.get(1), ids.get(2)),
            found(
                mode, inGroup.toBuilder().ids(List.of(ids.get(1), ids.get(2), ids.get(4))).build()),
            mode.toString());
        assertEquals(
            Set.of(),
            found(mode, inGroup.toBuilder().ids(List.of(ids.get(4))).build()),
            mode.toString());
        assertEquals(
            Set.of(), found(mode, MemoryFilter.builder().groupId(empty).build()), mode.toString());
      }
      SearchInternals.awaitIndexes(store);
    }
  }

  @Test
  void search_inAGroup_leavesOutExpiredMembersUnlessAsked() {
    stores.clock().advance(Duration.ofMinutes(10));
    for (SearchMode mode : SearchMode.values()) {
      MemoryFilter inGroup = MemoryFilter.builder().groupId(group).build();
      assertEquals(Set.of(ids.get(0), ids.get(1)), found(mode, inGroup), mode.toString());
      assertEquals(
          Set.copyOf(ids.subList(0, 3)),
          found(mode, inGroup.toBuilder().includeExpired(true).build()),
          mode.toString());
    }
  }
}
