package dev.memstore.internal.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.StorageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

class SqliteVecLoaderTest {
  @TempDir Path folder;

  private static final NativePlatform HERE = NativePlatform.current();

  @Test
  void resolve_fromJar_extractsVerifiedCopyAndItLoads() throws Exception {
    Path extension = new SqliteVecLoader(HERE, null, folder, "").resolve();
    assertTrue(extension.startsWith(folder), extension.toString());
    assertTrue(extension.getParent().getFileName().toString().startsWith("sqlite-vec-"));
    SQLiteConfig config = new SQLiteConfig();
    config.enableLoadExtension(true);
    try (Connection connection =
        DriverManager.getConnection("jdbc:sqlite::memory:", config.toProperties())) {
      SqliteVecLoader.loadInto(connection, extension);
      try (ResultSet version = connection.createStatement().executeQuery("select vec_version()")) {
        version.next();
        assertEquals("v0.1.9", version.getString(1));
      }
    }
  }

  @Test
  void resolve_extractedCopyDamaged_replacedByAVerifiedOne() throws Exception {
    Path extension = new SqliteVecLoader(HERE, null, folder, "").resolve();
    byte[] good = Files.readAllBytes(extension);
    Files.write(extension, new byte[] {1, 2, 3});
    Path again = new SqliteVecLoader(HERE, null, folder, "").resolve();
    assertEquals(extension, again);
    assertEquals(good.length, Files.size(again));
  }

  @Test
  void resolve_explicitPathProperty_usedFirst() throws Exception {
    Path extracted = new SqliteVecLoader(HERE, null, folder.resolve("a"), "").resolve();
    Path explicit = Files.copy(extracted, folder.resolve(extracted.getFileName()));
    assertEquals(
        explicit,
        new SqliteVecLoader(HERE, explicit.toString(), folder.resolve("b"), "").resolve());
  }

  @Test
  void resolve_explicitPathMissing_fallsBackToTheJar() {
    Path extension =
        new SqliteVecLoader(HERE, folder.resolve("nowhere/vec0.so").toString(), folder, "")
            .resolve();
    assertNotEquals(folder.resolve("nowhere/vec0.so"), extension);
  }

  @Test
  void resolve_unknownPlatform_oneExceptionNamingOsArchAndEveryPathTried() {
    NativePlatform plan9 = new NativePlatform("Plan9", "mips");
    Path explicit = folder.resolve("custom/vec0.so");
    Path libraryFolder = folder.resolve("lib");
    StorageException failure =
        assertThrows(
            StorageException.class,
            () ->
                new SqliteVecLoader(plan9, explicit.toString(), folder, libraryFolder.toString())
                    .resolve());
    String message = failure.getMessage();
    assertTrue(message.contains("os.name=Plan9"), message);
    assertTrue(message.contains("os.arch=mips"), message);
    assertTrue(message.contains("plan9-mips"), message);
    assertTrue(message.contains(explicit.toString()), message);
    assertTrue(message.contains("/dev/memstore/native/plan9-mips/vec0.so"), message);
    assertTrue(message.contains(libraryFolder.resolve("vec0.so").toString()), message);
    assertTrue(message.contains("-Dmemstore.sqlite-vec.path="), message);
  }

  @Test
  void resolve_disabled_refusesWithoutTryingAnything() {
    StorageException disabled =
        assertThrows(
            StorageException.class, () -> new SqliteVecLoader(HERE, "none", folder, "").resolve());
    assertTrue(disabled.getMessage().contains("disabled"), disabled.getMessage());
    assertEquals(0, folder.toFile().list().length, "nothing was extracted");
  }

  @Test
  void platform_folderNamesMatchTheJarLayout() {
    assertEquals("linux-x86_64", new NativePlatform("Linux", "amd64").folder());
    assertEquals("linux-aarch64", new NativePlatform("Linux", "aarch64").folder());
    assertEquals("osx-aarch64", new NativePlatform("Mac OS X", "aarch64").folder());
    assertEquals("osx-x86_64", new NativePlatform("Mac OS X", "x86_64").folder());
    assertEquals("windows-x86_64", new NativePlatform("Windows 11", "amd64").folder());
    assertEquals("vec0.dll", new NativePlatform("Windows 11", "amd64").libraryFileName());
    assertEquals("vec0.dylib", new NativePlatform("Mac OS X", "aarch64").libraryFileName());
  }

  @Test
  void jar_holdsAllFiveVerifiedPlatforms() {
    for (String resource :
        new String[] {
          "linux-x86_64/vec0.so",
          "linux-aarch64/vec0.so",
          "osx-x86_64/vec0.dylib",
          "osx-aarch64/vec0.dylib",
          "windows-x86_64/vec0.dll"
        }) {
      assertTrue(
          SqliteVecLoader.class.getResource("/dev/memstore/native/" + resource) != null,
          resource + " missing");
    }
  }
}
