package dev.memstore.internal.nativelib;

import dev.memstore.internal.cache.CacheFolder;
import dev.memstore.internal.cache.ScopedProperties;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Gives sqlite-jdbc a copy of its native library that outlives the process. Left to itself,
 * sqlite-jdbc writes its library from the jar to a new temporary file in every process, which took
 * 60 to 80 ms of the first open in a new process (1.1 MB written and read back). The copy sits in
 * the {@link CacheFolder}, in a folder named after the library's checksum and size, and is compared
 * with the jar's bytes before each use. sqlite-jdbc takes the library's folder and name from two
 * system properties when it loads it; they are set for that moment only (see {@link
 * ScopedProperties}). An application that chose a library itself ({@code org.sqlite.lib.path} or
 * {@code org.sqlite.lib.name} set) keeps it, and any problem here leaves sqlite-jdbc to its own
 * way.
 */
public final class SqliteJdbcLibrary {
  private static final System.Logger LOG = System.getLogger(SqliteJdbcLibrary.class.getName());
  private static final String PATH_PROPERTY = "org.sqlite.lib.path";
  private static final String NAME_PROPERTY = "org.sqlite.lib.name";

  private static boolean prepared;

  private SqliteJdbcLibrary() {}

  /** Call before the process's first SQLite connection; later calls do nothing. */
  public static synchronized void prepare() {
    if (prepared) {
      return;
    }
    prepared = true;
    Map<String, String> quiet =
        System.getProperty(SLF4J_VERBOSITY) == null ? Map.of(SLF4J_VERBOSITY, "ERROR") : Map.of();
    try {
      ScopedProperties.with(
          quiet, () -> ScopedProperties.with(keptLibrary(), SQLiteJDBCLoader::initialize));
    } catch (Exception e) {
      LOG.log(Level.DEBUG, "sqlite-jdbc loads its native library itself", e);
    }
  }

  /**
   * sqlite-jdbc logs through SLF4J when its API is on the class path, and SLF4J, if this is its
   * first use in the process and no backend is there, prints three warnings to standard error. They
   * are turned off while sqlite-jdbc loads; SLF4J reads the setting once, at that first use.
   */
  private static final String SLF4J_VERBOSITY = "slf4j.internal.verbosity";

  /** The properties that point sqlite-jdbc at a kept copy of its library, or none. */
  private static Map<String, String> keptLibrary() {
    if (System.getProperty(PATH_PROPERTY) != null || System.getProperty(NAME_PROPERTY) != null) {
      return Map.of();
    }
    String name = LibraryLoaderUtil.getNativeLibName();
    String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name;
    try (InputStream input = LibraryLoaderUtil.class.getResourceAsStream(resource)) {
      Optional<Path> cache = CacheFolder.ready();
      if (input == null || cache.isEmpty()) {
        return Map.of(); // no bundled library for this platform, or no cache folder
      }
      byte[] binary = input.readAllBytes();
      Path folder = cache.get().resolve("sqlite-jdbc-" + NativeFiles.fingerprint(binary));
      Path library = NativeFiles.extract(binary, folder, name);
      return Map.of(PATH_PROPERTY, library.getParent().toString(), NAME_PROPERTY, name);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.DEBUG, "sqlite-jdbc extracts its native library itself", e);
      return Map.of();
    }
  }
}
