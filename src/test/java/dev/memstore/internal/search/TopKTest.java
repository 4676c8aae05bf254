package dev.memstore.internal.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The exact top k of the vector index, against a plain sort on seeded scores. */
class TopKTest {
  private static int[] slots(TopK top) {
    return Arrays.copyOf(top.slots, top.filled);
  }

  @Test
  void add_keepsTheBestBestFirst_equalScoresInArrivalOrder() {
    TopK top = new TopK(3);
    top.add(10, 0.5f);
    top.add(11, 0.9f);
    top.add(12, 0.5f);
    assertArrayEquals(new int[] {11, 10, 12}, slots(top));
    top.add(13, 0.5f);
    assertArrayEquals(new int[] {11, 10, 12}, slots(top), "an equal score does not displace");
    top.add(14, 0.7f);
    assertArrayEquals(new int[] {11, 14, 10}, slots(top));
    assertArrayEquals(new float[] {0.9f, 0.7f, 0.5f}, top.scores);
  }

  @Test
  void add_capacityZero_keepsNothing() {
    TopK top = new TopK(0);
    top.add(1, 1f);
    assertEquals(0, top.filled);
  }

  @Test
  void addAll_laterHalf_sameAsAddingEverySlotInOrder() {
    Random random = new Random(7);
    float[] scores = new float[500];
    for (int slot = 0; slot < scores.length; slot++) {
      scores[slot] = random.nextInt(50) / 50f; // many ties
    }
    TopK first = new TopK(10);
    TopK second = new TopK(10);
    for (int slot = 0; slot < scores.length; slot++) {
      (slot < 250 ? first : second).add(slot, scores[slot]);
    }
    first.addAll(second);
    int[] expected =
        IntStream.range(0, scores.length)
            .boxed()
            .sorted(
                Comparator.comparingDouble((Integer slot) -> -scores[slot])
                    .thenComparingInt(slot -> slot))
            .limit(10)
            .mapToInt(Integer::intValue)
            .toArray();
    assertArrayEquals(expected, slots(first));
  }
}
