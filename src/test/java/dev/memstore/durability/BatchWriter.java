package dev.memstore.durability;

import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A second process for durability tests: writes batches of memories with vectors and prints {@code
 * committed N} after each batch returns, so the parent knows exactly which batches were
 * acknowledged.
 *
 * <p>Arguments: database file, number of batches, batch size, tag prefix.
 */
public final class BatchWriter {
  private BatchWriter() {}

  public static void main(String[] arguments) {
    Path file = Path.of(arguments[0]);
    int batches = Integer.parseInt(arguments[1]);
    int batchSize = Integer.parseInt(arguments[2]);
    String prefix = arguments[3];
    Random random = new Random(prefix.hashCode());
    try (MemoryStore store = MemoryStore.open(file)) {
      for (int batch = 0; batch < batches; batch++) {
        List<NewMemory> memories = new ArrayList<>(batchSize);
        for (int index = 0; index < batchSize; index++) {
          memories.add(
              NewMemory.builder(
                      prefix + " batch " + batch + " memory " + index + " about the garden")
                  .tags(prefix + "-" + batch, prefix)
                  .embedding(randomVector(random))
                  .build());
        }
        store.createAll(memories);
        System.out.println("committed " + batch);
        System.out.flush();
      }
    }
    System.out.println("done");
  }

  static float[] randomVector(Random random) {
    float[] vector = new float[384];
    for (int index = 0; index < vector.length; index++) {
      vector[index] = (float) random.nextGaussian();
    }
    return vector;
  }
}
