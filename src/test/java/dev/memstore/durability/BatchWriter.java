package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A second process for durability tests: writes batches of memories with vectors and prints {@code
 * committed N} after each batch returns, so the parent knows exactly which batches were
 * acknowledged.
 *
 * <p>Arguments: database file, number of batches, batch size, tag prefix.
 */
public final class BatchWriter {
  private BatchWriter() {}

  /**
   * For the parent: reads the writer's lines until batch {@code batch} is acknowledged, and returns
   * the highest acknowledged batch.
   */
  static int awaitBatch(ChildJvm writer, int batch) throws InterruptedException {
    int highest = -1;
    while (highest < batch) {
      String line = writer.nextLine(60, TimeUnit.SECONDS);
      assertNotNull(line, "writer stopped early: " + writer.errorOutput());
      highest = Math.max(highest, committed(line));
    }
    return highest;
  }

  /**
   * For the parent, once the writer ended: the highest batch acknowledged, at least {@code
   * highest}.
   */
  static int lastBatch(ChildJvm writer, int highest) {
    for (String line : writer.lines()) {
      highest = Math.max(highest, committed(line));
    }
    return highest;
  }

  /**
   * For the parent: starts a writer of endless batches of {@code batchSize} tagged {@code prefix},
   * kills it (as kill -9 does) once batch {@code batch} is acknowledged and {@code extraMillis}
   * more have passed, and returns the highest batch it acknowledged (-1 for none).
   */
  static int writeThenKill(
      Path folder, Path file, int batchSize, String prefix, int batch, long extraMillis)
      throws IOException, InterruptedException {
    try (ChildJvm writer = startEndless(folder, file, batchSize, prefix)) {
      int highest = awaitBatch(writer, batch);
      // Lets the kill land anywhere in the next batch: the point of the tests that ask for it.
      Thread.sleep(extraMillis);
      writer.kill();
      return lastBatch(writer, highest);
    }
  }

  /**
   * For the parent: starts a writer of batches of {@code batchSize} tagged {@code prefix}, without
   * end.
   */
  static ChildJvm startEndless(Path folder, Path file, int batchSize, String prefix)
      throws IOException {
    return ChildJvm.start(
        folder, BatchWriter.class, file.toString(), "1000000", String.valueOf(batchSize), prefix);
  }

  private static int committed(String line) {
    return line.startsWith("committed ") ? Integer.parseInt(line.substring(10).trim()) : -1;
  }

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
