package dev.memstore.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.Embedder;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryStoreBuilder;
import dev.memstore.StoreHealth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The store fixture of the tests: each test gets a fresh temporary folder with its store file, a
 * {@link MutableClock}, and stores built on it with the model its class chose and the class's
 * builder settings. After each test that passed, every file a store was opened on through {@link
 * #open} is checked with {@link dev.memstore.StoreFile#health()} (SQLite's integrity, the full-text
 * index and the vector table must agree with the memories; memories waiting for their embedding are
 * allowed), then the stores are closed and the folder deleted.
 *
 * <p>Register it on an instance field: {@code @RegisterExtension final MemoryStoreExtension stores
 * = MemoryStoreExtension.withoutModel().configure(builder -> builder.maintenanceInterval(ZERO));}.
 * Not thread-safe: a test uses it from its own thread.
 */
public final class MemoryStoreExtension implements BeforeEachCallback, AfterEachCallback {
  /** Where the clock starts unless the class says otherwise. */
  public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private Consumer<MemoryStoreBuilder> model;
  private Consumer<MemoryStoreBuilder> settings = builder -> {};
  private MutableClock clock = new MutableClock(START);
  private boolean systemClock;
  private boolean manualScheduler;
  private ManualScheduler scheduler;
  private boolean used;

  private Path folder;
  private MemoryStore store;
  private boolean checkHealth = true;
  private final Map<Path, Opened> opened = new LinkedHashMap<>();

  /** The stores opened on one file, and how to open it again for the check after the test. */
  private record Opened(Supplier<MemoryStore> reopen, List<MemoryStore> stores) {}

  private MemoryStoreExtension(Consumer<MemoryStoreBuilder> model) {
    this.model = model;
  }

  /** Stores without an embedding model ({@code none}): keyword search only. */
  public static MemoryStoreExtension withoutModel() {
    return withModel("none");
  }

  /** Stores with the model the builder picks when none is named: the real bundled default. */
  public static MemoryStoreExtension withBundledModel() {
    return new MemoryStoreExtension(builder -> {});
  }

  /** Stores with the bundled model of this name. */
  public static MemoryStoreExtension withModel(String name) {
    return new MemoryStoreExtension(builder -> builder.embeddingModel(name));
  }

  /** Stores with a fast {@link WordHashEmbedder}: texts sharing words are similar. */
  public static MemoryStoreExtension withWordHashModel(String modelId, int dimension) {
    return withEmbedder(() -> new WordHashEmbedder(modelId, dimension, 0));
  }

  /** Stores with a model of the test's own; each store gets what {@code embedder} returns. */
  public static MemoryStoreExtension withEmbedder(Supplier<? extends Embedder> embedder) {
    return new MemoryStoreExtension(builder -> builder.embedder(embedder.get()));
  }

  /** From now on this test's stores use the bundled model of this name instead. */
  public MemoryStoreExtension useModel(String name) {
    this.model = builder -> builder.embeddingModel(name);
    return this;
  }

  /** Settings for every store of the class, applied after the model and the clock. */
  public MemoryStoreExtension configure(Consumer<MemoryStoreBuilder> settings) {
    this.settings = this.settings.andThen(settings);
    return this;
  }

  /** Starts the test's clock at {@code start}. */
  public MemoryStoreExtension startingAt(Instant start) {
    this.clock = new MutableClock(start);
    return this;
  }

  /**
   * Gives every store of the test one {@link ManualScheduler} on the test's clock: nothing runs in
   * the background until the test calls {@link ManualScheduler#runDue} or {@link
   * ManualScheduler#advance} on {@link #scheduler()}.
   */
  public MemoryStoreExtension withManualScheduler() {
    this.manualScheduler = true;
    return this;
  }

  /** The stores' scheduler (see {@link #withManualScheduler}). */
  public ManualScheduler scheduler() {
    if (!manualScheduler || systemClock) {
      throw new IllegalStateException("this class's stores run on their own scheduler");
    }
    if (scheduler == null) {
      scheduler = new ManualScheduler(clock);
    }
    return scheduler;
  }

