package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.CircuitBreakerStatus;
import dev.memstore.Embedder;
import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.SearchMode;
import dev.memstore.SearchQuery;
import dev.memstore.SearchResult;
import dev.memstore.cli.Memctl;
import dev.memstore.testing.ChildJvm;
import dev.memstore.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, part 2: where a native library of the model cannot load (a tokenizer built for glibc
 * 2.34 on an older Linux, a damaged copy), the store degrades as the README promises: memories are
 * stored without vectors, searches answer keyword results, and the reason, naming the library,
 * shows in the search result and in the stats of every process.
 */
class ModelLibraryFailureTest {
  @TempDir Path folder;

  /** Fails as a native library that does not load fails: first to link, then to initialise. */
  private static final class UnloadableModel implements Embedder {
    private final AtomicInteger calls = new AtomicInteger();
    volatile boolean loads;

    @Override
    public String modelId() {
      return "unloadable-test-model";
    }

    @Override
    public int dimension() {
      return 3;
    }

    @Override
    public float[] embed(String text) {
      if (loads) {
        return new float[] {text.contains("tea") ? 1 : 0, text.contains("coffee") ? 1 : 0, 0.1f};
      }
      String linkFailure =
          "/home/user/.djl.ai/tokenizers/0.36.0-cpu-linux-x86_64/libtokenizers.so:"
              + " /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found";
      if (calls.getAndIncrement() == 0) {
        throw new UnsatisfiedLinkError(linkFailure);
      }
      NoClassDefFoundError later =
          new NoClassDefFoundError(
              "Could not initialize class ai.djl.huggingface.tokenizers.jni.LibUtils");
      later.initCause(
          new ExceptionInInitializerError(
              "Exception java.lang.UnsatisfiedLinkError: " + linkFailure));
      throw later;
    }
  }

  @Test
  void linkageErrors_storeWithoutVectorsSearchByKeywordsAndSayWhich() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    UnloadableModel model = new UnloadableModel();
    try (MemoryStore store =
        MemoryStore.builder(folder.resolve("memory.db")).embedder(model).clock(clock).build()) {
      Memory tea = store.create(NewMemory.of("green tea in the afternoon"));
      store.create(NewMemory.of("black coffee in the morning"));
      store.create(NewMemory.of("water all day"));
      assertEquals(3, store.file().stats().totalMemories());
      assertEquals(0, store.file().stats().embeddedMemories());
      assertEquals(CircuitBreakerStatus.State.OPEN, store.embeddings().circuitBreaker().state());

      SearchResult result = store.search(SearchQuery.of("green tea"));
      assertTrue(result.degraded());
      assertEquals(SearchMode.KEYWORD, result.mode());
      assertEquals(tea.id(), result.hits().get(0).memory().id());
      assertTrue(result.degradation().contains("libtokenizers.so"), result.degradation());
      assertFalse(result.degradation().contains("java."), result.degradation());
      String reason = store.file().stats().degradedReason();
      assertTrue(reason != null && reason.contains("libtokenizers.so"), reason);

      model.loads = true;
      clock.advance(Duration.ofSeconds(31));
      assertEquals(3, store.embeddings().embedPending());
      assertNull(store.file().stats().degradedReason(), "cleared once the memories are embedded");
    }
  }

  @Test
  void virtualMachineErrors_passThrough() {
    Embedder exhausted =
        new Embedder() {
          @Override
          public String modelId() {
            return "exhausted-test-model";
          }

          @Override
          public int dimension() {
            return 3;
          }

          @Override
          public float[] embed(String text) {
            throw new OutOfMemoryError("simulated");
          }
        };
    try (MemoryStore store =
        MemoryStore.builder(folder.resolve("memory.db")).embedder(exhausted).build()) {
      assertThrows(OutOfMemoryError.class, () -> store.create(NewMemory.of("too much")));
      assertEquals(0, store.file().stats().totalMemories());
    }
  }

  /**
   * The real loading path: memctl in a process whose onnxruntime library is damaged (the
   * application names it, as it may), so that loading the bundled model throws the errors an older
   * glibc throws. add and search exit 0, and stats in another process says why.
   */
  @Test
  void memctl_addAndSearchSucceedWhenTheModelsLibraryDoesNotLoad() throws Exception {
    Path libraries = Files.createDirectory(folder.resolve("damaged"));
    for (String name : List.of("onnxruntime", "onnxruntime4j_jni")) {
      Files.writeString(libraries.resolve(System.mapLibraryName(name)), "not a library");
    }
    String database = folder.resolve("memory.db").toString();
    List<String> damaged = List.of("-Donnxruntime.native.path=" + libraries);
    try (ChildJvm add =
        ChildJvm.start(folder, damaged, Memctl.class, "--db", database, "add", "green tea")) {
      assertEquals(0, add.waitFor(120, TimeUnit.SECONDS), add.errorOutput());
      assertTrue(add.errorOutput().contains("stored without a vector"), add.errorOutput());
      assertTrue(add.errorOutput().contains("libonnxruntime"), add.errorOutput());
    }
    try (ChildJvm search =
        ChildJvm.start(folder, damaged, Memctl.class, "--db", database, "search", "tea")) {
      assertEquals(0, search.waitFor(120, TimeUnit.SECONDS), search.errorOutput());
      assertTrue(
          String.join("\n", search.lines()).contains("green tea"), search.lines().toString());
      assertTrue(search.errorOutput().contains("libonnxruntime"), search.errorOutput());
    }
    StringWriter out = new StringWriter();
    int code =
        Memctl.run(
            new String[] {"--db", database, "stats"},
            new PrintWriter(out),
            new PrintWriter(new StringWriter()),
            new ByteArrayInputStream(new byte[0]));
    assertEquals(0, code);
    assertTrue(out.toString().contains("libonnxruntime"), out.toString());
  }
}
