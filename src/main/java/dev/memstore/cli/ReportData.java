package dev.memstore.cli;

import dev.memstore.AuditEntry;
import dev.memstore.AuditQuery;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryStoreException;
import dev.memstore.RelatedMemory;
import dev.memstore.RetentionPolicy;
import dev.memstore.SearchMode;
import dev.memstore.SearchQuery;
import dev.memstore.SearchResult;
import dev.memstore.StoreActivity;
import dev.memstore.StoreStats;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What {@code memctl report} shows, read from a store through the public API only. Parts that the
 * store refuses (the activity and the audit trail need the admin right under an access policy) are
 * null with the reason beside them, and the page says so instead of failing.
 *
 * @param activity null when refused, see {@code activityRefusal}
 * @param searches the audit trail's search entries, newest first; null when the store keeps no
 *     trail or refused it, see {@code searchesRefusal}
 * @param chosen the memory whose links are drawn, or null
 * @param probes the searches this report ran to time the store
 */
record ReportData(
    Path storePath,
    Instant now,
    StoreStats stats,
    StoreActivity activity,
    String activityRefusal,
    RetentionPolicy retention,
    List<Memory> mostRecalled,
    Memory chosen,
    List<RelatedMemory> related,
    List<AuditEntry> searches,
    String searchesRefusal,
    List<Probe> probes) {

  /** How many memories the "most recalled" chart shows. */
  static final int RECALLED = 10;

  /** One timed search: its words, how long it took and how many hits it had. */
  record Probe(String query, double millis, int hits) {}

  /**
   * Reads everything from an open store; {@code memoryIdOrNull} chooses the memory of the graph
   * (the most linked one when null), and {@code probes} keyword searches built from stored words
   * time the store's search.
   */
  static ReportData collect(MemoryStore store, Path path, String memoryIdOrNull, int probes) {
    StoreStats stats = store.file().stats();
    StoreActivity activity = null;
    String activityRefusal = null;
    try {
      activity = store.file().activity();
    } catch (MemoryStoreException refused) {
      activityRefusal = refused.getMessage();
    }
    List<Memory> mostRecalled =
        store
            .list(
                MemoryFilter.builder().build(),
                new MemorySort(MemorySort.Field.ACCESS_COUNT, true),
                0,
                RECALLED)
            .items()
            .stream()
            .filter(memory -> memory.accessCount() > 0)
            .toList();
    Memory chosen = null;
    List<RelatedMemory> related = List.of();
    if (memoryIdOrNull != null) {
      // A chosen memory that does not exist fails the command, with its exit code.
      chosen = store.get(memoryIdOrNull);
    } else if (activity != null && activity.mostLinkedMemoryId() != null) {
      try {
        chosen = store.get(activity.mostLinkedMemoryId());
      } catch (MemoryStoreException unreadable) {
        chosen = null;
      }
    }
    if (chosen != null) {
      related = store.links().related(chosen.id(), null);
    }
    List<AuditEntry> searches = null;
    String searchesRefusal = null;
    try {
      searches = new ArrayList<>();
      for (String action : List.of("search", "search_multi_query")) {
        searches.addAll(
            store
                .privacy()
                .audit(AuditQuery.builder().action(action).limit(AuditQuery.MAX_LIMIT).build()));
      }
      searches.sort(Comparator.comparing(AuditEntry::at).reversed());
    } catch (MemoryStoreException refused) {
      searches = null;
      searchesRefusal = refused.getMessage();
    }
    return new ReportData(
        path,
        store.config().clock().instant(),
        stats,
        activity,
        activityRefusal,
        store.config().retention(),
        mostRecalled,
        chosen,
        related,
        searches,
        searchesRefusal,
        probe(store, probes));
  }

  /**
   * Times keyword searches for the two longest words of each of the newest memories: keyword mode,
   * so the report never loads an embedding model; a read-only store counts no access for their
   * hits.
   */
  private static List<Probe> probe(MemoryStore store, int count) {
    if (count == 0) {
      return List.of();
    }
    List<Probe> probes = new ArrayList<>();
    for (Memory memory :
        store.list(MemoryFilter.builder().build(), MemorySort.NEWEST_FIRST, 0, count).items()) {
      String query = queryWords(memory.content());
      if (query.isEmpty()) {
        continue;
      }
      long started = System.nanoTime();
      SearchResult result =
          store.search(SearchQuery.builder(query).mode(SearchMode.KEYWORD).limit(10).build());
      probes.add(new Probe(query, (System.nanoTime() - started) / 1e6, result.hits().size()));
    }
    return probes;
  }

  /** The two longest words of at least four letters, longest first; empty when there are none. */
  static String queryWords(String content) {
    if (content == null) {
      return "";
    }
    return Arrays.stream(content.toLowerCase(Locale.ROOT).split("[^\\p{L}]+"))
        .filter(word -> word.length() >= 4)
        .distinct()
        .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(word -> word))
        .limit(2)
        .reduce((first, second) -> first + " " + second)
        .orElse("");
  }
}
