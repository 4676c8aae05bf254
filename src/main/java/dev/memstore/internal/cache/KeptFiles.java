package dev.memstore.internal.cache;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;

/**
 * Class-path resources that a dependency wants as files, kept between processes in the {@link
 * CacheFolder}: native libraries and the bundled models. Taken from their jars every time, they
 * cost a new process about 0.2 s before its first embedding (onnxruntime writes its 16 MB library
 * to a new temporary folder in every process, and a 23 to 34 MB model is inflated into memory). The
 * copies live under a folder named after the jar entries' CRC-32 and size, and are checked against
 * both before each use. Anything unexpected (a resource outside a jar, a cache folder that is not
 * private) leaves the caller to read the jar as before.
 */
public final class KeptFiles {
  private static final System.Logger LOG = System.getLogger(KeptFiles.class.getName());

  private KeptFiles() {}

  /** A resource inside a jar of the class path, with what its jar says of its content. */
  private record Entry(String resource, String fileName, long crc, long size, URL url) {}

  /**
   * Returns a folder that holds an intact copy of each resource under the resource's file name,
   * copying what is missing or damaged; empty when that cannot be done.
   */
  public static Optional<Path> copies(String name, List<String> resources) {
    return copies(CacheFolder.location(), name, resources);
  }

  /** As {@link #copies(String, List)}, in {@code cacheFolder}. */
  static synchronized Optional<Path> copies(Path cacheFolder, String name, List<String> resources) {
    try {
      List<Entry> entries = new ArrayList<>();
      long key = 17;
      for (String resource : resources) {
        Optional<Entry> entry = entry(resource);
        if (entry.isEmpty()) {
          return Optional.empty();
        }
        entries.add(entry.get());
        key = 31 * (31 * key + entry.get().crc()) + entry.get().size();
      }
      Optional<Path> root = CacheFolder.ready(cacheFolder);
      if (root.isEmpty()) {
        return Optional.empty();
      }
      Path folder = root.get().resolve(name + "-" + Long.toHexString(key));
      Files.createDirectories(folder);
      for (Entry entry : entries) {
        Path target = folder.resolve(entry.fileName());
        if (!intact(target, entry)) {
          copy(entry, target);
        }
      }
      return Optional.of(folder);
    } catch (IOException | RuntimeException e) {
      LOG.log(
          Level.DEBUG, "reading " + resources + " from the class path instead of kept copies", e);
      return Optional.empty();
    }
  }

  private static Optional<Entry> entry(String resource) throws IOException {
    URL url = KeptFiles.class.getClassLoader().getResource(resource);
    if (url == null) {
      return Optional.empty();
    }
    URLConnection connection = url.openConnection();
    if (!(connection instanceof JarURLConnection jar)) {
      return Optional.empty(); // a folder of classes: the file is there to be read already
    }
    JarEntry entry = jar.getJarEntry();
    if (entry == null || entry.getCrc() < 0 || entry.getSize() < 0) {
      return Optional.empty();
    }
    String fileName = resource.substring(resource.lastIndexOf('/') + 1);
    return Optional.of(new Entry(resource, fileName, entry.getCrc(), entry.getSize(), url));
  }

  private static boolean intact(Path file, Entry entry) throws IOException {
    return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
        && Files.size(file) == entry.size()
        && crc(file) == entry.crc();
  }

  private static long crc(Path file) throws IOException {
    CRC32 crc = new CRC32();
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (channel.read(buffer) >= 0) {
        buffer.flip();
        crc.update(buffer);
        buffer.clear();
      }
    }
    return crc.getValue();
  }

  /** Writes the resource beside the target and moves it into place once it checks out. */
  private static void copy(Entry entry, Path target) throws IOException {
    Path temporary = Files.createTempFile(target.getParent(), entry.fileName(), ".part");
    try {
      try (InputStream input = entry.url().openStream()) {
        Files.copy(input, temporary, StandardCopyOption.REPLACE_EXISTING);
      }
      if (!intact(temporary, entry)) {
        throw new IOException(entry.resource() + " did not match its jar entry once copied");
      }
      try {
        Files.move(
            temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
