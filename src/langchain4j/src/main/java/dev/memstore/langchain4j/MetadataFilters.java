package dev.memstore.langchain4j;

import dev.langchain4j.store.embedding.filter.Filter;
import dev.langchain4j.store.embedding.filter.comparison.ContainsString;
import dev.langchain4j.store.embedding.filter.comparison.IsEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThan;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsIn;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThan;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotIn;
import dev.langchain4j.store.embedding.filter.logical.And;
import dev.langchain4j.store.embedding.filter.logical.Not;
import dev.langchain4j.store.embedding.filter.logical.Or;
import dev.memstore.MetadataFilter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * LangChain4j's metadata {@link Filter}s as memstore {@link MetadataFilter}s. The semantics agree:
 * a missing key fails every comparison except "not equal" and "not in", which it passes, as in
 * LangChain4j's own {@code Filter.test}. A key is read as memstore reads a field: a dot steps into
 * a nested object.
 */
final class MetadataFilters {
  private MetadataFilters() {}

  /**
   * Returns the memstore filter of a LangChain4j filter.
   *
   * @throws UnsupportedOperationException for {@link ContainsString} (memstore's filters compare
   *     whole values) and for filter classes this adapter does not know
   */
  static MetadataFilter of(Filter filter) {
    if (filter instanceof IsEqualTo equal) {
      return MetadataFilter.eq(equal.key(), SegmentMetadata.comparable(equal.comparisonValue()));
    }
    if (filter instanceof IsNotEqualTo notEqual) {
      return MetadataFilter.ne(
          notEqual.key(), SegmentMetadata.comparable(notEqual.comparisonValue()));
    }
    if (filter instanceof IsGreaterThan greater) {
      return MetadataFilter.gt(
          greater.key(), SegmentMetadata.comparable(greater.comparisonValue()));
    }
    if (filter instanceof IsGreaterThanOrEqualTo atLeast) {
      return MetadataFilter.gte(
          atLeast.key(), SegmentMetadata.comparable(atLeast.comparisonValue()));
    }
    if (filter instanceof IsLessThan less) {
      return MetadataFilter.lt(less.key(), SegmentMetadata.comparable(less.comparisonValue()));
    }
    if (filter instanceof IsLessThanOrEqualTo atMost) {
      return MetadataFilter.lte(atMost.key(), SegmentMetadata.comparable(atMost.comparisonValue()));
    }
    if (filter instanceof IsIn in) {
      return MetadataFilter.in(in.key(), comparable(in.comparisonValues()));
    }
    if (filter instanceof IsNotIn notIn) {
      return MetadataFilter.not(
          MetadataFilter.in(notIn.key(), comparable(notIn.comparisonValues())));
    }
    if (filter instanceof And and) {
      return MetadataFilter.and(of(and.left()), of(and.right()));
    }
    if (filter instanceof Or or) {
      return MetadataFilter.or(of(or.left()), of(or.right()));
    }
    if (filter instanceof Not not) {
      return MetadataFilter.not(of(not.expression()));
    }
    if (filter instanceof ContainsString) {
      throw new UnsupportedOperationException(
          "memstore's metadata filters compare whole values; containsString is not supported");
    }
    throw new UnsupportedOperationException(
        "unsupported filter " + filter.getClass().getName() + ": " + filter);
  }

  private static List<Object> comparable(Collection<?> values) {
    List<Object> converted = new ArrayList<>(values.size());
    for (Object value : values) {
      converted.add(SegmentMetadata.comparable(value));
    }
    return converted;
  }
}
