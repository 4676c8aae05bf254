package dev.memstore.internal.search;

import java.util.Arrays;

/**
 * The sign-bit codes of a {@link VectorIndex}'s vectors and the two approximate steps of a search
 * that read them.
 *
 * <p>Each slot's code holds one bit per dimension, set where the vector lies above the collection's
 * mean (6 longs for 384 dimensions; centring makes the bits carry information), with one scale
 * factor. The first step keeps the slots nearest the query's own code by Hamming distance; the
 * second ranks those by an estimate of the dot product from the float query and the code. Not
 * thread-safe; the index guards it.
 */
final class SignCodes {
  private final int dimension;
  private final int words;
  private float[] center;
  private long[] signs = new long[0];

  /**
   * Per slot, |u|^2 / sum |u_i| for u = vector - center: scales the sign code's estimate of the dot
   * product with u (see {@link #estimatedBest}).
   */
  private float[] factors = new float[0];

  SignCodes(int dimension) {
    this.dimension = dimension;
    this.words = (dimension + 63) / 64;
    this.center = new float[dimension];
  }

  /** Forgets the codes and the mean. */
  void reset() {
    center = new float[dimension];
    signs = new long[0];
    factors = new float[0];
  }

  /** Copies the codes into arrays for {@code capacity} slots. */
  void resize(int capacity) {
    signs = Arrays.copyOf(signs, capacity * words);
    factors = Arrays.copyOf(factors, capacity);
  }

  /** Sets the mean that codes are taken around to {@code sum / count} (zero for no vectors). */
  void centre(double[] sum, int count) {
    for (int index = 0; index < dimension; index++) {
      center[index] = count == 0 ? 0 : (float) (sum[index] / count);
    }
  }

  /**
   * Computes the slot's sign code and scale factor in one pass over its vector (two accumulators
   * each, which the JIT keeps in registers side by side).
   */
  void encode(float[] vectors, int slot) {
    int base = slot * dimension;
    int signBase = slot * words;
    float squares0 = 0;
    float squares1 = 0;
    float absolutes0 = 0;
    float absolutes1 = 0;
    for (int word = 0; word < words; word++) {
      long bits = 0;
      int from = word * 64;
      int to = Math.min(dimension, from + 64);
      int index = from;
      for (; index + 1 < to; index += 2) {
        float centred0 = vectors[base + index] - center[index];
        float centred1 = vectors[base + index + 1] - center[index + 1];
        bits |= (centred0 > 0 ? 1L : 0L) << (index - from);
        bits |= (centred1 > 0 ? 1L : 0L) << (index + 1 - from);
        squares0 += centred0 * centred0;
        squares1 += centred1 * centred1;
        absolutes0 += Math.abs(centred0);
        absolutes1 += Math.abs(centred1);
      }
      if (index < to) {
        float centred = vectors[base + index] - center[index];
        bits |= (centred > 0 ? 1L : 0L) << (index - from);
        squares0 += centred * centred;
        absolutes0 += Math.abs(centred);
      }
      signs[signBase + word] = bits;
    }
    float absolutes = absolutes0 + absolutes1;
    factors[slot] = absolutes == 0 ? 0 : (squares0 + squares1) / absolutes;
  }

  /** Encodes the used slots of [from, to). */
  void encodeRange(float[] vectors, boolean[] used, int from, int to) {
    for (int slot = from; slot < to; slot++) {
      if (used[slot]) {
        encode(vectors, slot);
      }
    }
  }

  /** Returns the sign code of a normalised query. */
  long[] queryCode(float[] query) {
    long[] code = new long[words];
    for (int word = 0; word < words; word++) {
      long bits = 0;
      int from = word * 64;
      int to = Math.min(dimension, from + 64);
      for (int index = from; index < to; index++) {
        if (query[index] > center[index]) {
          bits |= 1L << (index - from);
        }
      }
      code[word] = bits;
    }
    return code;
  }

  /**
   * Returns the {@code wanted} allowed slots of [from, to) nearest the query by Hamming distance
   * between sign codes (ties go to lower slots), in slot order. A sample of every 16th slot sets a
   * distance threshold expected to let about twice as many through; the scan then only compares
   * each distance with it and keeps the few that pass, tightening the threshold when more pass than
   * needed, instead of storing and sorting 100k distances.
   *
   * @param allowed the allowed slots as a bit set, or null for every used slot
   */
  int[] hammingCandidates(
      long[] querySigns,
      long[] allowed,
      boolean[] used,
      int from,
      int to,
      int allowedInRange,
      int wanted) {
    int threshold =
        allowedInRange <= 2 * wanted
            ? dimension
            : sampledThreshold(querySigns, allowed, used, from, to, 2 * wanted);
    Nearest nearest = nearest(querySigns, allowed, used, from, to, threshold, wanted);
    if (nearest.count < wanted && threshold < dimension) {
      // The sample promised more than passed (rare): scan again without a threshold.
      nearest = nearest(querySigns, allowed, used, from, to, dimension, wanted);
    }
    return nearest.best(wanted, dimension);
  }

