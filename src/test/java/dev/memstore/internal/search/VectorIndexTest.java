package dev.memstore.internal.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.MemoryFilter;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The index against exact search on clustered random vectors: large enough that searches take the
 * approximate steps on two threads, with filters through posting lists, updates and removals.
 */
class VectorIndexTest {
  private static final int DIMENSION = 384;
  private static final int SIZE = 30_000;
  private static final long NOW = 1_000_000;

  private final Random random = new Random(11);
  private final float[][] centres = new float[200][];
  private final List<float[]> vectors = new ArrayList<>();

  private float[] clustered() {
    float[] centre = centres[random.nextInt(centres.length)];
    float[] vector = new float[DIMENSION];
    for (int index = 0; index < DIMENSION; index++) {
      vector[index] = centre[index] + (float) (random.nextGaussian() * 0.6);
    }
    return vector;
  }

  private VectorIndex.Entry entry(int memory, String session, List<String> tags, long expiresAt) {
    return new VectorIndex.Entry(
        new IndexBatch.Row(
            memory + 1,
            "mem-" + memory,
            memory % 2 == 0 ? MemoryType.SEMANTIC : MemoryType.EPISODIC,
            MemoryTier.LONG_TERM,
            (memory % 10) / 10.0,
            NOW - memory,
            expiresAt,
            0,
            session,
            "user-" + (memory % 3),
            null,
            null,
            tags,
            false),
        vectors.get(memory));
  }

  /** A row with no owners or tags, that never expires. */
  private static IndexBatch.Row row(long seq, String id) {
    return new IndexBatch.Row(
        seq,
        id,
        MemoryType.SEMANTIC,
        MemoryTier.LONG_TERM,
        0.5,
        NOW,
        Long.MAX_VALUE,
        0,
        null,
        null,
        null,
        null,
        List.of(),
        false);
  }

  private void makeCentres() {
    for (int centre = 0; centre < centres.length; centre++) {
      centres[centre] = new float[DIMENSION];
      for (int index = 0; index < DIMENSION; index++) {
        centres[centre][index] = (float) random.nextGaussian();
      }
    }
  }

  private VectorIndex build() {
    makeCentres();
    List<VectorIndex.Entry> entries = new ArrayList<>();
    for (int memory = 0; memory < SIZE; memory++) {
      vectors.add(clustered());
      entries.add(
          entry(
              memory,
              "session-" + (memory % 50),
              memory % 10 == 0 ? List.of("tenth") : List.of("other", "x" + (memory % 7)),
              Long.MAX_VALUE));
    }
    VectorIndex index = new VectorIndex(DIMENSION);
    index.upsertAll(entries);
    return index;
  }

  private static double dot(float[] left, float[] right) {
    double sum = 0;
    double leftNorm = 0;
    double rightNorm = 0;
    for (int index = 0; index < left.length; index++) {
      sum += left[index] * right[index];
      leftNorm += left[index] * left[index];
      rightNorm += right[index] * right[index];
    }
    return sum / Math.sqrt(leftNorm * rightNorm);
  }

  /** The exact top k among the memories the predicate allows, as seqs. */
  private List<Long> exact(float[] query, IntPredicate allowed, int k) {
    List<Integer> memories = new ArrayList<>();
    // Each similarity computed once, not twice per comparison of the sort: that took most of the
    // time of these tests.
    double[] similarities = new double[vectors.size()];
    for (int memory = 0; memory < vectors.size(); memory++) {
      if (vectors.get(memory) != null && allowed.test(memory)) {
        memories.add(memory);
        similarities[memory] = dot(query, vectors.get(memory));
      }
    }
    memories.sort((left, right) -> Double.compare(similarities[right], similarities[left]));
    return memories.subList(0, Math.min(k, memories.size())).stream()
        .map(memory -> (long) memory + 1)
        .toList();
  }

  private static double recall(List<Scored> found, List<Long> expected) {
    Set<Long> seqs = new HashSet<>();
    found.forEach(hit -> seqs.add(hit.seq()));
    return expected.stream().filter(seqs::contains).count() / (double) expected.size();
  }

