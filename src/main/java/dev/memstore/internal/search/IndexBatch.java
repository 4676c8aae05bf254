package dev.memstore.internal.search;

import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Memories for {@link VectorIndex#upsertAll(IndexBatch)} and {@link VectorIndex#append} (the load),
 * held column by column: a reader of the file fills a batch without keeping an object per memory
 * besides its strings, and each vector is normalised as it is added, on the reader's thread. Not
 * thread-safe.
 */
public final class IndexBatch {
  /** What the index keeps of one memory besides its vector: what filters and ranking read. */
  public record Row(
      long seq,
      String id,
      MemoryType type,
      MemoryTier tier,
      double importance,
      long createdAt,
      long expiresAt,
      long lastAccessedAt,
      String sessionId,
      String userId,
      String agentId,
      String parentId,
      List<String> tags,
      boolean pinned,
      long validFrom,
      long validTo) {

    /** A row of a memory without a fact key: valid from its creation, and current. */
    public Row(
        long seq,
        String id,
        MemoryType type,
        MemoryTier tier,
        double importance,
        long createdAt,
        long expiresAt,
        long lastAccessedAt,
        String sessionId,
        String userId,
        String agentId,
        String parentId,
        List<String> tags,
        boolean pinned) {
      this(
          seq,
          id,
          type,
          tier,
          importance,
          createdAt,
          expiresAt,
          lastAccessedAt,
          sessionId,
          userId,
          agentId,
          parentId,
          tags,
          pinned,
          createdAt,
          Long.MAX_VALUE);
    }
  }

  private final int dimension;

  /** The sum of the normalised vectors added since the last {@link #clear}, for their mean. */
  final double[] sum;

  int size;
  long[] seqs;
  String[] ids;
  float[] vectors;
  byte[] types;
  byte[] tiers;
  float[] importance;
  long[] createdAt;
  long[] expiresAt;

  /** When each memory became valid: a fact's valid_from, else its creation time. */
  long[] validFrom;

  /** When each memory stopped being valid: a fact's valid_to, else (current) Long.MAX_VALUE. */
  long[] validTo;

  long[] lastAccessedAt;
  boolean[] pinned;
  String[] sessions;
  String[] users;
  String[] agents;
  String[] parents;
  List<List<String>> tags;

  /** An empty batch with room for {@code capacity} memories (it grows when needed). */
  public IndexBatch(int dimension, int capacity) {
    this.dimension = dimension;
    this.sum = new double[dimension];
    resize(Math.max(1, capacity));
  }

  public int size() {
    return size;
  }

  /** Empties the batch for reuse. */
  public void clear() {
    Arrays.fill(ids, 0, size, null);
    Arrays.fill(sessions, 0, size, null);
    Arrays.fill(users, 0, size, null);
    Arrays.fill(agents, 0, size, null);
    Arrays.fill(parents, 0, size, null);
    tags.clear();
    Arrays.fill(sum, 0);
    size = 0;
  }

  /** Returns the row number of the memory added at this position. */
  public long seq(int position) {
    return seqs[position];
  }

  /**
   * Adds a memory whose vector is little-endian float32 bytes, as the file stores it.
   *
   * @throws IllegalArgumentException when the vector has another dimension than the index
   */
  public void add(Row row, byte[] vector) {
    if (vector.length != dimension * Float.BYTES) {
      throw new IllegalArgumentException(
          "memory "
              + row.id()
              + " has a vector of "
              + vector.length
              + " bytes, not "
              + dimension
              + " floats");
    }
    int position = next();
    ByteBuffer.wrap(vector)
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(vectors, position * dimension, dimension);
    fill(position, row);
  }

  /**
   * Adds a memory whose vector is floats.
   *
   * @throws IllegalArgumentException when the vector has another dimension than the index
   */
  public void add(Row row, float[] vector) {
    if (vector.length != dimension) {
      throw new IllegalArgumentException(
          "memory " + row.id() + " has a vector of " + vector.length + " floats, not " + dimension);
    }
    int position = next();
    System.arraycopy(vector, 0, vectors, position * dimension, dimension);
    fill(position, row);
  }

  private int next() {
    if (size == seqs.length) {
      resize(2 * size);
    }
    return size++;
  }

  /** Normalises the vector copied to this position and stores the row's columns next to it. */
  private void fill(int position, Row row) {
    int base = position * dimension;
    normalise(vectors, base, dimension);
    for (int index = 0; index < dimension; index++) {
      sum[index] += vectors[base + index];
    }
    seqs[position] = row.seq();
    ids[position] = row.id();
    types[position] = (byte) row.type().ordinal();
    tiers[position] = (byte) row.tier().ordinal();
    importance[position] = (float) row.importance();
    createdAt[position] = row.createdAt();
    expiresAt[position] = row.expiresAt();
    validFrom[position] = row.validFrom();
    validTo[position] = row.validTo();
    lastAccessedAt[position] = row.lastAccessedAt();
    pinned[position] = row.pinned();
    sessions[position] = row.sessionId();
    users[position] = row.userId();
    agents[position] = row.agentId();
    parents[position] = row.parentId();
    tags.add(row.tags());
  }

  private void resize(int capacity) {
    seqs = seqs == null ? new long[capacity] : Arrays.copyOf(seqs, capacity);
    ids = ids == null ? new String[capacity] : Arrays.copyOf(ids, capacity);
    vectors =
        vectors == null
            ? new float[capacity * dimension]
            : Arrays.copyOf(vectors, capacity * dimension);
    types = types == null ? new byte[capacity] : Arrays.copyOf(types, capacity);
    tiers = tiers == null ? new byte[capacity] : Arrays.copyOf(tiers, capacity);
    importance = importance == null ? new float[capacity] : Arrays.copyOf(importance, capacity);
    createdAt = createdAt == null ? new long[capacity] : Arrays.copyOf(createdAt, capacity);
    expiresAt = expiresAt == null ? new long[capacity] : Arrays.copyOf(expiresAt, capacity);
    validFrom = validFrom == null ? new long[capacity] : Arrays.copyOf(validFrom, capacity);
    validTo = validTo == null ? new long[capacity] : Arrays.copyOf(validTo, capacity);
    lastAccessedAt =
        lastAccessedAt == null ? new long[capacity] : Arrays.copyOf(lastAccessedAt, capacity);
    pinned = pinned == null ? new boolean[capacity] : Arrays.copyOf(pinned, capacity);
    sessions = sessions == null ? new String[capacity] : Arrays.copyOf(sessions, capacity);
    users = users == null ? new String[capacity] : Arrays.copyOf(users, capacity);
    agents = agents == null ? new String[capacity] : Arrays.copyOf(agents, capacity);
    parents = parents == null ? new String[capacity] : Arrays.copyOf(parents, capacity);
    if (tags == null) {
      tags = new ArrayList<>(capacity);
    }
  }

  /** Scales {@code dimension} values from {@code base} to unit length (all zero stays zero). */
  private static void normalise(float[] values, int base, int dimension) {
    double norm = 0;
    for (int index = base; index < base + dimension; index++) {
      norm += values[index] * values[index];
    }
    float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
    for (int index = base; index < base + dimension; index++) {
      values[index] *= scale;
    }
  }
}
