package dev.memstore.protocol;

import static dev.memstore.protocol.ProtocolClient.memoryIds;
import static dev.memstore.protocol.ProtocolClient.object;
import static dev.memstore.protocol.ProtocolClient.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memstore.testing.MemoryStoreExtension;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** filters.metadata in search, batch_read, bulk_delete and forget, and its errors. */
class MetadataFilterProtocolTest {
  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withWordHashModel("words", 16);

  private final ProtocolClient client = new ProtocolClient(stores.store());

  private List<String> ids;

  @BeforeEach
  void open() {
    List<Map<String, Object>> memories =
        List.of(
            Map.of(
                "content",
                "tea note one",
                "metadata",
                Map.of("priority", 5, "lang", "en", "device", Map.of("os", "linux"))),
            Map.of("content", "tea note two", "metadata", Map.of("priority", 2, "lang", "de")),
            Map.of("content", "tea note three", "metadata", Map.of("priority", "high")),
            Map.of("content", "tea note four"));
    ids = memoryIds(client.ok("batch_add_memories", object("memories", memories)).get("memories"));
  }

  private Set<String> ids(int... positions) {
    return java.util.Arrays.stream(positions)
        .mapToObj(position -> ids.get(position))
        .collect(java.util.stream.Collectors.toSet());
  }

  private Set<String> batchRead(String metadata) {
    JsonNode data = client.ok("batch_read", object("filter", object("metadata", parse(metadata))));
    assertEquals(data.get("memories").size(), data.get("total_count").intValue());
    return Set.copyOf(memoryIds(data.get("memories")));
  }

  @Test
  void batchRead_mongoStyleFilters_selectTheMatches() {
    assertEquals(ids(0), batchRead("{\"lang\": \"en\"}"));
    assertEquals(ids(0), batchRead("{\"priority\": {\"$gte\": 3}}"));
    assertEquals(ids(1), batchRead("{\"priority\": {\"$gt\": 1, \"$lt\": 3}}"));
    assertEquals(ids(1, 2, 3), batchRead("{\"lang\": {\"$ne\": \"en\"}}"));
    assertEquals(ids(0, 1), batchRead("{\"lang\": {\"$in\": [\"en\", \"de\"]}}"));
    assertEquals(ids(2, 3), batchRead("{\"lang\": {\"$nin\": [\"en\", \"de\"]}}"));
    assertEquals(ids(3), batchRead("{\"priority\": {\"$exists\": false}}"));
    assertEquals(ids(0, 1, 2), batchRead("{\"priority\": {\"$exists\": true}}"));
    assertEquals(
        ids(0, 2), batchRead("{\"$or\": [{\"device.os\": \"linux\"}, {\"priority\": \"high\"}]}"));
    assertEquals(
        ids(1), batchRead("{\"$and\": [{\"lang\": \"de\"}], \"$not\": {\"priority\": 5}}"));
    assertEquals(ids(0, 1, 2, 3), batchRead("{}"));
  }

  @Test
  void search_filtersMetadata_restrictsHitsAndTotal() {
    JsonNode data =
        client.ok(
            "search",
            object(
                "query",
                "tea note",
                "search_type",
                "keyword",
                "filters",
                object("metadata", parse("{\"priority\": {\"$lte\": 5}}"), "limit", 1)));

    assertEquals(1, data.get("results").size());
    assertEquals(2, data.get("total_count").intValue());
    assertEquals(true, ids(0, 1).contains(data.at("/results/0/memory_id").textValue()));
  }

  @Test
  void bulkDelete_filterMetadata_deletesTheMatches() {
    JsonNode data =
        client.ok(
            "bulk_delete",
            object("filter", object("metadata", parse("{\"lang\": {\"$in\": [\"de\"]}}"))));

    assertEquals(List.of(ids.get(1)), ProtocolClient.texts(data.get("memory_ids")));
    assertEquals(ids(0, 2, 3), batchRead("{}"));
  }

  @Test
  void forget_filtersMetadata_forgetsTheMatches() {
    JsonNode data =
        client.ok(
            "forget", object("filters", object("metadata", parse("{\"priority\": \"high\"}"))));

    assertEquals(ids(0, 1, 3), batchRead("{}"), data::toString);
  }

  private void rejected(String action, String container, String metadata, String field) {
    JsonNode payload =
        action.equals("search")
            ? object("query", "tea", container, object("metadata", parse(metadata)))
            : object(container, object("metadata", parse(metadata)));
    JsonNode error = client.rejects(action, payload, "validation_error");
    assertEquals(field, error.at("/details/field").textValue(), error::toString);
  }

  @Test
  void malformedFilters_validationErrorNamingTheField_changeNothing() {
    rejected(
        "search",
        "filters",
        "{\"priority\": {\"$gte\": true}}",
        "payload.filters.metadata.priority.$gte");
    rejected(
        "search",
        "filters",
        "{\"priority\": {\"$foo\": 1}}",
        "payload.filters.metadata.priority.$foo");
    rejected(
        "search",
        "filters",
        "{\"priority\": {\"$in\": []}}",
        "payload.filters.metadata.priority.$in");
    rejected(
        "search",
        "filters",
        "{\"priority\": {\"$in\": [1, {}]}}",
        "payload.filters.metadata.priority.$in[1]");
    rejected("search", "filters", "{\"priority\": {}}", "payload.filters.metadata.priority");
    rejected("search", "filters", "{\"lang\": [\"en\"]}", "payload.filters.metadata.lang");
    rejected("search", "filters", "{\"lang\": null}", "payload.filters.metadata.lang");
    rejected("search", "filters", "{\"$or\": []}", "payload.filters.metadata.$or");
    rejected("search", "filters", "{\"$or\": [{\"a\": 1}, 3]}", "payload.filters.metadata.$or[1]");
    rejected("search", "filters", "{\"$where\": \"1\"}", "payload.filters.metadata.$where");
    rejected("search", "filters", "{\"a..b\": 1}", "payload.filters.metadata.a..b");
    rejected(
        "search", "filters", "{\"a\": {\"$exists\": 1}}", "payload.filters.metadata.a.$exists");
    rejected(
        "batch_read",
        "filter",
        "{\"priority\": {\"$lt\": false}}",
        "payload.filter.metadata.priority.$lt");
    rejected(
        "bulk_delete",
        "filter",
        "{\"priority\": {\"$gt\": [1]}}",
        "payload.filter.metadata.priority.$gt");
    rejected(
        "bulk_delete",
        "filter",
        "{\"$or\": [{\"lang\": \"de\"}, {\"priority\": {\"$lte\": {}}}]}",
        "payload.filter.metadata.$or[1].priority.$lte");
    JsonNode notObject =
        client.rejects(
            "batch_read", object("filter", object("metadata", "lang=en")), "validation_error");
    assertEquals("payload.filter.metadata", notObject.at("/details/field").textValue());
  }

  @Test
  void malformedFilter_tooDeep_validationError() {
    String deep = "{\"a\": 1}";
    for (int level = 0; level < 8; level++) {
      deep = "{\"$not\": " + deep + "}";
    }
    JsonNode error =
        client.rejects(
            "batch_read", object("filter", object("metadata", parse(deep))), "validation_error");
    assertEquals(
        true, error.at("/details/field").textValue().startsWith("payload.filter.metadata"));
  }
}
