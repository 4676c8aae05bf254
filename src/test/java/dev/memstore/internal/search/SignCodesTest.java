package dev.memstore.internal.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SignCodes against a plain reference computed here, on seeded random vectors: the codes, the query
 * code, the Hamming candidates (with and without an allowed set, through the sampled threshold and
 * without it) and the estimate ranking. Each step is approximate in what it means for search, but
 * exact in what it computes, so any change to it shows here.
 */
class SignCodesTest {
  private static final class Fixture {
    final int dimension;
    final int slots;
    final float[] vectors;
    final float[] center;
    final boolean[] used;
    final SignCodes codes;

    Fixture(int dimension, int slots, long seed, boolean centred) {
      this.dimension = dimension;
      this.slots = slots;
      Random random = new Random(seed);
      vectors = new float[dimension * slots];
      used = new boolean[slots];
      double[] sum = new double[dimension];
      int count = 0;
      for (int slot = 0; slot < slots; slot++) {
        used[slot] = random.nextInt(10) != 0; // a tenth of the slots are free
        for (int index = 0; index < dimension; index++) {
          // A shared offset per dimension, so that centring matters.
          float value = (float) (random.nextGaussian() + 0.3 * Math.sin(index));
          vectors[slot * dimension + index] = value;
          if (used[slot]) {
            sum[index] += value;
          }
        }
        if (used[slot]) {
          count++;
        }
      }
      center = new float[dimension];
      for (int index = 0; index < dimension; index++) {
        center[index] = centred ? (float) (sum[index] / count) : 0;
      }
      codes = new SignCodes(dimension);
      codes.resize(slots);
      codes.centre(sum, centred ? count : 0);
      codes.encodeRange(vectors, used, 0, slots);
    }

    boolean bit(int slot, int index) {
      return vectors[slot * dimension + index] - center[index] > 0;
    }

    float factor(int slot) {
      double squares = 0;
      double absolutes = 0;
      for (int index = 0; index < dimension; index++) {
        double centred = vectors[slot * dimension + index] - center[index];
        squares += centred * centred;
        absolutes += Math.abs(centred);
      }
      return absolutes == 0 ? 0 : (float) (squares / absolutes);
    }

    float[] query(long seed) {
      Random random = new Random(seed);
      float[] query = new float[dimension];
      for (int index = 0; index < dimension; index++) {
        query[index] = (float) random.nextGaussian();
      }
      return query;
    }

    int hamming(float[] query, int slot) {
      int distance = 0;
      for (int index = 0; index < dimension; index++) {
        if (bit(slot, index) != (query[index] > center[index])) {
          distance++;
        }
      }
      return distance;
    }
  }

  @ParameterizedTest
  @CsvSource({"384, true", "100, true", "7, false", "65, true"})
  void encode_matchesTheSignsAndFactorOfTheCentredVector(int dimension, boolean centred) {
    Fixture fixture = new Fixture(dimension, 50, 11, centred);
    float[] query = fixture.query(5);
    long[] queryCode = fixture.codes.queryCode(query);
    for (int slot = 0; slot < fixture.slots; slot++) {
      if (!fixture.used[slot]) {
        continue;
      }
      double sum = 0;
      for (int index = 0; index < dimension; index++) {
        sum += fixture.bit(slot, index) ? query[index] : -query[index];
      }
      assertEquals(
          fixture.factor(slot) * sum,
          fixture.codes.estimateBitByBit(query, slot),
          1e-3 * Math.max(1, Math.abs(fixture.factor(slot) * sum)),
          "slot " + slot);
    }
    for (int index = 0; index < dimension; index++) {
      boolean expected = query[index] > fixture.center[index];
      assertEquals(expected, ((queryCode[index / 64] >>> (index % 64)) & 1) != 0, "bit " + index);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "384, 3000, 10, false",
    "384, 3000, 128, false",
    "384, 3000, 200, true",
    "384, 3000, 130, true",
    "100, 3000, 150, false",
    "100, 3000, 150, true",
    "384, 40, 30, false",
    "100, 40, 30, true"
  })
  void hammingCandidates_areTheNearestWithTiesToLowerSlots(
      int dimension, int slots, int wanted, boolean filtered) {
    Fixture fixture = new Fixture(dimension, slots, 23, true);
    for (long seed = 1; seed <= 3; seed++) {
      float[] query = fixture.query(seed);
      long[] allowed = null;
      List<Integer> candidates = new ArrayList<>();
      if (filtered) {
        allowed = new long[(slots + 63) / 64];
        Random random = new Random(seed);
        for (int slot = 0; slot < slots; slot++) {
          if (fixture.used[slot] && random.nextInt(3) != 0) {
            allowed[slot >>> 6] |= 1L << slot;
            candidates.add(slot);
          }
        }
      } else {
        for (int slot = 0; slot < slots; slot++) {
          if (fixture.used[slot]) {
            candidates.add(slot);
          }
        }
      }
      int[] expected =
          candidates.stream()
              .sorted(
                  Comparator.<Integer>comparingInt(slot -> fixture.hamming(query, slot))
                      .thenComparingInt(slot -> slot))
              .limit(wanted)
              .sorted()
              .mapToInt(Integer::intValue)
              .toArray();

      int[] actual =
          fixture.codes.hammingCandidates(
              fixture.codes.queryCode(query),
              allowed,
              fixture.used,
              0,
              slots,
              candidates.size(),
              wanted);

      assertArrayEquals(expected, actual, "query " + seed);
    }
  }

  @ParameterizedTest
  @CsvSource({"384, 1", "384, 10", "384, 57", "100, 10", "100, 199"})
  void estimatedBest_areTheBestEstimatesWithTiesToEarlierCandidates(int dimension, int wanted) {
    Fixture fixture = new Fixture(dimension, 400, 31, true);
    int[] candidates = IntStream.range(0, 400).filter(slot -> fixture.used[slot]).toArray();
    // Repeat candidates so that equal estimates occur and the tie rule is exercised.
    int[] withTies = new int[candidates.length * 2];
    for (int index = 0; index < candidates.length; index++) {
      withTies[2 * index] = candidates[index];
      withTies[2 * index + 1] = candidates[(index * 7) % candidates.length];
    }
    for (long seed = 1; seed <= 3; seed++) {
      float[] query = fixture.query(seed);
      float[] estimates = fixture.codes.estimates(query, withTies);
      for (int index = 0; index < withTies.length; index++) {
        assertEquals(
            fixture.codes.estimateBitByBit(query, withTies[index]),
            estimates[index],
            1e-3f * Math.max(1, Math.abs(estimates[index])));
      }
      int[] expected =
          IntStream.range(0, withTies.length)
              .boxed()
              .sorted(
                  Comparator.<Integer>comparingDouble(index -> -estimates[index])
                      .thenComparingInt(index -> index))
              .limit(wanted)
              .sorted()
              .mapToInt(index -> withTies[index])
              .toArray();

      assertArrayEquals(
          expected, fixture.codes.estimatedBest(query, withTies, wanted), "query " + seed);
    }
  }
}
