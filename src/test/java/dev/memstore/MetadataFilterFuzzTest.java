package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.memstore.internal.search.SearchInternals;
import dev.memstore.testing.MemoryStoreExtension;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Random metadata and random filters from a fixed seed: the file's answer (a list) and the index's
 * (a search, through its bit sets) must equal what an evaluation in Java of the documented
 * semantics keeps.
 */
class MetadataFilterFuzzTest {
  private static final long SEED = 16_2026L;
  private static final int MEMORIES = 60;
  private static final int FILTERS = 300;
  private static final int SEARCHED_FILTERS = 60;

  private static final List<String> FIELDS = List.of("a", "b", "c.d", "c", "missing");

  /** Strings whose order by code point differs from UTF-16's: U+FF21 sorts below U+1F600. */
  private static final List<Object> SCALARS =
      List.of(
          0L, 1L, 2L, -3L, 10L, 2.0, 2.5, -0.5, "", "a", "B", "10", "9", "é", "\uFF21", "😀", true,
          false);

  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withWordHashModel("words", 16);

  @Test
  void listAndSearch_randomFilters_matchTheJavaEvaluation() throws Exception {
    Random random = new Random(SEED);
    MemoryStore store = stores.store();
    Map<String, Map<String, Object>> metadataById = new HashMap<>();
    List<NewMemory> memories = new ArrayList<>();
    List<Map<String, Object>> metadatas = new ArrayList<>();
    for (int number = 0; number < MEMORIES; number++) {
      Map<String, Object> metadata = randomMetadata(random);
      metadatas.add(metadata);
      memories.add(NewMemory.builder("fuzz memory " + number).metadata(metadata).build());
    }
    List<Memory> created = store.createAll(memories);
    for (int number = 0; number < MEMORIES; number++) {
      metadataById.put(created.get(number).id(), metadatas.get(number));
    }
    List<MetadataFilter> filters = new ArrayList<>();
    for (int number = 0; number < FILTERS; number++) {
      filters.add(randomFilter(random, 0));
    }
    for (MetadataFilter filter : filters) {
      Set<String> expected = expected(filter, metadataById);
      Page<Memory> page =
          store.list(
              MemoryFilter.builder().metadata(filter).build(), MemorySort.NEWEST_FIRST, 0, 1000);
      Set<String> listed = new TreeSet<>(page.items().stream().map(Memory::id).toList());
      assertEquals(expected, listed, filter::toString);
      assertEquals(expected.size(), page.totalCount(), filter::toString);
    }
    // The first search starts building the indexes in the background.
    store.search(SearchQuery.of("fuzz"));
    SearchInternals.awaitIndexes(store);
    for (MetadataFilter filter : filters.subList(0, SEARCHED_FILTERS)) {
      Set<String> expected = expected(filter, metadataById);
      for (SearchMode mode : List.of(SearchMode.KEYWORD, SearchMode.HYBRID)) {
        SearchResult result =
            store.search(
                SearchQuery.builder("fuzz memory")
                    .mode(mode)
                    .filter(MemoryFilter.builder().metadata(filter).build())
                    .limit(1000)
                    .build());
        Set<String> found =
            new TreeSet<>(result.hits().stream().map(hit -> hit.memory().id()).toList());
        assertEquals(expected, found, () -> mode + " " + filter);
        assertEquals(expected.size(), result.totalCount(), () -> mode + " " + filter);
      }
    }
  }

  private static Set<String> expected(
      MetadataFilter filter, Map<String, Map<String, Object>> metadataById) {
    Set<String> expected = new TreeSet<>();
    metadataById.forEach(
        (id, metadata) -> {
          if (matches(filter, metadata)) {
            expected.add(id);
          }
        });
    return expected;
  }

  private static Map<String, Object> randomMetadata(Random random) {
    Map<String, Object> metadata = new HashMap<>();
    for (String field : List.of("a", "b")) {
      Object value = randomValue(random);
      if (value != ABSENT) {
        metadata.put(field, value);
      }
    }
    int shape = random.nextInt(4);
    if (shape == 0) {
      Map<String, Object> inner = new HashMap<>();
      Object value = randomValue(random);
      if (value != ABSENT) {
        inner.put("d", value);
      }
      metadata.put("c", inner);
    } else if (shape == 1) {
      metadata.put("c", SCALARS.get(random.nextInt(SCALARS.size())));
    } else if (shape == 2) {
      metadata.put("c", List.of(1L, "d"));
    }
    return metadata;
  }

  private static final Object ABSENT = new Object();

