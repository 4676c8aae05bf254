package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.StorageException;
import dev.memstore.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An explicit checkpoint while another process checkpoints the same file: SQLite answers busy at
 * once then, without waiting, so {@code checkpoint()} must try again within the busy timeout, and
 * say so clearly when it could not fold the log, never return as if it had.
 */
class CheckpointBusyTest {
  @TempDir Path folder;

  /**
   * A store whose log stays until an explicit checkpoint: the idle one would come after an hour.
   */
  private MemoryStore open(Path file, Duration busyTimeout) {
    return MemoryStore.builder(file)
        .checkpointDelay(Duration.ofHours(1))
        .busyTimeout(busyTimeout)
        .build();
  }

  private static void write(MemoryStore store, String topic, int count) {
    for (int index = 0; index < count; index++) {
      store.create(NewMemory.of("a note about the " + topic + " number " + index));
    }
  }

  private static long logSize(Path file) throws Exception {
    return Files.size(Path.of(file + "-wal"));
  }

  private static ChildJvm holdCheckpointLock(Path folder, Path file, long millis) throws Exception {
    ChildJvm holder =
        ChildJvm.start(folder, CheckpointLockHolder.class, file + "-shm", String.valueOf(millis));
    assertEquals(
        "locked",
        holder.nextLine(60, TimeUnit.SECONDS),
        "the lock holder: " + holder.errorOutput());
    return holder;
  }

  /** The file alone, as a plain copy of it would be: how many memories it holds. */
  private static long memoriesInTheFileAlone(Path folder, Path file) throws Exception {
    Path copy = folder.resolve("copy.db");
    Files.copy(file, copy);
    try (MemoryStore store = MemoryStore.builder(copy).readOnly(true).build()) {
      return store.file().stats().totalMemories();
    }
  }

  @Test
  void checkpoint_whileAnotherProcessCheckpoints_waitsForItAndEmptiesTheLog() throws Exception {
    Path file = folder.resolve("memory.db");
    try (MemoryStore store = open(file, Duration.ofSeconds(30))) {
      write(store, "harbour", 40);
      assertTrue(logSize(file) > 0, "the writes wait in the log, so this test can see the fold");
      try (ChildJvm holder = holdCheckpointLock(folder, file, 700)) {
        store.file().checkpoint();
        assertEquals("released", holder.nextLine(30, TimeUnit.SECONDS));
      }
      assertEquals(0, logSize(file), "the log was folded and emptied");
      assertEquals(40, memoriesInTheFileAlone(folder, file));
    }
  }

  @Test
  void checkpoint_keptOutLongerThanTheBusyTimeout_isABusyErrorAndLosesNothing() throws Exception {
    Path file = folder.resolve("memory.db");
    try (MemoryStore store = open(file, Duration.ofMillis(300))) {
      write(store, "harbour", 40);
      try (ChildJvm holder = holdCheckpointLock(folder, file, 60_000)) {
        StorageException busy = assertThrows(StorageException.class, store.file()::checkpoint);
        assertEquals(5, busy.sqliteResultCode(), "SQLITE_BUSY");
        assertTrue(busy.getMessage().contains("busy timeout"), busy.getMessage());
        assertTrue(logSize(file) > 0, "the log was not emptied");
        assertFalse(store.lifecycle().runMaintenance().checkpointed(), "maintenance says so too");
        write(store, "lighthouse", 2);
        holder.kill();
      }
      assertTrue(store.lifecycle().runMaintenance().checkpointed());
      store.file().checkpoint();
      assertEquals(0, logSize(file));
      assertEquals(42, memoriesInTheFileAlone(folder, file));
    }
  }
}
