package dev.memstore.internal.search;

import dev.memstore.MemoryFilter;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.internal.search.PostingLists.Column;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The in-memory nearest-neighbour index over a store's embeddings, rebuilt from the file at open
 * and kept current from the change log.
 *
 * <p>Design: every vector is held normalised (cosine becomes a dot product) in one flat float
 * array, plus a sign-bit code of the vector minus the collection's mean and one scale factor
 * ({@link SignCodes}); the columns that filters and ranking read sit beside it, one primitive array
 * each. A query first turns the filter into a bit set of allowed slots ({@link SlotFilter}),
 * starting from the posting list ({@link PostingLists}) of its most selective criterion (tags,
 * session, user, agent, parent or ids) rather than testing every slot. When few slots are allowed
 * they are all scored exactly. Otherwise three steps narrow them down: the Hamming distance between
 * sign codes keeps the nearest 2,000 (a sampled threshold, so the scan stores almost nothing), an
 * estimate of the dot product from the float query and the sign code keeps the best 300, and those
 * are scored exactly ({@link TopK}). Above 20,000 allowed slots each of two threads runs the three
 * steps on half of the slots. Exact scoring keeps the returned scores true cosines; the pool sizes
 * keep recall@10 at 0.99 or better (measured in SpeedBenchmark on 100k real MiniLM vectors: 0.999
 * unfiltered).
 *
 * <p>Thread-safe: searches share a read lock, changes take the write lock for the few microseconds
 * they need.
 */
public final class VectorIndex implements MetadataIndex {
  /** Up to this many allowed slots, every allowed slot is scored exactly. */
  static final int EXACT_LIMIT = 1_000;

  /**
   * The Hamming step keeps this many candidates, or this many per hit asked for when that is more
   * (measured: recall@10 of the three steps 1.00 at 2,000, 0.996 at 1,000; 1,500 leaves the goal of
   * 0.99 a margin for a quarter less work).
   */
  static final int COARSE_MIN = 1_500;

  static final int COARSE_PER_HIT = 30;

  /**
   * The estimate step keeps this many for exact scoring, or this many per hit asked for when that
   * is more (measured: recall@10 0.9995 at 300, 0.996 at 200; recall@100 0.97 from 3,000 and 500,
   * as the Searcher's pool of 100 asks, about what the Hamming distance alone gave from 2,000).
   */
  static final int FINE_MIN = 250;

  static final int FINE_PER_HIT = 5;

  /** From this many allowed slots the search runs on two threads. */
  private static final int PARALLEL_SCAN = 20_000;

  /** From this many slots the sign codes are computed on two threads. */
  private static final int PARALLEL_ENCODE = 10_000;

  /** The store's helper thread for the second half of large scans and encodings. */
  private final ExecutorService helper;

  /** A memory as {@link #upsertAll(List)} takes it: its row and its vector. */
  public record Entry(IndexBatch.Row row, float[] vector) {}

  private final int dimension;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private LongIntMap slotBySeq = new LongIntMap(16);
  private Map<String, Integer> slotById = new HashMap<>();
  private final List<Integer> freeSlots = new ArrayList<>();
  private final SignCodes signCodes;

  // The slots and columns below are read by SlotFilter, under the read lock.

  /** The string columns' codes and their posting lists. */
  final PostingLists postings = new PostingLists();

  int slots;
  private int live;
  private int liveAtCentring;

  /** The sum of the vectors appended since {@link #startLoad}, for their mean. */
  private double[] loadSum;

  /** No live slot expires before this time (it may be lower than the true earliest). */
  long earliestExpiry = Long.MAX_VALUE;

  boolean[] used = new boolean[0];
  private long[] seqs = new long[0];
  private String[] ids = new String[0];
  private float[] vectors = new float[0];
  byte[] types = new byte[0];
  byte[] tiers = new byte[0];
  float[] importance = new float[0];
  long[] createdAt = new long[0];
  long[] expiresAt = new long[0];

  /** When each memory became valid: a fact's valid_from, else its creation time. */
  long[] validFrom = new long[0];

  /** When each memory stopped being valid, Long.MAX_VALUE while current (always, without a key). */
  long[] validTo = new long[0];

