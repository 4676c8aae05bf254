package dev.memstore.internal.nativelib;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32;

/** Native libraries copied out of the jar once, into folders named after their content's hash. */
final class NativeFiles {
  private NativeFiles() {}

  /** The copy on disk does not hold the bytes it was written with. */
  static final class DifferentCopyException extends IOException {
    private static final long serialVersionUID = 1L;

    DifferentCopyException(String message) {
      super(message);
    }
  }

  /**
   * Returns {@code folder/fileName} holding exactly {@code binary}: the copy already there when it
   * holds the same bytes, else a new one written beside it and moved into place, so that processes
   * extracting at the same time never see half a file. Bytes are compared rather than hashed: in a
   * new process SHA-256 of a 1 MB library took 60 to 110 ms.
   */
  static Path extract(byte[] binary, Path folder, String fileName) throws IOException {
    Path target = folder.resolve(fileName);
    if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), binary)) {
      return target;
    }
    Files.createDirectories(folder);
    Path temporary = Files.createTempFile(folder, fileName, ".part");
    Files.write(temporary, binary);
    try {
      Files.move(
          temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Arrays.equals(Files.readAllBytes(target), binary)) {
      throw new DifferentCopyException(target + ": the extracted bytes differ from the jar's");
    }
    return target;
  }

  /** A short name for a binary's content, cheap enough for every process start. */
  static String fingerprint(byte[] binary) {
    CRC32 crc = new CRC32();
    crc.update(binary);
    return Long.toHexString(crc.getValue()) + "-" + binary.length;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
