package dev.memstore.internal.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kept copies of jar resources in a cache folder on a real file system. */
class KeptFilesTest {
  @TempDir Path temporary;

  /** A small resource inside a jar of the test class path. */
  private static final String JAR_RESOURCE = "ai/onnxruntime/platform/Fp16Conversions.class";

  @Test
  void copies_fromAJar_givesTheSameBytesAndReusesThem() throws Exception {
    Path folder =
        KeptFiles.copies(temporary.resolve("memstore"), "test", List.of(JAR_RESOURCE))
            .orElseThrow();
    Path copy = folder.resolve("Fp16Conversions.class");
    assertArrayEquals(resourceBytes(JAR_RESOURCE), Files.readAllBytes(copy));
    long written = Files.getLastModifiedTime(copy).toMillis();
    Thread.sleep(20);
    assertEquals(
        folder,
        KeptFiles.copies(temporary.resolve("memstore"), "test", List.of(JAR_RESOURCE))
            .orElseThrow());
    assertEquals(written, Files.getLastModifiedTime(copy).toMillis(), "an intact copy is reused");
  }

  @Test
  void copies_damagedCopy_replaced() throws Exception {
    Path folder =
        KeptFiles.copies(temporary.resolve("memstore"), "test", List.of(JAR_RESOURCE))
            .orElseThrow();
    Path copy = folder.resolve("Fp16Conversions.class");
    byte[] original = Files.readAllBytes(copy);
    original[original.length / 2] ^= 1; // same size, one bit off
    Files.write(copy, original);
    KeptFiles.copies(temporary.resolve("memstore"), "test", List.of(JAR_RESOURCE)).orElseThrow();
    assertArrayEquals(resourceBytes(JAR_RESOURCE), Files.readAllBytes(copy));
  }

  @Test
  void copies_folderOthersMayEnter_notUsed() throws Exception {
    assumeTrue(Files.getFileAttributeView(temporary, PosixFileAttributeView.class) != null);
    Path root = temporary.resolve("memstore");
    Files.createDirectory(
        root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertEquals(
        Optional.empty(),
        KeptFiles.copies(temporary.resolve("memstore"), "test", List.of(JAR_RESOURCE)));
    try (var files = Files.list(root)) {
      assertEquals(0, files.count(), "nothing written into it");
    }
  }

  @Test
  void copies_resourceOutsideAJarOrMissing_empty() throws Exception {
    // This test's own class is a file of a folder on the class path, not a jar entry.
    String ownClass = KeptFilesTest.class.getName().replace('.', '/') + ".class";
    assertEquals(
        Optional.empty(),
        KeptFiles.copies(temporary.resolve("memstore"), "test", List.of(ownClass)));
    assertEquals(
        Optional.empty(),
        KeptFiles.copies(temporary.resolve("memstore"), "test", List.of("no/such/resource.bin")));
    try (var files = Files.list(temporary)) {
      assertEquals(0, files.count(), "no folder made for what cannot be kept");
    }
  }

  private static byte[] resourceBytes(String resource) throws Exception {
    try (InputStream input = KeptFilesTest.class.getClassLoader().getResourceAsStream(resource)) {
      return input.readAllBytes();
    }
  }
}
