package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.ReadOnlyStoreException;
import dev.memstore.StorageException;
import dev.memstore.durability.StoreOpenTest.Run;
import dev.memstore.testing.Mounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stores on media the test mounts: a read-only view of a closed store, and a small tmpfs that the
 * store fills up. Mounting needs root allowed to mount; elsewhere these tests skip and say why.
 */
class MountedMediaTest {
  @TempDir Path folder;

  private static long count(MemoryStore store) {
    return store.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 0, 1).totalCount();
  }

  private static Run memctl(Path file, String... arguments) {
    List<String> all = new ArrayList<>(List.of("--db", file.toString()));
    all.addAll(List.of(arguments));
    return StoreOpenTest.memctl(all.toArray(String[]::new));
  }

  @Test
  void readCommands_onClosedStoreOnReadOnlyMedia_workAndWritesAreRefused() throws Exception {
    Path source = Files.createDirectories(folder.resolve("source"));
    try (MemoryStore store =
        MemoryStore.builder(source.resolve("memory.db")).embeddingModel("none").build()) {
      store.create(NewMemory.of("the spare key is under the blue pot"));
    }
    Path view = Files.createDirectories(folder.resolve("view"));
    String problem = Mounts.readOnlyView(source, view);
    assumeTrue(problem == null, problem);
    try {
      Path file = view.resolve("memory.db");
      byte[] before = Files.readAllBytes(file);
      Run stats = memctl(file, "stats");
      assertEquals(0, stats.exitCode(), stats.toString());
      Run list = memctl(file, "ls");
      assertEquals(0, list.exitCode(), list.toString());
      assertTrue(list.out().contains("blue pot"), list.out());
      Run search = memctl(file, "search", "spare key");
      assertEquals(0, search.exitCode(), search.toString());
      assertTrue(search.out().contains("blue pot"), search.out());
      Run add = memctl(file, "add", "refused");
      assertEquals(1, add.exitCode(), add.toString());
      assertTrue(add.err().contains("read-only media"), add.err());

      try (MemoryStore store = MemoryStore.open(file)) {
        assertEquals(1, count(store));
        ReadOnlyStoreException refused =
            assertThrows(ReadOnlyStoreException.class, () -> store.create(NewMemory.of("no")));
        assertTrue(refused.getMessage().contains("read-only media"), refused.getMessage());
      }
      try (MemoryStore store = MemoryStore.builder(file).readOnly(true).build()) {
        assertEquals(1, count(store));
      }
      assertArrayEquals(before, Files.readAllBytes(file));
    } finally {
      Mounts.unmount(view);
    }
    assertFalse(Files.exists(source.resolve("memory.db-wal")));
    assertFalse(Files.exists(source.resolve("memory.db-shm")));
  }

  private static List<NewMemory> batch(int number) {
    List<NewMemory> memories = new ArrayList<>();
    for (int index = 0; index < 20; index++) {
      memories.add(
          NewMemory.builder(
                  "batch " + number + " memory " + index + " " + "about the garden ".repeat(60))
              .tags("batch-" + number)
              .build());
    }
    return memories;
  }

  @Test
  void fullDisk_writesFailClearly_everyAcknowledgedWriteSurvives_writesWorkAgainOnceSpaceIsFreed()
      throws Exception {
    Path disk = Files.createDirectories(folder.resolve("disk"));
    String problem = Mounts.tmpfs(disk, "32m");
    assumeTrue(problem == null, problem);
    try {
      Path file = disk.resolve("memory.db");
      Path smallBallast = disk.resolve("ballast-small");
      Path largeBallast = disk.resolve("ballast-large");
      Files.write(smallBallast, new byte[1 << 20]);
      Files.write(largeBallast, new byte[16 << 20]);
      long acknowledged = 0;
      StorageException full = null;
      try (MemoryStore store =
          MemoryStore.builder(file)
              .embeddingModel("none")
              .checkpointDelay(Duration.ofHours(1))
              .build()) {
        for (int number = 0; number < 10_000 && full == null; number++) {
          try {
            store.createAll(batch(number));
            acknowledged += 20;
          } catch (StorageException e) {
            full = e;
          }
        }
        assertNotNull(full, "the disk never filled up");
        assertTrue(full.getMessage().contains("disk is full"), full.getMessage());
        assertEquals(acknowledged, count(store), "the failed batch left nothing");
      }
      assertTrue(acknowledged > 0);

      // 1 MiB free is not enough to fold the log in: the store opens read-only and says why.
      Files.delete(smallBallast);
      try (MemoryStore store = MemoryStore.open(file)) {
        assertEquals(acknowledged, count(store), "every acknowledged write survives");
        ReadOnlyStoreException refused =
            assertThrows(ReadOnlyStoreException.class, () -> store.create(NewMemory.of("later")));
        assertTrue(refused.getMessage().contains("disk is full"), refused.getMessage());
        assertTrue(refused.getMessage().contains("MiB"), refused.getMessage());
      }
      Run stats = memctl(file, "stats");
      assertEquals(0, stats.exitCode(), stats.toString());
      Run add = memctl(file, "add", "still full");
      assertEquals(1, add.exitCode(), add.toString());
      assertTrue(add.err().contains("disk is full"), add.err());
      assertFalse(add.err().contains("Exception"), add.err());

      Files.delete(largeBallast);
      try (MemoryStore store = MemoryStore.open(file)) {
        assertEquals(acknowledged, count(store));
        store.create(NewMemory.of("written once space was freed"));
        assertEquals(acknowledged + 1, count(store));
      }
      Run added = memctl(file, "add", "and from memctl too");
      assertEquals(0, added.exitCode(), added.toString());
    } finally {
      Mounts.unmount(disk);
    }
  }

  @Test
  void create_onFullDisk_failsClearlyAndLeavesNoFileBehind() throws Exception {
    Path disk = Files.createDirectories(folder.resolve("disk"));
    String problem = Mounts.tmpfs(disk, "2m");
    assumeTrue(problem == null, problem);
    try {
      try (var ballast = Files.newOutputStream(disk.resolve("ballast"))) {
        byte[] block = new byte[4096];
        while (true) {
          ballast.write(block);
          ballast.flush();
        }
      } catch (java.io.IOException full) {
        // The disk is full now.
      }
      Path file = disk.resolve("memory.db");
      StorageException failed =
          assertThrows(
              StorageException.class,
              () -> MemoryStore.builder(file).embeddingModel("none").build().close());
      assertTrue(failed.getMessage().contains("disk is full"), failed.getMessage());
      assertFalse(Files.exists(file), "a store whose creation failed leaves no file behind");
      Files.delete(disk.resolve("ballast"));
      try (MemoryStore store = MemoryStore.builder(file).embeddingModel("none").build()) {
        store.create(NewMemory.of("created once there is space"));
        assertEquals(1, count(store));
      }
    } finally {
      Mounts.unmount(disk);
    }
  }
}
