package dev.memstore.internal.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the cache folder is on each platform, and that it is made for its user alone. */
class CacheFolderTest {
  @TempDir Path temporary;

  @Test
  void location_eachPlatformAndSetting() {
    assertEquals(
        Path.of("/home/sam/.cache/memstore"),
        CacheFolder.location(null, Map.of(), "Linux", "/home/sam"));
    assertEquals(
        Path.of("/xdg/memstore"),
        CacheFolder.location(null, Map.of("XDG_CACHE_HOME", "/xdg"), "Linux", "/home/sam"));
    assertEquals(
        Path.of("/home/sam/.cache/memstore"),
        CacheFolder.location(null, Map.of("XDG_CACHE_HOME", "relative"), "Linux", "/home/sam"));
    assertEquals(
        Path.of("/Users/sam/Library/Caches/memstore"),
        CacheFolder.location(null, Map.of(), "Mac OS X", "/Users/sam"));
    assertEquals(
        Path.of("C:\\Users\\sam\\AppData\\Local").resolve("memstore").resolve("cache"),
        CacheFolder.location(
            null, Map.of("LOCALAPPDATA", "C:\\Users\\sam\\AppData\\Local"), "Windows 11", "x"));
    assertEquals(
        Path.of("/chosen"),
        CacheFolder.location(
            null,
            Map.of(CacheFolder.ENVIRONMENT_VARIABLE, "/chosen", "XDG_CACHE_HOME", "/xdg"),
            "Linux",
            "/home/sam"));
    assertEquals(
        Path.of("/property"),
        CacheFolder.location(
            "/property", Map.of(CacheFolder.ENVIRONMENT_VARIABLE, "/chosen"), "Linux", "/home"));
  }

  @Test
  void ready_makesAFolderOnlyItsUserMayEnter() throws Exception {
    assumeTrue(Files.getFileAttributeView(temporary, PosixFileAttributeView.class) != null);
    Path folder = temporary.resolve("cache").resolve("memstore");
    assertEquals(Optional.of(folder), CacheFolder.ready(folder));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
    assertEquals(Optional.of(folder), CacheFolder.ready(folder), "reused");
  }

  @Test
  void ready_folderOthersMayEnterOrALink_notUsed() throws Exception {
    assumeTrue(Files.getFileAttributeView(temporary, PosixFileAttributeView.class) != null);
    Path open = Files.createDirectory(temporary.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertEquals(Optional.empty(), CacheFolder.ready(open));
    Path target = Files.createDirectory(temporary.resolve("target"));
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
    Path link = Files.createSymbolicLink(temporary.resolve("link"), target);
    assertEquals(Optional.empty(), CacheFolder.ready(link));
    assertTrue(Files.isDirectory(target));
  }
}
