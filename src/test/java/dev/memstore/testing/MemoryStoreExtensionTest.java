package dev.memstore.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/** The fixture itself: its check after a test catches a damaged file, open or closed. */
class MemoryStoreExtensionTest {

  /** A context of a test that passed: all the extension asks of it. */
  private static ExtensionContext passedTest() {
    return (ExtensionContext)
        Proxy.newProxyInstance(
            ExtensionContext.class.getClassLoader(),
            new Class<?>[] {ExtensionContext.class},
            (proxy, method, arguments) -> {
              if (method.getName().equals("getExecutionException")) {
                return Optional.empty();
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  private static void emptyTheFullTextIndex(MemoryStoreExtension stores) throws Exception {
    try (RawDatabase raw = RawDatabase.open(stores.file())) {
      raw.execute("insert into memory_fts (memory_fts) values ('delete-all')");
    }
  }

  @Test
  void afterEach_soundFile_closesTheStoresAndDeletesTheFolder() throws Exception {
    MemoryStoreExtension stores = MemoryStoreExtension.withoutModel();
    stores.beforeEach(passedTest());
    MemoryStore store = stores.store();
    stores.clock().advance(Duration.ofDays(1));
    assertEquals(
        MemoryStoreExtension.START.plus(Duration.ofDays(1)),
        store.create(NewMemory.of("the car is blue")).createdAt(),
        "the store runs on the test's clock");

    stores.afterEach(passedTest());

    assertThrows(IllegalStateException.class, store.file()::stats, "closed");
    assertFalse(Files.exists(stores.folder()));
  }

  @Test
  void afterEach_damagedFileOfAnOpenStore_fails() throws Exception {
    MemoryStoreExtension stores = MemoryStoreExtension.withoutModel();
    stores.beforeEach(passedTest());
    stores.store().create(NewMemory.of("the car is blue"));
    emptyTheFullTextIndex(stores);

    AssertionFailedError failed =
        assertThrows(AssertionFailedError.class, () -> stores.afterEach(passedTest()));

    assertTrue(failed.getMessage().contains("full-text index"), failed.getMessage());
    assertFalse(Files.exists(stores.folder()), "cleaned up all the same");
  }

  @Test
  void afterEach_damagedFileTheTestClosed_opensItAgainToFail() throws Exception {
    MemoryStoreExtension stores = MemoryStoreExtension.withoutModel();
    stores.beforeEach(passedTest());
    try (MemoryStore store = stores.open()) {
      store.create(NewMemory.of("the car is blue"));
    }
    emptyTheFullTextIndex(stores);

    assertThrows(AssertionFailedError.class, () -> stores.afterEach(passedTest()));
  }

  @Test
  void afterEach_skipHealthCheck_passesAndStillCloses() throws Exception {
    MemoryStoreExtension stores = MemoryStoreExtension.withoutModel();
    stores.beforeEach(passedTest());
    MemoryStore store = stores.store();
    store.create(NewMemory.of("the car is blue"));
    emptyTheFullTextIndex(stores);
    stores.skipHealthCheck();

    stores.afterEach(passedTest());

    assertThrows(IllegalStateException.class, store.file()::stats, "closed");
  }
}