  @Test
  void estimates_throughTheTable_equalTheSumBitByBit() {
    // 100 dimensions leave the last word of each code part empty.
    for (int dimension : new int[] {DIMENSION, 100}) {
      VectorIndex index = new VectorIndex(dimension);
      List<VectorIndex.Entry> entries = new ArrayList<>();
      for (int memory = 0; memory < 500; memory++) {
        entries.add(new VectorIndex.Entry(row(memory + 1, "mem-" + memory), gaussian(dimension)));
      }
      index.upsertAll(entries);
      float[] query = gaussian(dimension);
      int[] slots = IntStream.range(0, entries.size()).toArray();
      float[] estimates = index.estimates(query, slots);
      for (int slot : slots) {
        assertEquals(index.estimateBitByBit(query, slot), estimates[slot], 1e-3, "slot " + slot);
      }
    }
  }

  private float[] gaussian(int dimension) {
    float[] vector = new float[dimension];
    for (int index = 0; index < dimension; index++) {
      vector[index] = (float) random.nextGaussian();
    }
    return vector;
  }

  @Test
  void search_largeIndexMatchesExactSearch() {
    VectorIndex index = build();
    double total = 0;
    for (int query = 0; query < 20; query++) {
      float[] vector = clustered();
      List<Scored> found = index.search(vector, MemoryFilter.all(), NOW, 10);
      assertEquals(10, found.size());
      for (int rank = 0; rank < found.size(); rank++) {
        Scored hit = found.get(rank);
        assertEquals(dot(vector, vectors.get((int) hit.seq() - 1)), hit.similarity(), 1e-4);
        if (rank > 0) {
          assertTrue(found.get(rank - 1).similarity() >= hit.similarity());
        }
      }
      total += recall(found, exact(vector, memory -> true, 10));
    }
    assertTrue(total / 20 >= 0.95, "recall@10 " + total / 20);
  }

  @Test
  void search_filtersThroughPostingLists() {
    VectorIndex index = build();
    for (int query = 0; query < 10; query++) {
      float[] vector = clustered();
      MemoryFilter tenth = MemoryFilter.builder().tagsAny(List.of("tenth", "missing")).build();
      List<Scored> found = index.search(vector, tenth, NOW, 10);
      found.forEach(hit -> assertEquals(0, (hit.seq() - 1) % 10));
      assertTrue(recall(found, exact(vector, memory -> memory % 10 == 0, 10)) >= 0.9);

      MemoryFilter sessionAndType =
          MemoryFilter.builder().sessionId("session-7").types(MemoryType.EPISODIC).build();
      List<Scored> inSession = index.search(vector, sessionAndType, NOW, 10);
      List<Long> expected = exact(vector, memory -> memory % 50 == 7 && memory % 2 == 1, 10);
      assertEquals(expected, inSession.stream().map(Scored::seq).toList());

      MemoryFilter allTags = MemoryFilter.builder().tagsAll(List.of("other", "x3")).build();
      List<Scored> both = index.search(vector, allTags, NOW, 5);
      both.forEach(hit -> assertTrue((hit.seq() - 1) % 10 != 0 && (hit.seq() - 1) % 7 == 3));
      assertTrue(
          recall(both, exact(vector, memory -> memory % 10 != 0 && memory % 7 == 3, 5)) >= 0.8);
    }
    float[] vector = clustered();
    assertEquals(
        List.of(), index.search(vector, MemoryFilter.builder().userId("nobody").build(), NOW, 10));
    assertEquals(
        List.of(),
        index.search(
            vector, MemoryFilter.builder().tagsAll(List.of("tenth", "nope")).build(), NOW, 10));
    MemoryFilter ids = MemoryFilter.builder().ids(List.of("mem-5", "mem-6", "mem-none")).build();
    assertEquals(
        Set.of(6L, 7L),
        Set.copyOf(index.search(vector, ids, NOW, 10).stream().map(Scored::seq).toList()));
  }

