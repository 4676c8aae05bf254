package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.RawDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A reader of another connection keeps a forget from emptying the log at once: the receipt says so,
 * and the store's scheduler tries again until the old pages are gone from the file.
 */
class ForgetLogTest {
  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withoutModel()
          .withManualScheduler()
          .configure(
              builder ->
                  builder
                      .maintenanceInterval(Duration.ZERO)
                      .snapshotInterval(Duration.ZERO)
                      .busyTimeout(Duration.ofMillis(50)));

  private static String text(Path file) throws Exception {
    return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
  }

  @Test
  void forget_whileAReaderHoldsTheLog_saysSoAndEmptiesItOnceTheReaderLetsGo() throws Exception {
    MemoryStore store = stores.store();
    for (int index = 0; index < 20; index++) {
      store.create(NewMemory.of("an ordinary memory number " + index));
    }
    Memory secret = store.create(NewMemory.of("pelicanquokka is what my sister said"));
    store.file().checkpoint();
    assertTrue(text(stores.file()).contains("pelicanquokka"));

    ForgetReceipt receipt;
    try (RawDatabase reader = RawDatabase.open(stores.file())) {
      reader.execute("begin");
      reader.number("select count(*) from memories");

      receipt = store.privacy().forget(ForgetRequest.ofIds(List.of(secret.id())));

      assertFalse(receipt.logCleared(), "the reader kept the log from being emptied");
      reader.execute("commit");
    }
    assertTrue(
        store.privacy().forgetReceipts().stream().noneMatch(ForgetReceipt::logCleared),
        "the stored receipt says so too");

    stores.scheduler().advance(Duration.ofSeconds(1)); // the first retry

    assertFalse(text(stores.file()).contains("pelicanquokka"), "the retry emptied the log");
    assertTrue(Files.size(Path.of(stores.file() + "-wal")) == 0, "and truncated it");
  }
}
