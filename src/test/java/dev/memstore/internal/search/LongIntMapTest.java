package dev.memstore.internal.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongIntMapTest {
  @Test
  void map_agreesWithHashMap_throughPutsRemovalsAndGrowth() {
    Random random = new Random(5);
    LongIntMap map = new LongIntMap(16);
    Map<Long, Integer> expected = new HashMap<>();
    for (int step = 0; step < 200_000; step++) {
      // Keys from a small range collide and are removed often; some are far apart.
      long key = random.nextBoolean() ? random.nextInt(5_000) : random.nextLong() >>> 1;
      switch (random.nextInt(3)) {
        case 0, 1 -> {
          int value = random.nextInt(1_000_000);
          map.put(key, value);
          expected.put(key, value);
        }
        default -> {
          map.remove(key);
          expected.remove(key);
        }
      }
      if (step % 10_000 == 0) {
        for (long probe = 0; probe < 5_000; probe++) {
          assertEquals(expected.getOrDefault(probe, -1), map.get(probe), "key " + probe);
        }
      }
    }
    assertEquals(expected.size(), map.size());
    Map<Long, Integer> listed = new HashMap<>();
    map.forEach(listed::put);
    assertEquals(expected, listed);
  }
}