  /** Leaves the builder's own clock, the system's, for classes that never drive time. */
  public MemoryStoreExtension onSystemClock() {
    this.systemClock = true;
    return this;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    // The clock, folder and stores are made with the extension, so that a test class can keep them
    // in fields: one extension serves one test.
    if (used) {
      throw new IllegalStateException(
          "one extension per test: register it on an instance field, per-method lifecycle");
    }
    used = true;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    try {
      if (checkHealth && context.getExecutionException().isEmpty()) {
        opened.forEach(this::assertSound);
      }
    } finally {
      opened.values().forEach(files -> files.stores().forEach(MemoryStore::close));
      opened.clear();
      if (folder != null) {
        deleteQuietly(folder);
      }
    }
  }

  /** The test's temporary folder, empty at the start; available from field initializers on. */
  public Path folder() {
    if (folder == null) {
      try {
        folder = Files.createTempDirectory("memstore-test");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return folder;
  }

  /** The test's store file, {@code memory.db} in {@link #folder()}; not created until opened. */
  public Path file() {
    return folder().resolve("memory.db");
  }

  /** Another file in {@link #folder()}. */
  public Path file(String name) {
    return folder().resolve(name);
  }

  /** The clock of the test's stores; available from the test's field initializers on. */
  public MutableClock clock() {
    if (systemClock) {
      throw new IllegalStateException("this class's stores run on the system clock");
    }
    return clock;
  }

  /** The test's store on {@link #file()}, opened on the first call (a field initializer may). */
  public MemoryStore store() {
    if (store == null) {
      store = open();
    }
    return store;
  }

  /** Closes the test's store and opens {@link #file()} again, as a new process would. */
  public MemoryStore reopen() {
    if (store != null) {
      store.close();
    }
    store = open();
    return store;
  }

  /** Opens another store on {@link #file()}; it is checked and closed after the test. */
  public MemoryStore open() {
    return open(file(), builder -> {});
  }

  /** Opens a store on {@link #file()} with settings of its own on top of the class's. */
  public MemoryStore open(Consumer<MemoryStoreBuilder> more) {
    return open(file(), more);
  }

  /** Opens a store on another file; it is checked and closed after the test. */
  public MemoryStore open(Path file) {
    return open(file, builder -> {});
  }

  /** Opens a store on another file with settings of its own on top of the class's. */
  public MemoryStore open(Path file, Consumer<MemoryStoreBuilder> more) {
    MemoryStore opening = builder(file, more).build();
    opened
        .computeIfAbsent(
            file, key -> new Opened(() -> builder(file, more).build(), new ArrayList<>()))
        .stores()
        .add(opening);
    return opening;
  }

  /**
   * A builder for {@link #file()} with the class's model, clock and settings, for a test that
   * builds (or fails to build) a store itself; what it builds is the test's to close, and no check
   * follows.
   */
  public MemoryStoreBuilder builder() {
    return builder(file(), builder -> {});
  }

  /** A builder for another file, as {@link #builder()}. */
  public MemoryStoreBuilder builder(Path file) {
    return builder(file, builder -> {});
  }

  private MemoryStoreBuilder builder(Path file, Consumer<MemoryStoreBuilder> more) {
    MemoryStoreBuilder builder = MemoryStore.builder(file);
    model.accept(builder);
    if (!systemClock) {
      builder.clock(clock);
    }
    if (manualScheduler) {
      builder.scheduler(scheduler());
    }
    settings.accept(builder);
    more.accept(builder);
    return builder;
  }

  /** Skips the health check after this test: it leaves a damaged file on purpose. */
  public void skipHealthCheck() {
    checkHealth = false;
  }

  private void assertSound(Path file, Opened files) {
    if (!Files.exists(file)) {
      return;
    }
    StoreHealth health = null;
    for (MemoryStore candidate : files.stores()) {
      try {
        health = candidate.file().health();
        break;
      } catch (IllegalStateException closedByTheTest) {
        // The test closed this one; another may still be open.
      }
    }
    if (health == null) {
      try (MemoryStore again = files.reopen().get()) {
        health = again.file().health();
      }
    }
    assertTrue(
        health.integrityOk() && health.fullTextConsistent() && health.vectorsConsistent(),
        "after the test, " + file.getFileName() + " is not sound: " + health.issues());
  }

  private static void deleteQuietly(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | UncheckedIOException e) {
      // A leftover in the build's temporary folder harms no later test.
    }
  }
}
