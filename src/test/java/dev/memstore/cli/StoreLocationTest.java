package dev.memstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreLocationTest {
  private static final Path HOME = Path.of("/home/sam");

  private static StoreLocation location(Map<String, String> environment, String osName) {
    return new StoreLocation(environment::get, osName, HOME);
  }

  @Test
  void resolve_flagGiven_winsOverEnvironment() {
    StoreLocation location = location(Map.of("MEMSTORE_DB", "/env/memory.db"), "Linux");
    assertEquals(Path.of("/flag/memory.db"), location.resolve(Path.of("/flag/memory.db")));
  }

  @Test
  void resolve_environmentSet_winsOverDefault() {
    StoreLocation location =
        location(Map.of("MEMSTORE_DB", "/env/memory.db", "XDG_DATA_HOME", "/xdg"), "Linux");
    assertEquals(Path.of("/env/memory.db"), location.resolve(null));
  }

  @Test
  void resolve_environmentBlank_usesDefault() {
    StoreLocation location = location(Map.of("MEMSTORE_DB", "  "), "Linux");
    assertEquals(Path.of("/home/sam/.local/share/memstore/memory.db"), location.resolve(null));
  }

  /** Issue 13: the home folder came from the password file even when $HOME said otherwise. */
  @Test
  void home_environmentWinsOverUserHome() {
    assertEquals(
        Path.of("/tmp/elsewhere"),
        StoreLocation.home(Map.of("HOME", "/tmp/elsewhere")::get, "/home/sam"));
  }

  @Test
  void home_unsetBlankOrRelative_usesUserHome() {
    assertEquals(
        Path.of("/home/sam"), StoreLocation.home(Map.<String, String>of()::get, "/home/sam"));
    assertEquals(Path.of("/home/sam"), StoreLocation.home(Map.of("HOME", " ")::get, "/home/sam"));
    assertEquals(Path.of("/home/sam"), StoreLocation.home(Map.of("HOME", "rel")::get, "/home/sam"));
  }

  @Test
  void platformDefault_linuxWithXdgDataHome() {
    StoreLocation location = location(Map.of("XDG_DATA_HOME", "/data/sam"), "Linux");
    assertEquals(Path.of("/data/sam/memstore/memory.db"), location.resolve(null));
  }

  @Test
  void platformDefault_linuxWithRelativeXdgDataHome_ignoresIt() {
    StoreLocation location = location(Map.of("XDG_DATA_HOME", "relative"), "Linux");
    assertEquals(Path.of("/home/sam/.local/share/memstore/memory.db"), location.resolve(null));
  }

  @Test
  void platformDefault_macOs() {
    assertEquals(
        HOME.resolve("Library/Application Support/memstore/memory.db"),
        location(Map.of(), "Mac OS X").resolve(null));
  }

  @Test
  void platformDefault_windows_usesLocalAppData() {
    String localAppData = "C:\\Users\\sam\\AppData\\Local";
    assertEquals(
        Path.of(localAppData).resolve("memstore").resolve("memory.db"),
        location(Map.of("LOCALAPPDATA", localAppData), "Windows 11").resolve(null));
  }

  @Test
  void platformDefault_windowsWithoutLocalAppData_usesHome() {
    assertEquals(
        HOME.resolve("AppData").resolve("Local").resolve("memstore").resolve("memory.db"),
        location(Map.of(), "Windows 11").resolve(null));
  }
}
