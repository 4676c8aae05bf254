package dev.memstore.durability;

import dev.memstore.MemoryStore;
import dev.memstore.testing.WordHashEmbedder;
import java.nio.file.Path;

/**
 * A process that moves a store to the slow test model "hash-b", printing progress, for the kill
 * test.
 */
public final class ReembedRunner {
  private ReembedRunner() {}

  public static void main(String[] arguments) {
    MemoryStore.builder(Path.of(arguments[0]))
        .embedder(new WordHashEmbedder("hash-b", 6, 5))
        .reembedIfModelChanged(
            progress -> {
              System.out.println("embedded " + progress.embedded());
              System.out.flush();
            })
        .build()
        .close();
    System.out.println("done");
  }
}