  /**
   * Returns the Hamming distance below which a sample of the allowed slots suggests that about
   * {@code expected} of them lie, or the dimension when the sample is too small to tell.
   */
  private int sampledThreshold(
      long[] querySigns, long[] allowed, boolean[] used, int from, int to, int expected) {
    final int stride = 16;
    int[] histogram = new int[dimension + 1];
    int sampled = 0;
    if (allowed == null) {
      for (int slot = from; slot < to; slot += stride) {
        if (used[slot]) {
          histogram[hamming(querySigns, slot)]++;
          sampled++;
        }
      }
    } else {
      for (int word = from >>> 6; word < (to + 63) >>> 6; word += stride) {
        long bits = allowed[word];
        while (bits != 0) {
          int slot = (word << 6) + Long.numberOfTrailingZeros(bits);
          bits &= bits - 1;
          histogram[hamming(querySigns, slot)]++;
          sampled++;
        }
      }
    }
    int needed = expected / stride;
    if (sampled < 4 * needed || needed < 16) {
      return dimension;
    }
    int threshold = 0;
    for (int seen = histogram[0]; seen < needed && threshold < dimension; ) {
      seen += histogram[++threshold];
    }
    return threshold;
  }

  /**
   * Collects the allowed slots of [from, to) within the distance limit, keeping at most the {@code
   * wanted} nearest of them.
   */
  private Nearest nearest(
      long[] querySigns, long[] allowed, boolean[] used, int from, int to, int limit, int wanted) {
    Nearest nearest = new Nearest(2 * wanted + 64, limit);
    if (allowed == null && words == 6) {
      long query0 = querySigns[0];
      long query1 = querySigns[1];
      long query2 = querySigns[2];
      long query3 = querySigns[3];
      long query4 = querySigns[4];
      long query5 = querySigns[5];
      long[] codes = signs;
      // Indexes computed from the slot, and the limit in a local that the JIT keeps in a register:
      // a tenth to a third faster than a second induction variable and a field read per slot.
      int bound = nearest.limit;
      for (int slot = from; slot < to; slot++) {
        int base = slot * 6;
        int distance =
            Long.bitCount(codes[base] ^ query0)
                + Long.bitCount(codes[base + 1] ^ query1)
                + Long.bitCount(codes[base + 2] ^ query2)
                + Long.bitCount(codes[base + 3] ^ query3)
                + Long.bitCount(codes[base + 4] ^ query4)
                + Long.bitCount(codes[base + 5] ^ query5);
        if (distance <= bound && used[slot]) {
          nearest.add(slot, distance, wanted, dimension);
          bound = nearest.limit;
        }
      }
    } else if (allowed == null) {
      for (int slot = from; slot < to; slot++) {
        int distance = hamming(querySigns, slot);
        if (distance <= nearest.limit && used[slot]) {
          nearest.add(slot, distance, wanted, dimension);
        }
      }
    } else {
      for (int word = from >>> 6; word < (to + 63) >>> 6; word++) {
        long bits = allowed[word];
        while (bits != 0) {
          int slot = (word << 6) + Long.numberOfTrailingZeros(bits);
          bits &= bits - 1;
          int distance = hamming(querySigns, slot);
          if (distance <= nearest.limit) {
            nearest.add(slot, distance, wanted, dimension);
          }
        }
      }
    }
    return nearest;
  }

  private int hamming(long[] querySigns, int slot) {
    int base = slot * words;
    int distance = 0;
    for (int word = 0; word < words; word++) {
      distance += Long.bitCount(signs[base + word] ^ querySigns[word]);
    }
    return distance;
  }

  /** Slots within a distance limit, in slot order; the limit tightens as the buffer fills. */
  private static final class Nearest {
    final int[] slots;
    final short[] distances;
    int count;
    int limit;

    Nearest(int capacity, int limit) {
      this.slots = new int[capacity];
      this.distances = new short[capacity];
      this.limit = limit;
    }

    void add(int slot, int distance, int wanted, int dimension) {
      if (count == slots.length) {
        keepNearest(wanted, dimension);
        if (distance > limit) {
          return;
        }
      }
      slots[count] = slot;
      distances[count] = (short) distance;
      count++;
    }

    /**
     * Keeps the {@code wanted} nearest (earlier slots first among equals) and lowers the limit so
     * that only strictly nearer slots are added from now on.
     */
    private void keepNearest(int wanted, int dimension) {
      int[] histogram = new int[dimension + 1];
      for (int index = 0; index < count; index++) {
        histogram[distances[index]]++;
      }
      int cut = 0;
      int taken = 0;
      while (taken + histogram[cut] < wanted) {
        taken += histogram[cut++];
      }
      int atCut = wanted - taken;
      int kept = 0;
      for (int index = 0; index < count; index++) {
        int distance = distances[index];
        if (distance < cut || (distance == cut && atCut-- > 0)) {
          slots[kept] = slots[index];
          distances[kept] = distances[index];
          kept++;
        }
      }
      count = kept;
      limit = cut - 1;
    }