  @Test
  void upsertAndRemove_keepPostingListsAndExpiryCurrent() {
    VectorIndex index = build();
    // Memory 20 moves from "tenth" to a new tag and session; memory 30 is removed; memory 40
    // expires.
    index.upsertAll(List.of(entry(20, "session-new", List.of("moved"), Long.MAX_VALUE)));
    index.removeAll(List.of(31L));
    vectors.set(30, null);
    index.upsertAll(List.of(entry(40, "session-0", List.of("tenth"), NOW - 1)));
    assertEquals(SIZE - 1, index.size());

    float[] vector = vectors.get(20);
    MemoryFilter moved = MemoryFilter.builder().tagsAny(List.of("moved")).build();
    assertEquals(
        List.of(21L), index.search(vector, moved, NOW, 10).stream().map(Scored::seq).toList());
    MemoryFilter newSession = MemoryFilter.builder().sessionId("session-new").build();
    assertEquals(1, index.search(vector, newSession, NOW, 10).size());

    MemoryFilter tenth = MemoryFilter.builder().tagsAny(List.of("tenth")).build();
    List<Long> allowedTenth =
        index.search(vector, tenth, NOW, 5_000).stream().map(Scored::seq).toList();
    assertEquals(SIZE / 10 - 3, allowedTenth.size());
    assertTrue(
        !allowedTenth.contains(21L) && !allowedTenth.contains(31L) && !allowedTenth.contains(41L));

    List<Long> unfiltered =
        index.search(vectors.get(40), MemoryFilter.all(), NOW, 10).stream()
            .map(Scored::seq)
            .toList();
    assertTrue(!unfiltered.contains(41L), "an expired memory is not returned");
    MemoryFilter expiredToo = MemoryFilter.builder().includeExpired(true).build();
    assertEquals(41L, index.search(vectors.get(40), expiredToo, NOW, 1).get(0).seq());
  }

  @Test
  void load_answersLikeUpsertAll() {
    VectorIndex upserted = build();
    VectorIndex loaded = new VectorIndex(DIMENSION);
    loaded.startLoad(SIZE / 2); // fewer than come: the arrays grow
    IndexBatch batch = new IndexBatch(DIMENSION, 1000);
    for (int from = 0; from < SIZE; from += 7_000) {
      batch.clear(); // reused, as the index build reuses one batch per reader
      for (int memory = from; memory < Math.min(SIZE, from + 7_000); memory++) {
        VectorIndex.Entry entry =
            entry(
                memory,
                "session-" + (memory % 50),
                memory % 10 == 0 ? List.of("tenth") : List.of("other", "x" + (memory % 7)),
                memory == 3 ? NOW - 1 : Long.MAX_VALUE);
        batch.add(entry.row(), bytes(entry.vector()));
      }
      loaded.append(batch);
    }
    loaded.finishLoad();
    upserted.upsertAll(List.of(entry(3, "session-3", List.of("other", "x3"), NOW - 1)));
    assertEquals(SIZE, loaded.size());

    List<MemoryFilter> filters =
        List.of(
            MemoryFilter.all(),
            MemoryFilter.builder().tagsAny(List.of("tenth")).build(),
            MemoryFilter.builder().sessionId("session-7").types(MemoryType.EPISODIC).build(),
            MemoryFilter.builder().ids(List.of("mem-5", "mem-3", "mem-6")).build(),
            MemoryFilter.builder().ids(List.of("mem-3")).includeExpired(true).build());
    for (int query = 0; query < 10; query++) {
      float[] vector = clustered();
      for (MemoryFilter filter : filters) {
        List<Scored> expected = upserted.search(vector, filter, NOW, 10);
        List<Scored> found = loaded.search(vector, filter, NOW, 10);
        assertEquals(
            expected.stream().map(Scored::seq).toList(),
            found.stream().map(Scored::seq).toList(),
            filter.toString());
        for (int rank = 0; rank < found.size(); rank++) {
          assertEquals(expected.get(rank).similarity(), found.get(rank).similarity(), 1e-6);
        }
      }
    }
    // A loaded index takes changes like any other.
    loaded.removeAll(List.of(6L));
    assertEquals(
        List.of(5L),
        loaded
            .search(
                vectors.get(4),
                MemoryFilter.builder().ids(List.of("mem-4", "mem-5")).build(),
                NOW,
                10)
            .stream()
            .map(Scored::seq)
            .toList());
  }

