package dev.memstore.protocol;

import static dev.memstore.protocol.ProtocolClient.memoryIds;
import static dev.memstore.protocol.ProtocolClient.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memstore.testing.MemoryStoreExtension;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** batch_read pages through 25 memories with seed 001's limit, offset, sort and page_info. */
class BatchReadPaginationTest {
  private static final int MEMORIES = 25;

  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withBundledModel().onSystemClock();

  private final ProtocolClient client = new ProtocolClient(stores.store());

  /** The memories' ids, oldest first; memory i has importance (i + 1) / 100 in shuffled order. */
  private final List<String> ids = new ArrayList<>();

  private final List<Double> importances = new ArrayList<>();

  @BeforeEach
  void open() {
    List<Map<String, Object>> memories = new ArrayList<>();
    for (int index = 0; index < MEMORIES; index++) {
      double importance = ((index * 7) % MEMORIES + 1) / 100.0;
      importances.add(importance);
      memories.add(
          Map.of("content", "memory " + index, "tags", List.of("paged"), "importance", importance));
    }
    ids.addAll(
        memoryIds(client.ok("batch_add_memories", object("memories", memories)).get("memories")));
  }

  private JsonNode page(Map<String, Object> filter) {
    return client.ok("batch_read", object("filter", filter));
  }

  @Test
  void batchRead_lastPartialPage_returnsRestWithoutMore() {
    JsonNode data = page(Map.of("tags", List.of("paged"), "limit", 10, "offset", 20));

    assertEquals(5, data.get("memories").size());
    assertEquals(MEMORIES, data.get("total_count").intValue());
    assertEquals(10, data.at("/page_info/limit").intValue());
    assertEquals(20, data.at("/page_info/offset").intValue());
    assertFalse(data.at("/page_info/has_more").booleanValue());
  }

  @Test
  void batchRead_middlePage_hasMore() {
    JsonNode data = page(Map.of("limit", 10, "offset", 10));

    assertEquals(10, data.get("memories").size());
    assertEquals(MEMORIES, data.get("total_count").intValue());
    assertTrue(data.at("/page_info/has_more").booleanValue());
  }

  @Test
  void batchRead_exactLastPage_hasNoMore() {
    JsonNode data = page(Map.of("limit", 5, "offset", 20));

    assertEquals(5, data.get("memories").size());
    assertFalse(data.at("/page_info/has_more").booleanValue());
  }

  @Test
  void batchRead_offsetPastEnd_returnsNoneWithTotal() {
    JsonNode data = page(Map.of("limit", 10, "offset", 30));

    assertEquals(0, data.get("memories").size());
    assertEquals(MEMORIES, data.get("total_count").intValue());
    assertFalse(data.at("/page_info/has_more").booleanValue());
  }

  @Test
  void batchRead_pagesNewestFirst_coverEveryMemoryOnce() {
    List<String> seen = new ArrayList<>();
    for (int offset = 0; offset < MEMORIES; offset += 10) {
      seen.addAll(memoryIds(page(Map.of("limit", 10, "offset", offset)).get("memories")));
    }

    List<String> newestFirst = new ArrayList<>(ids);
    java.util.Collections.reverse(newestFirst);
    assertEquals(newestFirst, seen);
  }

  @Test
  void batchRead_sortByImportanceAscending_ordersPages() {
    Map<String, Object> sort = Map.of("field", "importance", "order", "asc");
    List<String> seen = new ArrayList<>();
    List<Double> seenImportances = new ArrayList<>();
    for (int offset = 0; offset < MEMORIES; offset += 10) {
      JsonNode memories = page(Map.of("limit", 10, "offset", offset, "sort", sort)).get("memories");
      seen.addAll(memoryIds(memories));
      memories.forEach(memory -> seenImportances.add(memory.get("importance").doubleValue()));
    }

    List<String> expected = new ArrayList<>(ids);
    expected.sort(Comparator.comparingDouble(id -> importances.get(ids.indexOf(id))));
    assertEquals(expected, seen);
    List<Double> sorted = new ArrayList<>(seenImportances);
    sorted.sort(Comparator.naturalOrder());
    assertEquals(sorted, seenImportances);
    assertEquals(0.01, seenImportances.get(0), 1e-12);
  }

  @Test
  void batchRead_sortByImportanceDescending_startsWithMostImportant() {
    JsonNode data =
        page(Map.of("limit", 3, "sort", Map.of("field", "importance", "order", "desc")));

    assertEquals(0.25, data.at("/memories/0/importance").doubleValue(), 1e-12);
    assertEquals(0.24, data.at("/memories/1/importance").doubleValue(), 1e-12);
    assertTrue(data.at("/page_info/has_more").booleanValue());
  }

  @Test
  void batchRead_limitAboveMaximum_validationErrorNamingIt() {
    JsonNode error =
        client.rejects("batch_read", object("filter", Map.of("limit", 10_001)), "validation_error");

    assertEquals("payload.filter.limit", error.at("/details/field").textValue());
  }

  @Test
  void batchRead_negativeOffset_validationErrorNamingIt() {
    JsonNode error =
        client.rejects("batch_read", object("filter", Map.of("offset", -1)), "validation_error");

    assertEquals("payload.filter.offset", error.at("/details/field").textValue());
  }
}
