package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.ErrorCode;
import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryStoreException;
import dev.memstore.NewMemory;
import dev.memstore.durability.StoreOpenTest.Run;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Files that are not a healthy memory store, opened by the library (read-only and writable) and by
 * a memctl command that reads: each gets a clear error with a stable code, and its bytes stay as
 * they were. (A newer schema version is tested in FileSafetyTest; a read-only file and folder,
 * which can be read, in MountedMediaTest.)
 */
class FileAnomalyTest {
  private static final int PAGE = 16_384;

  @TempDir Path folder;

  /** A damaged or foreign file, how it is made, and what the error says. */
  enum Anomaly {
    EMPTY("is empty (0 bytes)", 4) {
      @Override
      Path make(Path folder) throws Exception {
        return Files.createFile(folder.resolve("memory.db"));
      }
    },
    TRUNCATED("shorter than its header says", 4) {
      @Override
      Path make(Path folder) throws Exception {
        Path file = store(folder);
        try (RandomAccessFile bytes = new RandomAccessFile(file.toFile(), "rw")) {
          bytes.setLength(bytes.length() / 2);
        }
        return file;
      }
    },
    PAGES_OVERWRITTEN("the file is damaged", 1) {
      @Override
      Path make(Path folder) throws Exception {
        Path file = store(folder);
        Random random = new Random(13);
        try (RandomAccessFile bytes = new RandomAccessFile(file.toFile(), "rw")) {
          byte[] noise = new byte[PAGE];
          for (long page = 1; page < bytes.length() / PAGE; page++) {
            random.nextBytes(noise);
            bytes.seek(page * PAGE);
            bytes.write(noise);
          }
        }
        return file;
      }
    },
    FOLDER("is a folder", 4) {
      @Override
      Path make(Path folder) throws Exception {
        return Files.createDirectory(folder.resolve("memory.db"));
      }
    },
    OTHER_APPLICATION("not a memstore file", 4) {
      @Override
      Path make(Path folder) throws Exception {
        Path file = folder.resolve("memory.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
          connection.createStatement().execute("create table invoices (id integer, total real)");
          connection.createStatement().execute("insert into invoices values (1, 9.5)");
        }
        return file;
      }
    },
    NOT_A_DATABASE("is not an SQLite database", 4) {
      @Override
      Path make(Path folder) throws Exception {
        return Files.writeString(
            folder.resolve("memory.db"), "notes, not a database\n".repeat(500));
      }
    };

    final String message;
    final int exitCode;

    Anomaly(String message, int exitCode) {
      this.message = message;
      this.exitCode = exitCode;
    }

    abstract Path make(Path folder) throws Exception;

    static Path store(Path folder) {
      Path file = folder.resolve("memory.db");
      try (MemoryStore store = MemoryStore.builder(file).embeddingModel("none").build()) {
        for (int index = 0; index < 400; index++) {
          store.create(
              NewMemory.builder("memory " + index + " about the garden and the weather")
                  .tags("anomaly")
                  .build());
        }
      }
      return file;
    }
  }

  private static String fingerprint(Path path) throws Exception {
    if (Files.isDirectory(path)) {
      try (Stream<Path> entries = Files.list(path)) {
        return "folder " + entries.toList();
      }
    }
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    return java.util.HexFormat.of().formatHex(digest.digest(Files.readAllBytes(path)));
  }

  private void assertRefused(Anomaly anomaly, Supplier<MemoryStore> open) {
    MemoryStoreException refused =
        assertThrows(
            MemoryStoreException.class,
            () -> {
              try (MemoryStore store = open.get()) {
                store.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 0, 10);
              }
            });
    assertEquals(ErrorCode.STORAGE_ERROR, refused.code(), refused.getMessage());
    assertTrue(refused.getMessage().contains(anomaly.message), refused.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Anomaly.class)
  void open_anomalousFile_clearErrorAndBytesUntouched(Anomaly anomaly) throws Exception {
    Path file = anomaly.make(folder);
    String before = fingerprint(file);

    assertRefused(anomaly, () -> MemoryStore.builder(file).readOnly(true).build());
    assertRefused(anomaly, () -> MemoryStore.builder(file).createIfMissing(false).build());
    if (anomaly != Anomaly.EMPTY) {
      // An empty file holds nothing to lose: an open that may create a store sets one up in it.
      assertRefused(anomaly, () -> MemoryStore.builder(file).embeddingModel("none").build());
    }
    for (List<String> command : List.of(List.of("ls"), List.of("stats"))) {
      Run run =
          StoreOpenTest.memctl(
              Stream.concat(Stream.of("--db", file.toString()), command.stream())
                  .toArray(String[]::new));
      assertEquals(anomaly.exitCode, run.exitCode(), command + ": " + run);
      assertTrue(run.err().contains(anomaly.message), run.err());
      assertFalse(run.err().contains("Exception"), run.err());
      assertFalse(run.err().contains("\tat "), run.err());
    }
    assertEquals(before, fingerprint(file), "the bytes are untouched");
    assertFalse(Files.exists(folder.resolve("memory.db-wal")), "no log left beside it");
    assertFalse(Files.exists(folder.resolve("memory.db-shm")));
  }

  @ParameterizedTest
  @EnumSource(Anomaly.class)
  void memctlWriteCommand_anomalousFile_refusedAndBytesUntouched(Anomaly anomaly) throws Exception {
    Path file = anomaly.make(folder);
    String before = fingerprint(file);
    Run update =
        StoreOpenTest.memctl("--db", file.toString(), "update", "mem-absent", "--text", "new");
    assertEquals(anomaly.exitCode, update.exitCode(), update.toString());
    assertTrue(update.err().contains(anomaly.message), update.err());
    assertEquals(before, fingerprint(file), "the bytes are untouched");
  }
}
