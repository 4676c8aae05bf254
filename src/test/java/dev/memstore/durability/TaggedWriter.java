package dev.memstore.durability;

import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryUpdate;
import dev.memstore.NewMemory;
import dev.memstore.testing.WordHashEmbedder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A writing process for the concurrency suite: until its time is up, writes batches tagged {@code
 * <prefix>-<n>}, every other one also tagged {@value #PRUNABLE} for the pruner, and renames the
 * first memory of each kept batch. Prints {@code committed <n> <kept|prunable>} after each batch
 * and {@code updated <id>} after each update returns, so the parent knows what was acknowledged.
 *
 * <p>Arguments: database file, tag prefix, milliseconds to run, batch size.
 */
public final class TaggedWriter {
  static final String PRUNABLE = "prunable";

  private TaggedWriter() {}

  /** The embedder every process of the suite uses, cheap and the same in each. */
  static WordHashEmbedder embedder() {
    return new WordHashEmbedder("word-hash-adversarial", 64, 0);
  }

  public static void main(String[] arguments) {
    Path file = Path.of(arguments[0]);
    String prefix = arguments[1];
    long millis = Long.parseLong(arguments[2]);
    int batchSize = Integer.parseInt(arguments[3]);
    try (MemoryStore store = MemoryStore.builder(file).embedder(embedder()).build()) {
      long deadline = System.nanoTime() + millis * 1_000_000;
      for (int batch = 0; System.nanoTime() < deadline; batch++) {
        boolean prunable = batch % 2 == 1;
        List<NewMemory> memories = new ArrayList<>(batchSize);
        for (int index = 0; index < batchSize; index++) {
          NewMemory.Builder memory =
              NewMemory.builder(
                  prefix + " batch " + batch + " memory " + index + " about the garden and tea");
          memory =
              prunable
                  ? memory.tags(prefix + "-" + batch, PRUNABLE)
                  : memory.tags(prefix + "-" + batch);
          memories.add(memory.build());
        }
        List<Memory> created = store.createAll(memories);
        System.out.println("committed " + batch + (prunable ? " prunable" : " kept"));
        if (!prunable) {
          Memory first = created.get(0);
          store.update(
              first.id(), MemoryUpdate.builder().content(first.content() + " updated").build());
          System.out.println("updated " + first.id());
        }
        System.out.flush();
      }
    }
    System.out.println("done");
  }
}
