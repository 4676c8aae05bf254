package dev.memstore.internal.nativelib;

import dev.memstore.MemoryStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in a new JVM: opens a store, then prints the file that sqlite-jdbc's native library was
 * mapped from (Linux's /proc/self/maps) or {@code none}. Argument: database file.
 */
public final class SqliteJdbcLibraryProbe {
  private SqliteJdbcLibraryProbe() {}

  public static void main(String[] arguments) throws Exception {
    try (MemoryStore store = MemoryStore.open(Path.of(arguments[0]))) {
      store.file().stats();
    }
    System.out.println(
        Files.readAllLines(Path.of("/proc/self/maps")).stream()
            .filter(line -> line.contains("sqlitejdbc"))
            .map(line -> line.substring(line.indexOf('/')))
            .findFirst()
            .orElse("none"));
  }
}