    /** The {@code wanted} nearest, in slot order. */
    int[] best(int wanted, int dimension) {
      if (count > wanted) {
        keepNearest(wanted, dimension);
      }
      return Arrays.copyOf(slots, count);
    }
  }

  /**
   * The sign-code estimates (see {@link #estimatedBest}) for the candidates. Per query, a table
   * holds for every byte of a code the sum of the query values its set bits select.
   */
  float[] estimates(float[] query, int[] candidates) {
    int bytes = words * 8;
    float[] table = new float[bytes * 256];
    float total = 0;
    for (int position = 0; position < bytes; position++) {
      int offset = position * 256;
      for (int value = 1; value < 256; value++) {
        int lowest = Integer.numberOfTrailingZeros(value);
        int index = position * 8 + lowest;
        table[offset + value] =
            table[offset + (value & (value - 1))] + (index < dimension ? query[index] : 0);
      }
    }
    for (float value : query) {
      total += value;
    }
    float[] estimates = new float[candidates.length];
    for (int candidate = 0; candidate < candidates.length; candidate++) {
      int slot = candidates[candidate];
      int base = slot * words;
      // Four sums side by side instead of one chain of 48 dependent additions.
      float selected0 = 0;
      float selected1 = 0;
      float selected2 = 0;
      float selected3 = 0;
      for (int word = 0, offset = 0; word < words; word++, offset += 8 * 256) {
        long code = signs[base + word];
        selected0 += table[offset + (int) (code & 0xFF)];
        selected1 += table[offset + 256 + (int) ((code >>> 8) & 0xFF)];
        selected2 += table[offset + 512 + (int) ((code >>> 16) & 0xFF)];
        selected3 += table[offset + 768 + (int) ((code >>> 24) & 0xFF)];
        selected0 += table[offset + 1024 + (int) ((code >>> 32) & 0xFF)];
        selected1 += table[offset + 1280 + (int) ((code >>> 40) & 0xFF)];
        selected2 += table[offset + 1536 + (int) ((code >>> 48) & 0xFF)];
        selected3 += table[offset + 1792 + (int) (code >>> 56)];
      }
      float selected = (selected0 + selected1) + (selected2 + selected3);
      estimates[candidate] = factors[slot] * (2 * selected - total);
    }
    return estimates;
  }

  /**
   * The estimate of one slot computed bit by bit, as {@link #estimates} computes it through its
   * table; for tests.
   */
  float estimateBitByBit(float[] query, int slot) {
    float sum = 0;
    for (int index = 0; index < dimension; index++) {
      long word = signs[slot * words + index / 64];
      sum += ((word >>> (index % 64)) & 1) != 0 ? query[index] : -query[index];
    }
    return factors[slot] * sum;
  }

  /**
   * Returns the {@code wanted} candidates with the best estimated similarity, in slot order. The
   * estimate of the query's dot product with u = vector - center is factor * (q . s), s being the
   * vector's sign code as +1/-1 (the estimator of RaBitQ, Gao and Long 2024); the query side stays
   * in floats, which ranks far better than the Hamming distance between two sign codes (measured on
   * MiniLM vectors: recall@10 1.00 against 0.98 from the best 400).
   */
  int[] estimatedBest(float[] query, int[] candidates, int wanted) {
    float[] estimates = estimates(query, candidates);
    float threshold = kthLargest(estimates.clone(), wanted);
    int above = 0;
    for (float estimate : estimates) {
      if (estimate > threshold) {
        above++;
      }
    }
    int atThreshold = wanted - above;
    int[] best = new int[wanted];
    int count = 0;
    for (int candidate = 0; candidate < candidates.length && count < wanted; candidate++) {
      float estimate = estimates[candidate];
      if (estimate > threshold || (estimate == threshold && atThreshold-- > 0)) {
        best[count++] = candidates[candidate];
      }
    }
    return count == wanted ? best : Arrays.copyOf(best, count);
  }

  /** Returns the k-th largest value (1-based) of the array, reordering it (quickselect). */
  private static float kthLargest(float[] values, int k) {
    int low = 0;
    int high = values.length - 1;
    int target = k - 1;
    while (low < high) {
      float pivot = values[(low + high) >>> 1];
      int left = low;
      int right = high;
      while (left <= right) {
        while (values[left] > pivot) {
          left++;
        }
        while (values[right] < pivot) {
          right--;
        }
        if (left <= right) {
          float swap = values[left];
          values[left] = values[right];
          values[right] = swap;
          left++;
          right--;
        }
      }
      if (target <= right) {
        high = right;
      } else if (target >= left) {
        low = left;
      } else {
        return values[target];
      }
    }
    return values[target];
  }
}