  /** A scalar, null, or ABSENT (the key left out). */
  private static Object randomValue(Random random) {
    int pick = random.nextInt(SCALARS.size() + 3);
    if (pick < SCALARS.size()) {
      return SCALARS.get(pick);
    }
    return pick == SCALARS.size() ? null : ABSENT;
  }

  private static MetadataFilter randomFilter(Random random, int depth) {
    if (depth >= 3 || random.nextInt(10) < 6) {
      String field = FIELDS.get(random.nextInt(FIELDS.size()));
      Object value = SCALARS.get(random.nextInt(SCALARS.size()));
      return switch (random.nextInt(8)) {
        case 0 -> MetadataFilter.eq(field, value);
        case 1 -> MetadataFilter.ne(field, value);
        case 2 -> MetadataFilter.lt(field, orderable(value));
        case 3 -> MetadataFilter.lte(field, orderable(value));
        case 4 -> MetadataFilter.gt(field, orderable(value));
        case 5 -> MetadataFilter.gte(field, orderable(value));
        case 6 -> {
          List<Object> values = new ArrayList<>();
          for (int count = 1 + random.nextInt(3); count > 0; count--) {
            values.add(SCALARS.get(random.nextInt(SCALARS.size())));
          }
          yield MetadataFilter.in(field, values);
        }
        default -> MetadataFilter.exists(field);
      };
    }
    int kind = random.nextInt(5);
    if (kind == 0) {
      return MetadataFilter.not(randomFilter(random, depth + 1));
    }
    List<MetadataFilter> clauses = new ArrayList<>();
    for (int count = 1 + random.nextInt(3); count > 0; count--) {
      clauses.add(randomFilter(random, depth + 1));
    }
    return kind % 2 == 0 ? MetadataFilter.and(clauses) : MetadataFilter.or(clauses);
  }

  private static Object orderable(Object value) {
    return value instanceof Boolean ? 1L : value;
  }

  // The documented semantics, evaluated in Java.

  private static boolean matches(MetadataFilter filter, Map<String, Object> metadata) {
    return switch (filter.operator()) {
      case AND -> filter.clauses().stream().allMatch(clause -> matches(clause, metadata));
      case OR -> filter.clauses().stream().anyMatch(clause -> matches(clause, metadata));
      case NOT -> !matches(filter.clauses().get(0), metadata);
      case EXISTS -> lookup(metadata, filter.path()) != ABSENT;
      case IN ->
          filter.values().stream()
              .anyMatch(value -> compare(lookup(metadata, filter.path()), value, 0, 0));
      case EQ -> compare(lookup(metadata, filter.path()), filter.values().get(0), 0, 0);
      case NE -> !compare(lookup(metadata, filter.path()), filter.values().get(0), 0, 0);
      case LT -> compare(lookup(metadata, filter.path()), filter.values().get(0), -1, -1);
      case LTE -> compare(lookup(metadata, filter.path()), filter.values().get(0), -1, 0);
      case GT -> compare(lookup(metadata, filter.path()), filter.values().get(0), 1, 1);
      case GTE -> compare(lookup(metadata, filter.path()), filter.values().get(0), 0, 1);
    };
  }

  private static Object lookup(Map<String, Object> metadata, List<String> path) {
    Object current = metadata;
    for (String segment : path) {
      if (!(current instanceof Map<?, ?> map) || !map.containsKey(segment)) {
        return ABSENT;
      }
      current = map.get(segment);
    }
    return current;
  }

  /** Whether the field's value compares with the operand within [low, high] (-1, 0, 1). */
  private static boolean compare(Object field, Object operand, int low, int high) {
    int order;
    if (operand instanceof Boolean) {
      return field instanceof Boolean && field.equals(operand) && low <= 0 && high >= 0;
    } else if (operand instanceof String text) {
      if (!(field instanceof String fieldText)) {
        return false;
      }
      order = Integer.signum(byCodePoint(fieldText, text));
    } else {
      if (!(field instanceof Number number)) {
        return false;
      }
      order = new BigDecimal(number.toString()).compareTo(new BigDecimal(operand.toString()));
    }
    return order >= low && order <= high;
  }

  private static int byCodePoint(String left, String right) {
    int[] leftPoints = left.codePoints().toArray();
    int[] rightPoints = right.codePoints().toArray();
    for (int position = 0; position < Math.min(leftPoints.length, rightPoints.length); position++) {
      if (leftPoints[position] != rightPoints[position]) {
        return Integer.compare(leftPoints[position], rightPoints[position]);
      }
    }
    return Integer.compare(leftPoints.length, rightPoints.length);
  }
}