  @Test
  void load_ofFarFewerMemoriesThanExpected_thenTakesMore() {
    makeCentres();
    for (int memory = 0; memory < 3_000; memory++) {
      vectors.add(clustered());
    }
    VectorIndex index = new VectorIndex(DIMENSION);
    index.startLoad(100_000); // most memories of the file have no embedding
    IndexBatch batch = new IndexBatch(DIMENSION, 10);
    for (int memory = 0; memory < 10; memory++) {
      VectorIndex.Entry entry = entry(memory, null, List.of(), Long.MAX_VALUE);
      batch.add(entry.row(), entry.vector());
    }
    index.append(batch);
    index.finishLoad();
    List<VectorIndex.Entry> more = new ArrayList<>();
    for (int memory = 10; memory < 3_000; memory++) {
      more.add(entry(memory, null, List.of(), Long.MAX_VALUE));
    }
    index.upsertAll(more);
    assertEquals(3_000, index.size());
    for (int memory : new int[] {0, 9, 10, 2_999}) {
      assertEquals(
          memory + 1L, index.search(vectors.get(memory), MemoryFilter.all(), NOW, 1).get(0).seq());
    }
  }

  /** The estimates of every slot for one query, in slot order. */
  private static float[] allEstimates(VectorIndex index, float[] query) {
    return index.estimates(query, IntStream.range(0, index.size()).toArray());
  }

  /**
   * One upsert that reaches 1,000 memories, and each that doubles the collection after it, codes
   * every vector around the mean of all of them, as a load does.
   */
  @Test
  void upsertAll_recentresTheCodesAt1000AndWhenTheCollectionDoubles() {
    List<VectorIndex.Entry> entries = new ArrayList<>();
    for (int memory = 0; memory < 2_000; memory++) {
      entries.add(new VectorIndex.Entry(row(memory + 1, "mem-" + memory), shifted(DIMENSION)));
    }
    float[] query = gaussian(DIMENSION);
    for (int size : new int[] {1_000, 2_000}) {
      VectorIndex upserted = new VectorIndex(DIMENSION);
      if (size == 2_000) {
        upserted.upsertAll(entries.subList(0, 1_000));
      }
      upserted.upsertAll(entries.subList(size == 2_000 ? 1_000 : 0, size));
      VectorIndex loaded = new VectorIndex(DIMENSION);
      loaded.startLoad(size);
      IndexBatch batch = new IndexBatch(DIMENSION, size);
      entries.subList(0, size).forEach(entry -> batch.add(entry.row(), entry.vector()));
      loaded.append(batch);
      loaded.finishLoad();
      assertArrayEquals(allEstimates(loaded, query), allEstimates(upserted, query), 1e-4f);
    }
    // Below 1,000 memories, and after a growth short of doubling, the codes keep their centre.
    VectorIndex small = new VectorIndex(DIMENSION);
    small.upsertAll(entries.subList(0, 999));
    VectorIndex centred = new VectorIndex(DIMENSION);
    centred.upsertAll(entries.subList(0, 1_000));
    assertNotEquals(
        allEstimates(centred, query)[0], allEstimates(small, query)[0], "no centre below 1000");
    centred.upsertAll(entries.subList(1_000, 1_999));
    VectorIndex loaded = new VectorIndex(DIMENSION);
    loaded.upsertAll(entries.subList(0, 1_000));
    assertEquals(allEstimates(loaded, query)[0], allEstimates(centred, query)[0], 1e-6f);
  }

  /** A vector far from the origin, so that the centre the codes take changes them. */
  private float[] shifted(int dimension) {
    float[] vector = gaussian(dimension);
    for (int index = 0; index < dimension; index++) {
      vector[index] += 3;
    }
    return vector;
  }

  /** Replacing a memory moves its id, strings, expiry and validity to the new values. */
  @Test
  void upsertAll_replacingAMemory_dropsWhatItHadBefore() {
    VectorIndex index = new VectorIndex(DIMENSION);
    List<VectorIndex.Entry> entries = new ArrayList<>();
    for (int memory = 0; memory < 20; memory++) {
      entries.add(new VectorIndex.Entry(row(memory + 1, "mem-" + memory), gaussian(DIMENSION)));
    }
    index.upsertAll(entries);
    float[] vector = gaussian(DIMENSION);
    IndexBatch.Row superseded =
        new IndexBatch.Row(
            5,
            "renamed",
            MemoryType.SEMANTIC,
            MemoryTier.LONG_TERM,
            0.5,
            NOW,
            Long.MAX_VALUE,
            0,
            "session",
            null,
            null,
            null,
            List.of("tag"),
            false,
            NOW - 10,
            NOW);
    index.upsertAll(List.of(new VectorIndex.Entry(superseded, vector)));
    assertEquals(20, index.size());
    assertEquals(-1, index.slotOf("mem-4"));
    MemoryFilter byId = MemoryFilter.builder().ids(List.of("renamed")).build();
    assertEquals(List.of(), index.search(vector, byId, NOW, 5), "a superseded fact is left out");
    MemoryFilter history = byId.toBuilder().includeSuperseded(true).build();
    assertEquals(5L, index.search(vector, history, NOW, 5).get(0).seq());

    // Current again, without its strings: the superseded count and the posting lists follow.
    index.upsertAll(List.of(new VectorIndex.Entry(row(5, "renamed"), vector)));
    assertNull(SlotFilter.allowedSlots(MemoryFilter.all(), NOW, index));
    assertEquals(5L, index.search(vector, byId, NOW, 5).get(0).seq());
    assertEquals(
        List.of(),
        index.search(vector, MemoryFilter.builder().tagsAny(List.of("tag")).build(), NOW, 5));
    assertEquals(
        List.of(),
        index.search(vector, MemoryFilter.builder().sessionId("session").build(), NOW, 5));
  }

