package dev.memstore.internal.cache;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one folder outside the store where memstore writes: copies of native libraries
 * (sqlite-jdbc's, sqlite-vec, onnxruntime's) and of the bundled models, kept between processes so
 * that a new process need not write them again, each verified before use.
 *
 * <p>Where: the folder named by the system property {@value #PROPERTY} or else the environment
 * variable {@value #ENVIRONMENT_VARIABLE}; else the platform's cache folder: {@code
 * $XDG_CACHE_HOME/memstore} or {@code ~/.cache/memstore} on Linux, {@code
 * ~/Library/Caches/memstore} on macOS, {@code %LOCALAPPDATA%\memstore\cache} on Windows. The folder
 * is made for this user alone (0700 where the file system has POSIX permissions) and used only if
 * it is a directory, not a link, owned by this user, that nobody else may enter.
 */
public final class CacheFolder {
  /** System property naming the cache folder. */
  public static final String PROPERTY = "memstore.cache.dir";

  /** Environment variable naming the cache folder, when the system property is not set. */
  public static final String ENVIRONMENT_VARIABLE = "MEMSTORE_CACHE_DIR";

  private static final Set<PosixFilePermission> PRIVATE =
      PosixFilePermissions.fromString("rwx------");

  private CacheFolder() {}

  /** Returns where the cache folder is for this process, whether or not it exists. */
  public static Path location() {
    return location(
        System.getProperty(PROPERTY),
        System.getenv(),
        System.getProperty("os.name", ""),
        System.getProperty("user.home", ""));
  }

  static Path location(String property, Map<String, String> environment, String os, String home) {
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    String variable = environment.get(ENVIRONMENT_VARIABLE);
    if (variable != null && !variable.isBlank()) {
      return Path.of(variable);
    }
    String name = os.toLowerCase(Locale.ROOT);
    if (name.startsWith("windows")) {
      String local = environment.get("LOCALAPPDATA");
      Path base =
          local == null || local.isBlank() ? Path.of(home, "AppData", "Local") : Path.of(local);
      return base.resolve("memstore").resolve("cache");
    }
    if (name.startsWith("mac") || name.startsWith("darwin")) {
      return Path.of(home, "Library", "Caches", "memstore");
    }
    String xdg = environment.get("XDG_CACHE_HOME");
    if (xdg != null && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "memstore");
    }
    return Path.of(home, ".cache", "memstore");
  }

  /** Returns the cache folder, made if missing; empty when it cannot be made or is not private. */
  public static Optional<Path> ready() {
    try {
      return ready(location());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Returns {@code folder}, made for this user alone if missing, when it is a directory (not a
   * link) owned by this user that nobody else may enter; empty otherwise.
   */
  static Optional<Path> ready(Path folder) throws IOException {
    folder = folder.toAbsolutePath();
    Files.createDirectories(folder.getParent());
    PosixFileAttributeView posix =
        Files.getFileAttributeView(folder.getParent(), PosixFileAttributeView.class);
    if (posix == null) {
      Files.createDirectories(folder); // Windows: the user's own profile folder
      return Optional.of(folder);
    }
    if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
      try {
        Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PRIVATE));
        // The umask may have taken permissions away, never added any; make them exact.
        Files.setPosixFilePermissions(folder, PRIVATE);
      } catch (FileAlreadyExistsException e) {
        // made by another process meanwhile: checked below like any other
      }
    }
    PosixFileAttributes attributes =
        Files.readAttributes(folder, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    boolean ours =
        attributes.isDirectory()
            && attributes.permissions().equals(PRIVATE)
            && attributes
                .owner()
                .equals(
                    folder
                        .getFileSystem()
                        .getUserPrincipalLookupService()
                        .lookupPrincipalByName(System.getProperty("user.name")));
    return ours ? Optional.of(folder) : Optional.empty();
  }
}
