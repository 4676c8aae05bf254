package dev.memstore.internal.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.memstore.MemoryFilter;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The index's compiled filter against a plain reading of {@link MemoryFilter} (the conditions the
 * SQL side applies), on seeded random memories and filters. Values come from small sets and times
 * and importances from coarse grids, so that every criterion matches some memories and lands on its
 * boundaries.
 */
class SlotFilterTest {
  private static final long NOW = 10_000;
  private static final int MEMORIES = 400;
  private static final int FILTERS = 3_000;
  private static final List<String> SESSIONS = List.of("s0", "s1", "s2", "s3");
  private static final List<String> USERS = List.of("u0", "u1", "u2");
  private static final List<String> AGENTS = List.of("a0", "a1");
  private static final List<String> PARENTS = List.of("p0", "p1", "p2");
  private static final List<String> TAGS = List.of("t0", "t1", "t2", "t3", "t4", "t5");

  private final Map<String, IndexBatch.Row> live = new HashMap<>();

  /**
   * One memory. {@code varied} decides whether some memories expire and some facts are superseded,
   * so that both ways through the expiry and validity shortcuts are taken.
   */
  private static IndexBatch.Row row(Random random, int memory, boolean varied) {
    long created = NOW - 100L * random.nextInt(20);
    long expiresAt =
        varied && random.nextInt(5) == 0 ? NOW + 100L * (random.nextInt(5) - 2) : Long.MAX_VALUE;
    long validTo =
        varied && random.nextInt(4) == 0
            ? created + 100L * (1 + random.nextInt(10))
            : Long.MAX_VALUE;
    List<String> tags = new ArrayList<>();
    for (String tag : TAGS) {
      if (random.nextInt(4) == 0) {
        tags.add(tag);
      }
    }
    return new IndexBatch.Row(
        memory + 1,
        "m" + memory,
        MemoryType.values()[random.nextInt(MemoryType.values().length)],
        MemoryTier.values()[random.nextInt(MemoryTier.values().length)],
        random.nextInt(11) / 10.0,
        created,
        expiresAt,
        0,
        maybe(random, SESSIONS),
        maybe(random, USERS),
        maybe(random, AGENTS),
        maybe(random, PARENTS),
        tags,
        false,
        created,
        validTo);
  }

  private static String maybe(Random random, List<String> values) {
    int index = random.nextInt(values.size() + 1);
    return index == values.size() ? null : values.get(index);
  }

  /** A value of the set or, now and then, one that no memory has. */
  private static String criterion(Random random, List<String> values) {
    return random.nextInt(8) == 0 ? "missing" : values.get(random.nextInt(values.size()));
  }

  private static <T> List<T> some(Random random, List<T> values) {
    List<T> chosen = new ArrayList<>();
    for (T value : values) {
      if (random.nextInt(3) == 0) {
        chosen.add(value);
      }
    }
    return chosen;
  }

  private static MemoryFilter filter(Random random) {
    MemoryFilter.Builder builder = MemoryFilter.builder();
    // Each criterion with probability 1/4, so that filters usually combine one to three.
    if (random.nextInt(4) == 0) {
      List<String> ids = new ArrayList<>();
      for (int count = 1 + random.nextInt(40); count > 0; count--) {
        ids.add("m" + random.nextInt(MEMORIES + 20));
      }
      builder.ids(ids);
    }
    if (random.nextInt(4) == 0) {
      builder.types(some(random, List.of(MemoryType.values())));
    }
    if (random.nextInt(4) == 0) {
      builder.tiers(some(random, List.of(MemoryTier.values())));
    }
    if (random.nextInt(4) == 0) {
      List<String> tags = new ArrayList<>(some(random, TAGS));
      if (random.nextInt(6) == 0) {
        tags.add("missing");
      }
      builder.tagsAny(tags);
    }
    if (random.nextInt(4) == 0) {
      List<String> tags = new ArrayList<>(some(random, TAGS.subList(0, 3)));
      if (random.nextInt(6) == 0) {
        tags.add("missing");
      }
      builder.tagsAll(tags);
    }
    if (random.nextInt(4) == 0) {
      builder.sessionId(criterion(random, SESSIONS));
    }
    if (random.nextInt(4) == 0) {
      builder.userId(criterion(random, USERS));
    }
    if (random.nextInt(4) == 0) {
      builder.agentId(criterion(random, AGENTS));
    }
    if (random.nextInt(4) == 0) {
      builder.parentId(criterion(random, PARENTS));
    }
    if (random.nextInt(4) == 0) {
      builder.createdFrom(Instant.ofEpochMilli(NOW - 100L * random.nextInt(20)));
    }
    if (random.nextInt(4) == 0) {
      builder.createdUntil(Instant.ofEpochMilli(NOW - 100L * random.nextInt(20)));
    }
    if (random.nextInt(4) == 0) {
      builder.minImportance(random.nextInt(11) / 10.0);
    }
    if (random.nextInt(4) == 0) {
      builder.asOf(Instant.ofEpochMilli(NOW - 100L * random.nextInt(25)));
    }
    builder.includeExpired(random.nextInt(3) == 0);
    builder.includeSuperseded(random.nextInt(3) == 0);
    return builder.build();
  }

