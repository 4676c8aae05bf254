package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.testing.MemoryStoreExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a vector store adapter needs of the core: memories created under ids of the caller's
 * choosing, and searches by a vector the caller computed.
 */
class ChosenIdsAndVectorSearchTest {
  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withWordHashModel("word-hash", 4);

  private final MemoryStore store = stores.store();

  /**
   * A memory with a vector of the test's choosing; the health check after the test would find that
   * it is not the model's vector of the content, so it is skipped.
   */
  private NewMemory.Builder at(String content, float... vector) {
    stores.skipHealthCheck();
    return NewMemory.builder(content).embedding(vector);
  }

  // Chosen ids

  @Test
  void create_withChosenId_keepsThatId() {
    Memory created = store.create(NewMemory.builder("a note").id("mem-chosen_1").build());

    assertEquals("mem-chosen_1", created.id());
    assertEquals("a note", store.get("mem-chosen_1").content());
  }

  @Test
  void createAllWithResults_chosenIdsRepeatingContent_areNotTakenForDuplicates() {
    store.create(NewMemory.of("yes"));

    List<CreateResult> results =
        store.createAllWithResults(
            List.of(
                NewMemory.builder("yes").id("mem-turn-1").build(),
                NewMemory.builder("yes").id("mem-turn-2").build()));

    assertFalse(results.get(0).duplicate());
    assertFalse(results.get(1).duplicate());
    assertEquals("mem-turn-1", results.get(0).memory().id());
    assertEquals("mem-turn-2", results.get(1).memory().id());
    assertEquals(3, store.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 0, 10).totalCount());
  }

  @Test
  void createAllWithResults_withoutChosenIds_stillFoldsDuplicates() {
    List<CreateResult> results =
        store.createAllWithResults(List.of(NewMemory.of("yes"), NewMemory.of("yes")));

    assertTrue(results.get(1).duplicate());
  }

  @Test
  void create_withTakenId_failsWithValidationErrorAndWritesNothing() {
    store.create(NewMemory.builder("first").id("mem-taken").build());

    ValidationException error =
        assertThrows(
            ValidationException.class,
            () -> store.create(NewMemory.builder("second").id("mem-taken").build()));

    assertEquals(ErrorCode.VALIDATION_ERROR, error.code());
    assertEquals("id", error.field());
    assertEquals("first", store.get("mem-taken").content());
    assertEquals(1, store.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 0, 10).totalCount());
  }

  @Test
  void createAll_withSameIdTwice_failsAndWritesNothing() {
    ValidationException error =
        assertThrows(
            ValidationException.class,
            () ->
                store.createAll(
                    List.of(
                        NewMemory.builder("one").id("mem-twice").build(),
                        NewMemory.builder("two").id("mem-twice").build())));

    assertEquals(ErrorCode.VALIDATION_ERROR, error.code());
    assertTrue(error.getMessage().contains("mem-twice"), error.getMessage());
    assertEquals(0, store.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 0, 10).totalCount());
  }

  @Test
  void create_withMalformedId_failsWithValidationErrorNamingTheField() {
    for (String bad : List.of("chosen", "mem-", "mem-a b", "mem-" + "x".repeat(65), "mem-ä")) {
      ValidationException error =
          assertThrows(
              ValidationException.class,
              () -> store.create(NewMemory.builder("note").id(bad).build()),
              bad);
      assertEquals("id", error.field(), bad);
    }
    assertEquals(0, store.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 0, 10).totalCount());
  }

  @Test
  void create_withIdOfDeletedMemory_takesItAgain() {
    store.create(NewMemory.builder("old").id("mem-again").build());
    store.delete("mem-again", false);

    assertEquals("new", store.create(NewMemory.builder("new").id("mem-again").build()).content());
  }

  // Search by vector

  @Test
  void search_byVector_ordersBySimilarityAlone() {
    store.create(at("near but unimportant", 1, 0, 0, 0).importance(0).build());
    store.create(at("farther but important", 0.6f, 0.8f, 0, 0).importance(1).build());
    store.create(at("opposite", -1, 0, 0, 0).build());

    SearchResult result = store.search(SearchQuery.of(new float[] {1, 0, 0, 0}));

    assertEquals(SearchMode.SEMANTIC, result.mode());
    assertEquals(
        List.of("near but unimportant", "farther but important", "opposite"),
        result.hits().stream().map(hit -> hit.memory().content()).toList());
    assertEquals(1.0, result.hits().get(0).similarity(), 1e-6);
    assertEquals(0.6, result.hits().get(1).similarity(), 1e-6);
    assertEquals(0.6, result.hits().get(1).score(), 1e-6);
    assertEquals(0.0, result.hits().get(2).score(), 1e-6);
  }

  @Test
  void search_byVector_equallySimilar_newestFirst() {
    store.create(at("first", 0, 1, 0, 0).build());
    store.create(at("second", 0, 2, 0, 0).importance(1).build());
    store.create(at("third", 0, 3, 0, 0).importance(0).build());

    SearchResult result = store.search(SearchQuery.of(new float[] {0, 1, 0, 0}));

    assertEquals(
        List.of("third", "second", "first"),
        result.hits().stream().map(hit -> hit.memory().content()).toList());
  }

  @Test
  void search_byVectorWithMinSimilarity_leavesOutFartherMemories() {
    store.create(at("near", 1, 0, 0, 0).build());
    store.create(at("farther", 0.6f, 0.8f, 0, 0).build());

    SearchResult result =
        store.search(SearchQuery.builder(new float[] {1, 0, 0, 0}).minSimilarity(0.7).build());

    assertEquals(List.of("near"), result.hits().stream().map(h -> h.memory().content()).toList());
  }

  @Test
  void search_byVectorWithMetadataFilter_returnsOnlyMatchingMemories() {
    store.create(at("english", 1, 0, 0, 0).metadata(Map.of("lang", "en")).build());
    store.create(at("german", 1, 0, 0, 0).metadata(Map.of("lang", "de")).build());

    SearchResult result =
        store.search(
            SearchQuery.builder(new float[] {1, 0, 0, 0})
                .filter(MemoryFilter.builder().metadata(MetadataFilter.eq("lang", "de")).build())
                .build());

    assertEquals(List.of("german"), result.hits().stream().map(h -> h.memory().content()).toList());
  }

  @Test
  void search_byVectorOfWrongDimension_failsWithValidationError() {
    ValidationException error =
        assertThrows(
            ValidationException.class, () -> store.search(SearchQuery.of(new float[] {1, 0})));

    assertEquals("vector", error.field());
    assertTrue(error.getMessage().contains("word-hash"), error.getMessage());
  }

  @Test
  void searchQuery_badVectorQueries_failWithValidationErrors() {
    assertEquals(
        "vector",
        assertThrows(ValidationException.class, () -> SearchQuery.of(new float[0])).field());
    assertEquals(
        "vector",
        assertThrows(ValidationException.class, () -> SearchQuery.of(new float[] {Float.NaN}))
            .field());
    assertEquals(
        "mode",
        assertThrows(
                ValidationException.class,
                () -> SearchQuery.builder(new float[] {1}).mode(SearchMode.HYBRID).build())
            .field());
    assertEquals(
        "query",
        assertThrows(
                ValidationException.class,
                () ->
                    new SearchQuery(
                        "text", null, null, 10, 0, null, false, 0, new float[] {1, 0, 0, 0}))
            .field());
  }

  // Stored vectors

  @Test
  void vectors_returnsTheStoredVectorsAsGiven_andLeavesOutUnknownIds() {
    float[] given = {0.25f, -0.5f, 0.125f, 3f};
    Memory created = store.create(at("given", given).build());

    Map<String, float[]> vectors = store.embeddings().vectors(List.of(created.id(), "mem-unknown"));

    assertEquals(List.of(created.id()), List.copyOf(vectors.keySet()));
    assertArrayEquals(given, vectors.get(created.id()));
  }

  @Test
  void vectors_ofAMalformedId_failsWithValidationError() {
    assertThrows(ValidationException.class, () -> store.embeddings().vectors(List.of("not-an-id")));
  }
}