  /**
   * How many used slots hold a superseded fact: while none does, the default current-only filter
   * restricts nothing and costs nothing.
   */
  int supersededSlots;

  private long[] lastAccessedAt = new long[0];
  private boolean[] pinned = new boolean[0];
  int[] sessions = new int[0];
  int[] users = new int[0];
  int[] agents = new int[0];
  int[] parents = new int[0];
  int[][] tags = new int[0][];

  /** An index whose parallel halves run on the store's helper thread. */
  public VectorIndex(int dimension, ExecutorService helper) {
    this.dimension = dimension;
    this.helper = helper;
    this.signCodes = new SignCodes(dimension);
  }

  /** An index outside a store (tests, benchmarks): its parallel halves run in the common pool. */
  public VectorIndex(int dimension) {
    this(dimension, ForkJoinPool.commonPool());
  }

  public int dimension() {
    return dimension;
  }

  /** Returns the number of memories in the index. */
  public int size() {
    lock.readLock().lock();
    try {
      return live;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Adds or replaces the entries; recentres the sign codes when the collection has doubled. */
  public void upsertAll(List<Entry> entries) {
    IndexBatch batch = new IndexBatch(dimension, entries.size());
    for (Entry entry : entries) {
      batch.add(entry.row(), entry.vector());
    }
    upsertAll(batch);
  }

  /**
   * Adds or replaces the batch's memories; recentres the sign codes when the collection has
   * doubled.
   */
  public void upsertAll(IndexBatch batch) {
    lock.writeLock().lock();
    try {
      int added = 0;
      for (int row = 0; row < batch.size; row++) {
        added += slotBySeq.get(batch.seqs[row]) >= 0 ? 0 : 1;
      }
      // Sized once for a bulk load; refreshes that only update entries (access times) never grow
      // it.
      ensureCapacity(slots + Math.max(0, added - freeSlots.size()));
      // When the collection at least doubles, every code is recomputed around the new mean at the
      // end, so coding each entry on the way would be wasted.
      boolean recentre = live + batch.size >= 1000 && live + batch.size >= 2 * liveAtCentring;
      for (int row = 0; row < batch.size; row++) {
        upsert(batch, row, !recentre);
      }
      if (recentre) {
        recentre();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Starts replacing everything in the index by memories read from the file: {@link #append} then
   * adds batches and {@link #finishLoad} computes the sign codes once, around the mean of all the
   * vectors. Until then searches see a partial index, so the caller keeps them waiting.
   *
   * @param expected how many memories will be appended (the arrays grow if more come)
   */
  public void startLoad(int expected) {
    lock.writeLock().lock();
    try {
      reset(expected);
      loadSum = new double[dimension];
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Adds a batch of memories not in the index yet, after those appended before: a column at a time,
   * so that the batch can be reused. Call after {@link #startLoad}, from one thread at a time.
   *
   * @throws IllegalArgumentException when a memory is in the index already
   */
  public void append(IndexBatch batch) {
    lock.writeLock().lock();
    try {
      int first = slots;
      int count = batch.size;
      ensureCapacity(first + count);
      System.arraycopy(batch.vectors, 0, vectors, first * dimension, count * dimension);
      System.arraycopy(batch.seqs, 0, seqs, first, count);
      System.arraycopy(batch.ids, 0, ids, first, count);
      System.arraycopy(batch.types, 0, types, first, count);
      System.arraycopy(batch.tiers, 0, tiers, first, count);
      System.arraycopy(batch.importance, 0, importance, first, count);
      System.arraycopy(batch.createdAt, 0, createdAt, first, count);
      System.arraycopy(batch.expiresAt, 0, expiresAt, first, count);
      System.arraycopy(batch.validFrom, 0, validFrom, first, count);
      System.arraycopy(batch.validTo, 0, validTo, first, count);
      System.arraycopy(batch.lastAccessedAt, 0, lastAccessedAt, first, count);
      System.arraycopy(batch.pinned, 0, pinned, first, count);
      Arrays.fill(used, first, first + count, true);
      for (int row = 0; row < count; row++) {
        int slot = first + row;
        if (slotBySeq.get(seqs[slot]) >= 0) {
          throw new IllegalArgumentException("memory " + seqs[slot] + " is in the index already");
        }
        slotBySeq.put(seqs[slot], slot);
        slotById.put(ids[slot], slot);
        earliestExpiry = Math.min(earliestExpiry, expiresAt[slot]);
        if (validTo[slot] != Long.MAX_VALUE) {
          supersededSlots++;
        }
        codeStrings(batch, row, slot);
        post(slot);
      }
      for (int index = 0; index < dimension; index++) {
        loadSum[index] += batch.sum[index];
      }
      slots += count;
      live += count;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Ends a load: computes every sign code around the mean of the appended vectors. */
  public void finishLoad() {
    lock.writeLock().lock();
    try {
      // Loads are sized for every memory that may have an embedding; when far fewer had one, the
      // arrays would hold the difference for as long as the index lives.
      if (used.length > 2 * slots + 1024) {
        resize(slots + 1024);
      }
      signCodes.centre(loadSum, live);
      encodeAll();
      liveAtCentring = live;
      loadSum = null;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Empties the index into new arrays and maps sized for {@code capacity} memories. */
  private void reset(int capacity) {
    int mapCapacity = (int) (capacity / 0.75f) + 1;
    slotBySeq = new LongIntMap(capacity);
    slotById = new HashMap<>(mapCapacity);
    postings.clear();
    freeSlots.clear();
    slots = 0;
    live = 0;
    liveAtCentring = 0;
    earliestExpiry = Long.MAX_VALUE;
    supersededSlots = 0;
    signCodes.reset();
    used = new boolean[0];
    seqs = new long[0];
    ids = new String[0];
    vectors = new float[0];
    types = new byte[0];
    tiers = new byte[0];
    importance = new float[0];
    createdAt = new long[0];
    expiresAt = new long[0];
    validFrom = new long[0];
    validTo = new long[0];
    lastAccessedAt = new long[0];
    pinned = new boolean[0];
    sessions = new int[0];
    users = new int[0];
    agents = new int[0];
    parents = new int[0];
    tags = new int[0][];
    ensureCapacity(capacity);
  }

  public void removeAll(List<Long> removedSeqs) {
    lock.writeLock().lock();
    try {
      for (long seq : removedSeqs) {
        int slot = slotBySeq.get(seq);
        if (slot >= 0) {
          slotBySeq.remove(seq);
          slotById.remove(ids[slot]);
          unpost(slot);
          if (validTo[slot] != Long.MAX_VALUE) {
            supersededSlots--;
          }
          used[slot] = false;
          ids[slot] = null;
          tags[slot] = null;
          freeSlots.add(slot);
          live--;
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Sets the last access time of the memories the index holds among {@code memorySeqs} (others are
   * ignored): all that an access changes of what the index keeps.
   */
  public void accessed(long[] memorySeqs, long[] lastAccessedAt) {
    lock.writeLock().lock();
    try {
      for (int position = 0; position < memorySeqs.length; position++) {
        int slot = slotBySeq.get(memorySeqs[position]);
        if (slot >= 0) {
          this.lastAccessedAt[slot] = lastAccessedAt[position];
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void upsert(IndexBatch batch, int row, boolean encode) {
    long seq = batch.seqs[row];
    int slot = slotBySeq.get(seq);
    if (slot < 0) {
      slot = freeSlots.isEmpty() ? slots++ : freeSlots.remove(freeSlots.size() - 1);
      ensureCapacity(slots);
      slotBySeq.put(seq, slot);
      live++;
    } else {
      slotById.remove(ids[slot]);
      unpost(slot);
      if (validTo[slot] != Long.MAX_VALUE) {
        supersededSlots--;
      }
    }
    slotById.put(batch.ids[row], slot);
    used[slot] = true;
    seqs[slot] = seq;
    ids[slot] = batch.ids[row];
    System.arraycopy(batch.vectors, row * dimension, vectors, slot * dimension, dimension);
    if (encode) {
      signCodes.encode(vectors, slot);
    }
    types[slot] = batch.types[row];
    tiers[slot] = batch.tiers[row];
    importance[slot] = batch.importance[row];
    createdAt[slot] = batch.createdAt[row];
    expiresAt[slot] = batch.expiresAt[row];
    earliestExpiry = Math.min(earliestExpiry, expiresAt[slot]);
    validFrom[slot] = batch.validFrom[row];
    validTo[slot] = batch.validTo[row];
    if (validTo[slot] != Long.MAX_VALUE) {
      supersededSlots++;
    }
    lastAccessedAt[slot] = batch.lastAccessedAt[row];
    pinned[slot] = batch.pinned[row];
    codeStrings(batch, row, slot);
    post(slot);
  }

  /** Sets the slot's codes of the row's strings. */
  private void codeStrings(IndexBatch batch, int row, int slot) {
    sessions[slot] = postings.code(batch.sessions[row]);
    users[slot] = postings.code(batch.users[row]);
    agents[slot] = postings.code(batch.agents[row]);
    parents[slot] = postings.code(batch.parents[row]);
    List<String> rowTags = batch.tags.get(row);
    int[] tagCodes = new int[rowTags.size()];
    for (int index = 0; index < tagCodes.length; index++) {
      tagCodes[index] = postings.code(rowTags.get(index));
    }
    tags[slot] = tagCodes;
  }

  private void post(int slot) {
    postings.post(Column.SESSION, sessions[slot], slot);
    postings.post(Column.USER, users[slot], slot);
    postings.post(Column.AGENT, agents[slot], slot);
    postings.post(Column.PARENT, parents[slot], slot);
    for (int tag : tags[slot]) {
      postings.post(Column.TAG, tag, slot);
    }
  }

  private void unpost(int slot) {
    postings.unpost(Column.SESSION, sessions[slot], slot);
    postings.unpost(Column.USER, users[slot], slot);
    postings.unpost(Column.AGENT, agents[slot], slot);
    postings.unpost(Column.PARENT, parents[slot], slot);
    for (int tag : tags[slot]) {
      postings.unpost(Column.TAG, tag, slot);
    }
  }

  /** Computes the sign code of every used slot, on two threads for many slots. */
  private void encodeAll() {
    int end = slots;
    int middle = end / 2;
    Future<?> upper =
        end >= PARALLEL_ENCODE
            ? helper.submit(() -> signCodes.encodeRange(vectors, used, middle, end))
            : null;
    signCodes.encodeRange(vectors, used, 0, upper == null ? end : middle);
    if (upper != null) {
      await(upper);
    }
  }

  private void recentre() {
    double[] sum = new double[dimension];
    long earliest = Long.MAX_VALUE;
    for (int slot = 0; slot < slots; slot++) {
      if (used[slot]) {
        int base = slot * dimension;
        for (int index = 0; index < dimension; index++) {
          sum[index] += vectors[base + index];
        }
        earliest = Math.min(earliest, expiresAt[slot]);
      }
    }
    signCodes.centre(sum, live);
    encodeAll();
    liveAtCentring = live;
    earliestExpiry = earliest;
  }

  private void ensureCapacity(int needed) {
    if (needed > used.length) {
      resize(Math.max(needed, Math.max(1024, used.length + (used.length >> 1))));
    }
  }

  /** Copies every per-slot array into one of the given capacity (at least {@link #slots}). */
  private void resize(int capacity) {
    used = Arrays.copyOf(used, capacity);
    seqs = Arrays.copyOf(seqs, capacity);
    ids = Arrays.copyOf(ids, capacity);
    vectors = Arrays.copyOf(vectors, capacity * dimension);
    signCodes.resize(capacity);
    types = Arrays.copyOf(types, capacity);
    tiers = Arrays.copyOf(tiers, capacity);
    importance = Arrays.copyOf(importance, capacity);
    createdAt = Arrays.copyOf(createdAt, capacity);
    expiresAt = Arrays.copyOf(expiresAt, capacity);
    validFrom = Arrays.copyOf(validFrom, capacity);
    validTo = Arrays.copyOf(validTo, capacity);
    lastAccessedAt = Arrays.copyOf(lastAccessedAt, capacity);
    pinned = Arrays.copyOf(pinned, capacity);
    sessions = Arrays.copyOf(sessions, capacity);
    users = Arrays.copyOf(users, capacity);
    agents = Arrays.copyOf(agents, capacity);
    parents = Arrays.copyOf(parents, capacity);
    tags = Arrays.copyOf(tags, capacity);
  }

  /** Returns the slot that holds the memory with this id, -1 when none does. */
  int slotOf(String id) {
    Integer slot = slotById.get(id);
    return slot == null ? -1 : slot;
  }

  /**
   * Returns the {@code k} allowed memories most similar to the query, best first, with exact cosine
   * similarities.
   *
   * @param query the query vector (need not be normalised)
   * @param filter which memories may be returned
   * @param now the time that decides expiry
   */
  public List<Scored> search(float[] query, MemoryFilter filter, long now, int k) {
    if (filter.groupId() != null || filter.metadata() != null) {
      throw new IllegalArgumentException(
          "resolve the group and the metadata condition to ids before searching the index");
    }
    float[] normalised = normalise(query);
    lock.readLock().lock();
    try {
      long[] allowed = SlotFilter.allowedSlots(filter, now, this);
      int allowedCount = allowed == null ? live : cardinality(allowed, 0, allowed.length);
      if (allowedCount == 0 || k <= 0) {
        return List.of();
      }
      if (allowedCount <= EXACT_LIMIT) {
        int[] candidates = slotsOf(allowed, allowedCount);
        return scored(score(normalised, candidates, 0, candidates.length, k));
      }
      int coarse = Math.max(COARSE_MIN, COARSE_PER_HIT * k);
      int fine = Math.max(FINE_MIN, FINE_PER_HIT * k);
      long[] querySigns = signCodes.queryCode(normalised);
      if (allowedCount < PARALLEL_SCAN) {
        return scored(
            searchRange(normalised, querySigns, allowed, 0, slots, allowedCount, coarse, fine, k));
      }
      // Each thread searches half of the slots through all three steps with a share of the
      // budgets that matches its share of the allowed slots; the two best lists merge.
      int middle = (slots / 2) & ~63; // whole words of the allowed bit set on each side
      int lowerCount = allowed == null ? middle : cardinality(allowed, 0, middle >>> 6);
      int upperCount = allowedCount - lowerCount;
      Future<TopK> upper =
          helper.submit(
              () ->
                  searchRange(
                      normalised,
                      querySigns,
                      allowed,
                      middle,
                      slots,
                      upperCount,
                      share(coarse, upperCount, allowedCount),
                      share(fine, upperCount, allowedCount),
                      k));
      TopK best = new TopK(k);
      best.addAll(
          searchRange(
              normalised,
              querySigns,
              allowed,
              0,
              middle,
              lowerCount,
              share(coarse, lowerCount, allowedCount),
              share(fine, lowerCount, allowedCount),
              k));
      best.addAll(await(upper));
      return scored(best);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<Scored> allowed(
      long[] candidates, MemoryFilter filter, long now, List<Long> unknown) {
    if (filter.groupId() != null || filter.metadata() != null) {
      throw new IllegalArgumentException(
          "resolve the group and the metadata condition to ids before asking the index");
    }
    lock.readLock().lock();
    try {
      SlotFilter slotFilter = SlotFilter.of(filter, now, this);
      boolean none = slotFilter != null && slotFilter.matchesNothing();
      List<Scored> result = new ArrayList<>();
      for (long seq : candidates) {
        int slot = slotBySeq.get(seq);
        if (slot < 0) {
          unknown.add(seq);
        } else if (!none
            && (slotFilter == null || slotFilter.test(slot))
            && (filter.ids().isEmpty() || filter.ids().contains(ids[slot]))) {
          result.add(scored(slot, 0));
        }
      }
      return result;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Returns the query's cosine similarity to each of the memories, NaN for one the index does not
   * hold.
   */
  public double[] similarities(float[] query, long[] memorySeqs) {
    float[] normalised = normalise(query);
    double[] similarities = new double[memorySeqs.length];
    lock.readLock().lock();
    try {
      for (int position = 0; position < memorySeqs.length; position++) {
        int slot = slotBySeq.get(memorySeqs[position]);
        similarities[position] = slot < 0 ? Double.NaN : dot(normalised, slot * dimension);
      }
      return similarities;
    } finally {
      lock.readLock().unlock();
    }
  }

  private float[] normalise(float[] query) {
    if (query.length != dimension) {
      throw new IllegalArgumentException(
          "query has " + query.length + " dimensions, the index " + dimension);
    }
    double norm = 0;
    for (float value : query) {
      norm += value * value;
    }
    float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
    float[] normalised = new float[dimension];
    for (int index = 0; index < dimension; index++) {
      normalised[index] = query[index] * scale;
    }
    return normalised;
  }

  private static int cardinality(long[] bits, int fromWord, int toWord) {
    int count = 0;
    for (int word = fromWord; word < toWord; word++) {
      count += Long.bitCount(bits[word]);
    }
    return count;
  }

  /** A part of a budget in proportion to a part of the allowed slots, rounded up. */
  private static int share(int budget, int part, int whole) {
    return (int) Math.min(budget, ((long) budget * part + whole - 1) / whole);
  }

  /**
   * Searches the allowed slots of [from, to): the {@code coarse} nearest by Hamming distance, of
   * those the {@code fine} best by the sign-code estimate, of those the k best by exact score.
   */
  private TopK searchRange(
      float[] query,
      long[] querySigns,
      long[] allowed,
      int from,
      int to,
      int allowedInRange,
      int coarse,
      int fine,
      int k) {
    int[] candidates =
        signCodes.hammingCandidates(querySigns, allowed, used, from, to, allowedInRange, coarse);
    if (candidates.length > fine) {
      candidates = signCodes.estimatedBest(query, candidates, fine);
    }
    return score(query, candidates, 0, candidates.length, k);
  }

  private int[] slotsOf(long[] allowed, int count) {
    int[] result = new int[count];
    int found = 0;
    for (int slot = 0; slot < slots && found < count; slot++) {
      if (allowed == null ? used[slot] : (allowed[slot >>> 6] & (1L << slot)) != 0) {
        result[found++] = slot;
      }
    }
    return found == count ? result : Arrays.copyOf(result, found);
  }

  /** The sign-code estimates for the candidates (see {@link SignCodes#estimates}); for tests. */
  float[] estimates(float[] query, int[] candidates) {
    return signCodes.estimates(query, candidates);
  }

  /** One slot's estimate computed bit by bit (see {@link SignCodes#estimateBitByBit}). */
  float estimateBitByBit(float[] query, int slot) {
    return signCodes.estimateBitByBit(query, slot);
  }

  private List<Scored> scored(TopK best) {
    List<Scored> result = new ArrayList<>(best.filled);
    for (int index = 0; index < best.filled; index++) {
      result.add(scored(best.slots[index], best.scores[index]));
    }
    return result;
  }

  private Scored scored(int slot, double similarity) {
    return new Scored(
        seqs[slot],
        ids[slot],
        similarity,
        importance[slot],
        createdAt[slot],
        lastAccessedAt[slot],
        MemoryType.values()[types[slot]],
        MemoryTier.values()[tiers[slot]],
        pinned[slot]);
  }

  private TopK score(float[] query, int[] candidates, int from, int to, int k) {
    TopK best = new TopK(Math.min(k, to - from));
    for (int index = from; index < to; index++) {
      int slot = candidates[index];
      best.add(slot, dot(query, slot * dimension));
    }
    return best;
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during a vector search", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("vector search failed", e.getCause());
    }
  }

  /** A dot product with four accumulators, which the JIT keeps in registers. */
  private float dot(float[] query, int base) {
    float sum0 = 0;
    float sum1 = 0;
    float sum2 = 0;
    float sum3 = 0;
    int index = 0;
    float[] data = vectors;
    for (; index + 3 < dimension; index += 4) {
      sum0 += query[index] * data[base + index];
      sum1 += query[index + 1] * data[base + index + 1];
      sum2 += query[index + 2] * data[base + index + 2];
      sum3 += query[index + 3] * data[base + index + 3];
    }
    for (; index < dimension; index++) {
      sum0 += query[index] * data[base + index];
    }
    return (sum0 + sum1) + (sum2 + sum3);
  }
}
