package dev.memstore.internal.vector;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Gives sqlite-jdbc a copy of its native library that outlives the process. Left to itself,
 * sqlite-jdbc writes its library from the jar to a new temporary file in every process, which took
 * 60 to 80 ms of the first open in a new process (1.1 MB written and read back). The copy sits in a
 * folder of the temp directory named after the library's checksum and size, and is compared with
 * the jar's bytes before each use. An application that chose a library itself ({@code
 * org.sqlite.lib.path} or {@code org.sqlite.lib.name} set) keeps it, and any problem here leaves
 * sqlite-jdbc to its own way.
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
    if (System.getProperty(PATH_PROPERTY) != null || System.getProperty(NAME_PROPERTY) != null) {
      return;
    }
    String name = LibraryLoaderUtil.getNativeLibName();
    String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name;
    try (InputStream input = LibraryLoaderUtil.class.getResourceAsStream(resource)) {
      if (input == null) {
        return; // no bundled library for this platform: sqlite-jdbc looks elsewhere
      }
      byte[] binary = input.readAllBytes();
      Path folder =
          Path.of(System.getProperty("java.io.tmpdir"))
              .resolve("memstore-sqlite-jdbc-" + NativeFiles.fingerprint(binary));
      Path library = NativeFiles.extract(binary, folder, name);
      System.setProperty(PATH_PROPERTY, library.getParent().toString());
      System.setProperty(NAME_PROPERTY, name);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.DEBUG, "sqlite-jdbc extracts its native library itself", e);
    }
  }
}
