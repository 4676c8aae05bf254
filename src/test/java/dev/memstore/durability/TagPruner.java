package dev.memstore.durability;

import dev.memstore.MemoryFilter;
import dev.memstore.MemoryStore;
import java.nio.file.Path;
import java.util.List;

/**
 * A pruning process for the concurrency suite: until its time is up, deletes every memory tagged
 * {@value TaggedWriter#PRUNABLE} and nothing else, so any other memory missing afterwards is lost.
 * Prints {@code pruned <total>} at the end.
 *
 * <p>Arguments: database file, milliseconds to run.
 */
public final class TagPruner {
  private TagPruner() {}

  public static void main(String[] arguments) throws InterruptedException {
    Path file = Path.of(arguments[0]);
    long millis = Long.parseLong(arguments[1]);
    MemoryFilter prunable = MemoryFilter.builder().tagsAny(List.of(TaggedWriter.PRUNABLE)).build();
    long pruned = 0;
    try (MemoryStore store = MemoryStore.builder(file).embedder(TaggedWriter.embedder()).build()) {
      long deadline = System.nanoTime() + millis * 1_000_000;
      while (System.nanoTime() < deadline) {
        pruned += store.lifecycle().cleanup(prunable, null, null, null, false).size();
        Thread.sleep(100);
      }
    }
    System.out.println("pruned " + pruned);
  }
}