  /**
   * Hundreds of hits asked for: thousands of candidates are scored exactly, and a dimension that is
   * not a multiple of four takes the dot product's remainder loop.
   */
  @Test
  void search_manyHits_inAnOddDimension_exactSimilarities() {
    int dimension = 38;
    Random seeded = new Random(21);
    List<VectorIndex.Entry> entries = new ArrayList<>();
    List<float[]> stored = new ArrayList<>();
    for (int memory = 0; memory < 8_000; memory++) {
      float[] vector = new float[dimension];
      for (int index = 0; index < dimension; index++) {
        vector[index] = (float) seeded.nextGaussian() + (index % 3 == 0 ? 1 : 0);
      }
      stored.add(vector);
      entries.add(new VectorIndex.Entry(row(memory + 1, "mem-" + memory), vector));
    }
    VectorIndex index = new VectorIndex(dimension);
    index.upsertAll(entries);
    float[] query = stored.get(17);
    List<Scored> found = index.search(query, MemoryFilter.all(), NOW, 450);
    assertEquals(450, found.size());
    Set<Long> foundSeqs = new HashSet<>();
    for (int rank = 0; rank < found.size(); rank++) {
      Scored hit = found.get(rank);
      foundSeqs.add(hit.seq());
      assertEquals(dot(query, stored.get((int) hit.seq() - 1)), hit.similarity(), 1e-5);
      if (rank > 0) {
        assertTrue(found.get(rank - 1).similarity() >= hit.similarity());
      }
    }
    assertEquals(18L, found.get(0).seq(), "the query's own vector first");
    List<Integer> byExact = new ArrayList<>();
    for (int memory = 0; memory < stored.size(); memory++) {
      byExact.add(memory);
    }
    double[] exact = new double[stored.size()];
    for (int memory = 0; memory < stored.size(); memory++) {
      exact[memory] = dot(query, stored.get(memory));
    }
    byExact.sort((left, right) -> Double.compare(exact[right], exact[left]));
    long recalled =
        byExact.subList(0, 450).stream().filter(memory -> foundSeqs.contains(memory + 1L)).count();
    assertTrue(recalled >= 0.9 * 450, "recall@450 " + recalled / 450.0);
  }

  @Test
  void append_rejectsAMemoryAlreadyLoaded() {
    VectorIndex index = new VectorIndex(DIMENSION);
    IndexBatch batch = new IndexBatch(DIMENSION, 1);
    batch.add(row(1, "mem-1"), new float[DIMENSION]);
    index.startLoad(1);
    index.append(batch);
    assertThrows(IllegalArgumentException.class, () -> index.append(batch));
  }

  @Test
  void batchAdd_rejectsAVectorOfAnotherDimension() {
    IndexBatch batch = new IndexBatch(DIMENSION, 1);
    assertThrows(
        IllegalArgumentException.class,
        () -> batch.add(row(1, "mem-1"), new byte[4 * DIMENSION - 4]));
    assertEquals(0, batch.size());
  }

  /** A vector as the file stores it: little-endian float32. */
  private static byte[] bytes(float[] vector) {
    java.nio.ByteBuffer buffer =
        java.nio.ByteBuffer.allocate(vector.length * Float.BYTES)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(vector);
    return buffer.array();
  }
}