  /** The memories the filter allows, read plainly from their rows. */
  private Set<String> expected(MemoryFilter filter) {
    Set<String> allowed = new TreeSet<>();
    for (IndexBatch.Row row : live.values()) {
      if (allows(filter, row)) {
        allowed.add(row.id());
      }
    }
    return allowed;
  }

  private static boolean allows(MemoryFilter filter, IndexBatch.Row row) {
    long asOf = filter.asOf() == null ? 0 : filter.asOf().toEpochMilli();
    boolean valid =
        filter.asOf() == null
            ? filter.includeSuperseded() || row.validTo() == Long.MAX_VALUE
            : filter.includeSuperseded()
                ? row.createdAt() <= asOf
                : row.validFrom() <= asOf && row.validTo() > asOf;
    return valid
        && (filter.includeExpired() || row.expiresAt() > NOW)
        && (filter.ids().isEmpty() || filter.ids().contains(row.id()))
        && (filter.types().isEmpty() || filter.types().contains(row.type()))
        && (filter.tiers().isEmpty() || filter.tiers().contains(row.tier()))
        && (filter.tagsAny().isEmpty() || filter.tagsAny().stream().anyMatch(row.tags()::contains))
        && row.tags().containsAll(filter.tagsAll())
        && (filter.sessionId() == null || filter.sessionId().equals(row.sessionId()))
        && (filter.userId() == null || filter.userId().equals(row.userId()))
        && (filter.agentId() == null || filter.agentId().equals(row.agentId()))
        && (filter.parentId() == null || filter.parentId().equals(row.parentId()))
        && (filter.createdFrom() == null || row.createdAt() >= filter.createdFrom().toEpochMilli())
        && (filter.createdUntil() == null
            || row.createdAt() <= filter.createdUntil().toEpochMilli())
        && (filter.minImportance() == null || row.importance() >= filter.minImportance());
  }

  /** The memories of the allowed slots; every live one when the filter restricts nothing. */
  private Set<String> allowed(VectorIndex index, MemoryFilter filter) {
    long[] bits = SlotFilter.allowedSlots(filter, NOW, index);
    Set<String> ids = new TreeSet<>();
    int setBits = 0;
    for (String id : live.keySet()) {
      int slot = index.slotOf(id);
      if (bits == null || (bits[slot >>> 6] & (1L << slot)) != 0) {
        ids.add(id);
      }
    }
    if (bits != null) {
      for (long word : bits) {
        setBits += Long.bitCount(word);
      }
      assertEquals(ids.size(), setBits, "a slot without a live memory is allowed");
    }
    return ids;
  }

  private VectorIndex build(Random random, boolean varied) {
    VectorIndex index = new VectorIndex(4);
    List<VectorIndex.Entry> entries = new ArrayList<>();
    for (int memory = 0; memory < MEMORIES; memory++) {
      entries.add(entry(random, row(random, memory, varied)));
    }
    index.upsertAll(entries);
    // Removals and replacements leave free slots and change posting lists and validity counts.
    List<Long> removed = new ArrayList<>();
    for (int memory = 0; memory < MEMORIES; memory += 7) {
      removed.add(memory + 1L);
      live.remove("m" + memory);
    }
    index.removeAll(removed);
    List<VectorIndex.Entry> replaced = new ArrayList<>();
    for (int memory = 3; memory < MEMORIES; memory += 11) {
      if (memory % 7 != 0) {
        replaced.add(entry(random, row(random, memory, varied)));
      }
    }
    index.upsertAll(replaced);
    return index;
  }

  private VectorIndex.Entry entry(Random random, IndexBatch.Row row) {
    live.put(row.id(), row);
    float[] vector = new float[4];
    for (int dimension = 0; dimension < vector.length; dimension++) {
      vector[dimension] = (float) random.nextGaussian();
    }
    return new VectorIndex.Entry(row, vector);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void allowedSlots_matchThePlainReadingOfTheFilter(boolean varied) {
    Random random = new Random(varied ? 17 : 23);
    VectorIndex index = build(random, varied);
    Set<Integer> sizes = new HashSet<>();
    for (int round = 0; round < FILTERS; round++) {
      MemoryFilter filter = filter(random);
      Set<String> expected = expected(filter);
      assertEquals(expected, allowed(index, filter), filter::toString);
      sizes.add(expected.size());
    }
    // The filters were not all empty or all full: the comparison saw many different answers.
    assertEquals(true, sizes.size() > 50, () -> "distinct result sizes: " + sizes.size());
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void allowedSlots_areNull_onlyWhenNothingIsLeftOut(boolean varied) {
    VectorIndex index = build(new Random(5), varied);
    long[] bits = SlotFilter.allowedSlots(MemoryFilter.all(), NOW, index);
    if (varied) {
      // Expired memories and superseded facts are left out even by the empty filter.
      assertEquals(expected(MemoryFilter.all()), allowed(index, MemoryFilter.all()));
      assertEquals(true, bits != null);
    } else {
      assertNull(bits);
    }
    MemoryFilter everything =
        MemoryFilter.builder().includeExpired(true).includeSuperseded(true).build();
    assertNull(SlotFilter.allowedSlots(everything, NOW, index));
  }
}
