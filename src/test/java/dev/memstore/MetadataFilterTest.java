package dev.memstore;

import static dev.memstore.MetadataFilter.and;
import static dev.memstore.MetadataFilter.eq;
import static dev.memstore.MetadataFilter.exists;
import static dev.memstore.MetadataFilter.gt;
import static dev.memstore.MetadataFilter.gte;
import static dev.memstore.MetadataFilter.in;
import static dev.memstore.MetadataFilter.lt;
import static dev.memstore.MetadataFilter.lte;
import static dev.memstore.MetadataFilter.ne;
import static dev.memstore.MetadataFilter.not;
import static dev.memstore.MetadataFilter.or;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.internal.codec.StoreKey;
import dev.memstore.internal.search.SearchInternals;
import dev.memstore.testing.MemoryStoreExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each metadata operator, their combinations and their semantics, on lists, counts and searches.
 */
class MetadataFilterTest {
  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withWordHashModel("words", 16);

  private MemoryStore store;

  /** Memory ids by label. */
  private final Map<String, String> ids = new LinkedHashMap<>();

  private final Map<String, String> labels = new HashMap<>();

  @BeforeEach
  void open() throws Exception {
    Path key = stores.folder().resolve("store.key");
    StoreKey.random().writeNew(key);
    store = stores.open(builder -> builder.encryptionKey(key));
    Map<String, Object> nullSource = new HashMap<>();
    nullSource.put("priority", 3.0);
    nullSource.put("lang", "en");
    nullSource.put("source", null);
    add(
        "one",
        Map.of(
            "priority",
            5,
            "lang",
            "en",
            "confidence",
            0.9,
            "device",
            Map.of("os", "linux"),
            "verified",
            true),
        false);
    add(
        "two",
        Map.of(
            "priority",
            2,
            "lang",
            "de",
            "confidence",
            0.5,
            "device",
            Map.of("os", "mac"),
            "verified",
            false),
        false);
    add("three", Map.of("priority", "high", "lang", "fr"), false);
    add("four", Map.of(), false);
    add("five", nullSource, false);
    add("sealed", Map.of("priority", 9, "lang", "it"), true);
  }

  private void add(String label, Map<String, ?> metadata, boolean sensitive) {
    Memory memory =
        store.create(
            NewMemory.builder("coffee note " + label)
                .metadata(metadata)
                .sensitive(sensitive)
                .build());
    ids.put(label, memory.id());
    labels.put(memory.id(), label);
  }

  private Set<String> listed(MetadataFilter metadata) {
    Page<Memory> page =
        store.list(
            MemoryFilter.builder().metadata(metadata).build(), MemorySort.NEWEST_FIRST, 0, 100);
    Set<String> found = new TreeSet<>();
    page.items().forEach(memory -> found.add(labels.get(memory.id())));
    assertEquals(found.size(), page.totalCount(), "total of " + metadata);
    return found;
  }

  private static Set<String> set(String... labels) {
    return new TreeSet<>(List.of(labels));
  }

  @Test
  void list_equality_matchesSameKindOnly() {
    assertEquals(set("five", "one"), listed(eq("lang", "en")));
    assertEquals(set("five"), listed(eq("priority", 3)), "3 equals 3.0");
    assertEquals(set("one"), listed(eq("verified", true)));
    assertEquals(set("two"), listed(eq("verified", false)));
    assertEquals(set(), listed(eq("verified", 1)), "a boolean is not a number");
    assertEquals(set(), listed(eq("priority", "5")), "a number is not a string");
  }

  @Test
  void list_notEqual_matchesMissingAndOtherKinds() {
    assertEquals(set("four", "sealed", "three", "two"), listed(ne("lang", "en")));
    assertEquals(set("five", "four", "sealed", "three", "two"), listed(ne("priority", 5)));
  }

  @Test
  void list_ranges_compareNumbersAsNumbersAndSkipOtherKinds() {
    assertEquals(set("two"), listed(lt("priority", 3)));
    assertEquals(set("five", "two"), listed(lte("priority", 3)));
    assertEquals(set("five", "one", "sealed"), listed(gt("priority", 2)), "not 'high'");
    assertEquals(set("one", "sealed"), listed(gte("priority", 5)));
    assertEquals(set("one"), listed(gte("confidence", 0.8)));
  }

  @Test
  void list_ranges_compareStringsAsStrings() {
    assertEquals(set("two"), listed(lt("lang", "en")));
    assertEquals(set("three"), listed(gt("priority", "a")), "only the string priority");
    assertEquals(set("sealed", "three"), listed(gte("lang", "fr")));
  }

  @Test
  void list_inAndExists_matchAnyValueAndPresence() {
    assertEquals(set("five", "one", "two"), listed(in("lang", "en", "de")));
    assertEquals(set("five", "three"), listed(in("priority", 3, "high")));
    assertEquals(set("five"), listed(exists("source")), "a null value is present");
    assertEquals(set("four"), listed(not(exists("priority"))));
    assertEquals(set("one", "two"), listed(exists("device")));
  }

  @Test
  void list_nestedPath_readsInsideObjects() {
    assertEquals(set("one"), listed(eq("device.os", "linux")));
    assertEquals(set(), listed(eq("device", "linux")), "an object equals no scalar");
    assertEquals(set(), listed(exists("lang.os")), "no path through a string");
  }

  @Test
  void list_keysWithSpacesAndPunctuation_areQuotedInThePath() {
    add("odd", Map.of("a b", Map.of("c:d'e[0]", 1)), false);

    assertEquals(set("odd"), listed(eq("a b.c:d'e[0]", 1)));
    assertEquals(set(), listed(eq("a b.c:d'e", 1)));
  }

