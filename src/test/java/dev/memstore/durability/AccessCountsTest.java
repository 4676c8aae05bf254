package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.RawDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Reads are counted in memory and written later; counts that fail to be written wait. */
class AccessCountsTest {
  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withoutModel().onSystemClock();

  @Test
  void flush_thatFails_keepsTheCountsForTheNextFlush() throws Exception {
    Path file = stores.file();
    String id;
    try (MemoryStore store = stores.open()) {
      id = store.create(NewMemory.of("the car is blue")).id();
      try (RawDatabase raw = RawDatabase.open(file)) {
        raw.execute(
            """
            create trigger refuse_access before update of access_count on memories
            begin select raise(abort, 'the disk is full'); end""");
      }
      store.get(id);
      store.get(id);
      // A checkpoint writes the pending counts first, which fails here.
      assertThrows(RuntimeException.class, store.file()::checkpoint);
      try (RawDatabase raw = RawDatabase.open(file)) {
        raw.execute("drop trigger refuse_access");
      }
      store.get(id);
    }
    try (RawDatabase raw = RawDatabase.open(file)) {
      assertEquals(3, raw.number("select access_count from memories"));
    }
  }
}
