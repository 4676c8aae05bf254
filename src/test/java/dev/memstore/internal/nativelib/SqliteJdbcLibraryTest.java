package dev.memstore.internal.nativelib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.memstore.internal.cache.CacheFolder;
import dev.memstore.testing.ChildJvm;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.util.LibraryLoaderUtil;

/** Which copy of sqlite-jdbc's native library a new process loads, seen from /proc/self/maps. */
class SqliteJdbcLibraryTest {
  @TempDir Path folder;

  @BeforeEach
  void linuxOnly() {
    assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "needs Linux's /proc/self/maps");
  }

  @Test
  void open_inANewProcess_loadsAKeptCopyOfTheJarsLibrary() throws Exception {
    Path cache = folder.resolve("cache");
    List<String> options = List.of("-D" + CacheFolder.PROPERTY + "=" + cache);
    String first = probe(options);
    assertTrue(
        Path.of(first).startsWith(cache)
            && Path.of(first).getParent().getFileName().toString().startsWith("sqlite-jdbc-"),
        first);
    assertArrayEquals(jarLibrary(), Files.readAllBytes(Path.of(first)));
    long written = Files.getLastModifiedTime(Path.of(first)).toMillis();

    Files.writeString(Path.of(first), "damaged");
    String second = probe(options);
    assertEquals(first, second, "the same folder, its copy replaced");
    assertArrayEquals(jarLibrary(), Files.readAllBytes(Path.of(second)));

    String third = probe(options);
    assertEquals(first, third);
    assertEquals(
        Files.getLastModifiedTime(Path.of(second)).toMillis(),
        Files.getLastModifiedTime(Path.of(third)).toMillis(),
        "an intact copy is reused, not written again (first written at " + written + ")");
  }

  @Test
  void open_applicationChoseALibrary_keepsIt() throws Exception {
    Path chosen = Files.createDirectories(folder.resolve("chosen"));
    Files.write(chosen.resolve("libchosen-sqlitejdbc.so"), jarLibrary());
    String loaded =
        probe(
            List.of(
                "-Dorg.sqlite.lib.path=" + chosen,
                "-Dorg.sqlite.lib.name=libchosen-sqlitejdbc.so"));
    assertEquals(chosen.resolve("libchosen-sqlitejdbc.so").toString(), loaded);
  }

  private String probe(List<String> options) throws Exception {
    try (ChildJvm child =
        ChildJvm.start(
            folder,
            options,
            SqliteJdbcLibraryProbe.class,
            folder.resolve("memory-" + System.nanoTime() + ".db").toString())) {
      String line = child.nextLine(60, TimeUnit.SECONDS);
      assertEquals(0, child.waitFor(60, TimeUnit.SECONDS), child.errorOutput());
      assertNotNull(line, child.errorOutput());
      return line;
    }
  }

  private static byte[] jarLibrary() throws Exception {
    String resource =
        LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
    try (InputStream input = LibraryLoaderUtil.class.getResourceAsStream(resource)) {
      return input.readAllBytes();
    }
  }
}