  @Test
  void list_andOrNesting_combines() {
    assertEquals(
        set("one", "three"),
        listed(or(eq("lang", "fr"), and(gte("priority", 3), eq("device.os", "linux")))));
    assertEquals(set("five"), listed(and(eq("lang", "en"), not(eq("verified", true)))));
    assertEquals(
        set("five", "four", "sealed", "three", "two"),
        listed(not(and(eq("lang", "en"), gt("priority", 4)))));
  }

  @Test
  void list_sealedMemory_matchesOnItsOpenedMetadata() {
    assertEquals(set("sealed"), listed(eq("lang", "it")));
    assertEquals(
        1,
        store
            .list(
                MemoryFilter.builder().metadata(gte("priority", 9)).build(),
                MemorySort.NEWEST_FIRST,
                0,
                10)
            .totalCount());
  }

  @Test
  void list_metadataWithOtherCriteria_allHold() {
    Page<Memory> page =
        store.list(
            MemoryFilter.builder().metadata(eq("lang", "en")).ids(List.of(ids.get("one"))).build(),
            MemorySort.NEWEST_FIRST,
            0,
            10);
    assertEquals(List.of(ids.get("one")), page.items().stream().map(Memory::id).toList());
  }

  private Set<String> searched(MetadataFilter metadata, SearchMode mode, int limit, long total) {
    SearchResult result =
        store.search(
            SearchQuery.builder("coffee note")
                .mode(mode)
                .filter(MemoryFilter.builder().metadata(metadata).build())
                .limit(limit)
                .build());
    Set<String> found = new TreeSet<>();
    result.hits().forEach(hit -> found.add(labels.get(hit.memory().id())));
    assertEquals(Math.min(limit, total), result.hits().size(), mode + " hits of " + metadata);
    assertEquals(total, result.totalCount(), mode + " total of " + metadata);
    return found;
  }

  @Test
  void search_metadataFilter_restrictsCandidatesBeforeRankingWithRightTotals() throws Exception {
    // The sealed memory stays out: the keyword side finds it only once its index is in memory.
    MetadataFilter filter = or(and(gte("priority", 5), lt("priority", 9)), eq("lang", "de"));
    // Before the indexes are built the semantic side scans the file; after, the index's bit sets.
    for (int round = 0; round < 2; round++) {
      for (SearchMode mode : SearchMode.values()) {
        assertEquals(set("one", "two"), searched(filter, mode, 10, 2));
        Set<String> first = searched(filter, mode, 1, 2);
        assertTrue(set("one", "two").containsAll(first), mode + ": " + first);
        assertEquals(set(), searched(eq("lang", "none"), mode, 10, 0));
      }
      SearchInternals.awaitIndexes(store);
    }
  }

  @Test
  void deleteMatching_metadataFilter_deletesExactlyTheMatches() {
    List<String> deleted =
        store.deleteMatching(MemoryFilter.builder().metadata(lt("priority", 4)).build());

    assertEquals(Set.of(ids.get("two"), ids.get("five")), Set.copyOf(deleted));
    assertEquals(set("four", "one", "sealed", "three"), listed(null));
  }

  @Test
  void forget_metadataFilter_forgetsTheMatchesAndKeepsTheConditionOnTheReceipt() {
    ForgetReceipt receipt =
        store
            .privacy()
            .forget(
                ForgetRequest.builder()
                    .filter(MemoryFilter.builder().metadata(eq("device.os", "mac")).build())
                    .build());

    assertEquals(List.of(ids.get("two")), receipt.removedIds());
    assertEquals(
        Map.of("metadata", Map.of("device.os", Map.of("$eq", "mac"))),
        receipt.criteria().get("filter"));
    assertEquals(set("five", "four", "one", "sealed", "three"), listed(null));
  }

  private static void assertRejected(String field, Executable factory) {
    ValidationException error = assertThrows(ValidationException.class, factory::execute);
    assertEquals(field, error.field());
  }

  /** The function type of assertThrows, without JUnit's checked exception. */
  private interface Executable {
    void execute();
  }

  @Test
  void factories_malformed_throwValidationNamingTheField() {
    assertRejected("metadata.a..b", () -> eq("a..b", 1));
    assertRejected("metadata", () -> eq("", 1));
    assertRejected("metadata.a", () -> eq("a", null));
    assertRejected("metadata.a", () -> eq("a", List.of(1)));
    assertRejected("metadata.a", () -> gt("a", true));
    assertRejected("metadata.a", () -> lt("a", Double.NaN));
    assertRejected("metadata.a", () -> in("a", List.of()));
    assertRejected("metadata.$a", () -> exists("$a"));
    assertRejected("metadata.a\"b", () -> exists("a\"b"));
    assertRejected("metadata", () -> and(List.of()));
    MetadataFilter deep = eq("a", 1);
    for (int level = 1; level < MetadataFilter.MAX_DEPTH; level++) {
      deep = not(deep);
    }
    MetadataFilter deepest = deep;
    assertRejected("metadata", () -> not(deepest));
    List<Object> many = new ArrayList<>();
    for (int value = 0; value <= MetadataFilter.MAX_COMPARISONS; value++) {
      many.add(value);
    }
    assertRejected("metadata", () -> in("a", many));
  }

  @Test
  void factories_values_areNormalised() {
    assertEquals(List.of(3L), eq("a", 3).values());
    assertEquals(List.of(2.5), eq("a", 2.5f).values());
    assertEquals(List.of("device", "os"), eq("device.os", "x").path());
    assertEquals(eq("a", 3L), eq("a", 3));
    assertEquals("(a >= 3 or not b exists)", or(gte("a", 3), not(exists("b"))).toString());
  }
}
