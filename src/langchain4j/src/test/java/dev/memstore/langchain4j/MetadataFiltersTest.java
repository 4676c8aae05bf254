package dev.memstore.langchain4j;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.memstore.MetadataFilter;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** LangChain4j filters as memstore metadata filters, beyond what LangChain4j's own tests check. */
class MetadataFiltersTest {
  @Test
  void of_comparisons_mapOntoTheSameOperators() {
    UUID id = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");

    assertEquals(
        MetadataFilter.eq("id", id.toString()),
        MetadataFilters.of(metadataKey("id").isEqualTo(id)));
    assertEquals(
        MetadataFilter.gt("n", 1.1), MetadataFilters.of(metadataKey("n").isGreaterThan(1.1f)));
    assertEquals(
        MetadataFilter.not(MetadataFilter.in("lang", List.of("en"))),
        MetadataFilters.of(metadataKey("lang").isNotIn("en")));
    assertEquals(
        MetadataFilter.or(MetadataFilter.lte("a", 1L), MetadataFilter.ne("b", "x")),
        MetadataFilters.of(
            metadataKey("a").isLessThanOrEqualTo(1L).or(metadataKey("b").isNotEqualTo("x"))));
  }

  @Test
  void of_containsString_isNotSupported() {
    assertThrows(
        UnsupportedOperationException.class,
        () -> MetadataFilters.of(metadataKey("text").containsString("abc")));
  }
}
