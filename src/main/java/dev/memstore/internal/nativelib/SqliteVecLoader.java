package dev.memstore.internal.nativelib;

import dev.memstore.StorageException;
import dev.memstore.internal.cache.CacheFolder;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;

/**
 * Finds the sqlite-vec loadable extension for this platform, modelled on sqlite-jdbc's {@code
 * SQLiteJDBCLoader}.
 *
 * <p>Order: the file named by the system property {@value #PATH_PROPERTY}; then the binary packed
 * in the jar for this OS and architecture, verified against the jar's checksum manifest and
 * extracted to a folder named after its hash in the {@link CacheFolder} (or the temp directory when
 * the cache folder cannot be used; verified again after extraction, reused when intact); then
 * {@code vec0} in each folder of {@code java.library.path}. Each candidate is proven by loading it
 * into an in-memory database. When all fail, one exception names os.name, os.arch and every path
 * tried with the reason it failed.
 */
public final class SqliteVecLoader {
  /** System property naming an explicit extension file to load instead of the bundled one. */
  public static final String PATH_PROPERTY = "memstore.sqlite-vec.path";

  /**
   * The value of {@link #PATH_PROPERTY} that turns sqlite-vec off: the store then never loads
   * native extensions.
   */
  public static final String DISABLED = "none";

  /** The entry point of the extension; named explicitly so a renamed file still loads. */
  public static final String ENTRY_POINT = "sqlite3_vec_init";

  private static final String RESOURCE_ROOT = "/dev/memstore/native/";
  private static final String MANIFEST = RESOURCE_ROOT + "sqlite-vec.sha256";

  private static Path loaded;

  private final NativePlatform platform;
  private final String explicitPath;
  private final Path extractionRoot;
  private final String libraryPath;

  SqliteVecLoader(
      NativePlatform platform, String explicitPath, Path extractionRoot, String libraryPath) {
    this.platform = platform;
    this.explicitPath = explicitPath;
    this.extractionRoot = extractionRoot;
    this.libraryPath = libraryPath;
  }

  /**
   * Returns the path of a working sqlite-vec extension for this process, resolving it on first use.
   *
   * @throws StorageException naming OS, architecture and every path tried when none loads
   */
  public static synchronized Path extensionPath() {
    if (loaded == null) {
      loaded =
          new SqliteVecLoader(
                  NativePlatform.current(),
                  System.getProperty(PATH_PROPERTY),
                  CacheFolder.ready().orElse(Path.of(System.getProperty("java.io.tmpdir"))),
                  System.getProperty("java.library.path", ""))
              .resolve();
    }
    return loaded;
  }

  /** Loads the extension into a connection opened with extension loading enabled. */
  public static void loadInto(Connection connection, Path extension) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("select load_extension(?, ?)")) {
      statement.setString(1, extension.toString());
      statement.setString(2, ENTRY_POINT);
      statement.execute();
    }
  }

  Path resolve() {
    if (DISABLED.equals(explicitPath)) {
      throw new StorageException(
          "sqlite-vec is disabled (-D"
              + PATH_PROPERTY
              + "="
              + DISABLED
              + "); the store works without it",
          null);
    }
    List<String> attempts = new ArrayList<>();
    if (explicitPath == null || explicitPath.isBlank()) {
      attempts.add("system property " + PATH_PROPERTY + ": not set");
    } else {
      Optional<Path> explicit =
          tryLoad(Path.of(explicitPath), "system property " + PATH_PROPERTY, attempts);
      if (explicit.isPresent()) {
        return explicit.get();
      }
    }
    Optional<Path> extracted = extractFromJar(attempts);
    if (extracted.isPresent()) {
      return extracted.get();
    }
    for (String folder : libraryPath.split(File.pathSeparator)) {
      if (!folder.isBlank()) {
        Optional<Path> found =
            tryLoad(Path.of(folder, platform.libraryFileName()), "java.library.path", attempts);
        if (found.isPresent()) {
          return found.get();
        }
      }
    }
    throw new StorageException(
        "Could not load the sqlite-vec extension for os.name="
            + platform.osName()
            + ", os.arch="
            + platform.osArch()
            + " (platform folder "
            + platform.folder()
            + "). Tried:\n  - "
            + String.join("\n  - ", attempts)
            + "\nmemstore bundles sqlite-vec for linux-x86_64, linux-aarch64, osx-x86_64, osx-aarch64 and"
            + " windows-x86_64. On another platform, build sqlite-vec 0.1.9 and name the file with -D"
            + PATH_PROPERTY
            + "=/path/to/"
            + platform.libraryFileName()
            + ".",
        null);
  }

  private Optional<Path> extractFromJar(List<String> attempts) {
    String resource = RESOURCE_ROOT + platform.folder() + "/" + platform.libraryFileName();
    String label = "jar resource " + resource;
    try {
      byte[] binary = readResource(resource);
      if (binary == null) {
        attempts.add(label + ": not in the jar (no build for this platform)");
        return Optional.empty();
      }
      String expected = expectedChecksum(platform.folder());
      if (expected == null) {
        attempts.add(label + ": no checksum for " + platform.folder() + " in " + MANIFEST);
        return Optional.empty();
      }
      String actual = NativeFiles.sha256(binary);
      if (!actual.equals(expected)) {
        attempts.add(label + ": checksum " + actual + " does not match the manifest's " + expected);
        return Optional.empty();
      }
      Path target;
      try {
        target =
            NativeFiles.extract(
                binary,
                extractionRoot.resolve("sqlite-vec-" + expected.substring(0, 16)),
                platform.libraryFileName());
      } catch (NativeFiles.DifferentCopyException e) {
        attempts.add(e.getMessage());
        return Optional.empty();
      }
      return tryLoad(target, "extracted from " + resource, attempts);
    } catch (IOException e) {
      attempts.add(label + ": extraction to " + extractionRoot + " failed: " + e);
      return Optional.empty();
    }
  }

  private static Optional<Path> tryLoad(Path candidate, String origin, List<String> attempts) {
    Path absolute = candidate.toAbsolutePath();
    if (!Files.isRegularFile(absolute)) {
      attempts.add(absolute + " (" + origin + "): no such file");
      return Optional.empty();
    }
    SQLiteConfig config = new SQLiteConfig();
    config.enableLoadExtension(true);
    try (Connection connection =
        JDBC.createConnection("jdbc:sqlite::memory:", config.toProperties())) {
      loadInto(connection, absolute);
      return Optional.of(absolute);
    } catch (SQLException e) {
      attempts.add(absolute + " (" + origin + "): load failed: " + e.getMessage());
      return Optional.empty();
    }
  }

  private static byte[] readResource(String resource) throws IOException {
    try (InputStream input = SqliteVecLoader.class.getResourceAsStream(resource)) {
      return input == null ? null : input.readAllBytes();
    }
  }

  private static String expectedChecksum(String folder) throws IOException {
    byte[] manifest = readResource(MANIFEST);
    if (manifest == null) {
      return null;
    }
    for (String line : new String(manifest, StandardCharsets.UTF_8).split("\n")) {
      String[] columns = line.strip().split("\\s+");
      if (columns.length == 4 && !columns[0].startsWith("#") && columns[1].equals(folder)) {
        return columns[3];
      }
    }
    return null;
  }
}
