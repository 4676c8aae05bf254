package dev.memstore.durability;

import dev.memstore.MemoryStore;
import dev.memstore.MemoryUpdate;
import java.nio.file.Path;

/**
 * A second process for the cache test: changes one memory's content and prints {@code updated}.
 *
 * <p>Arguments: database file, memory id, new content.
 */
public final class MemoryUpdater {
  private MemoryUpdater() {}

  public static void main(String[] arguments) {
    try (MemoryStore store =
        MemoryStore.builder(Path.of(arguments[0])).embeddingModel("none").build()) {
      store.update(arguments[1], MemoryUpdate.builder().content(arguments[2]).build());
    }
    System.out.println("updated");
    System.out.flush();
  }
}
