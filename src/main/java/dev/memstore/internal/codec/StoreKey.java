package dev.memstore.internal.codec;

import dev.memstore.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * A store key: 32 random bytes, read from a key file that holds them raw or in base64. Its id, the
 * first 8 bytes of a SHA-256 of the key under a fixed label, names the key in every sealed blob's
 * header and serves as the store's key check value: it tells a wrong key at open and, a 256-bit key
 * being out of reach of guessing, reveals nothing usable about the key.
 */
public final class StoreKey {
  /** The length of a key in bytes (AES-256). */
  public static final int LENGTH = 32;

  /** The length of a key id in bytes. */
  static final int ID_LENGTH = 8;

  private final byte[] bytes;
  private final String id;
  private final Path source;

  StoreKey(byte[] bytes, Path source) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a store key has " + LENGTH + " bytes");
    }
    this.bytes = bytes.clone();
    this.source = source;
    this.id = HexFormat.of().formatHex(idBytes(bytes));
  }

  /** Returns a new random key (not written anywhere). */
  public static StoreKey random() {
    byte[] bytes = new byte[LENGTH];
    new SecureRandom().nextBytes(bytes);
    return new StoreKey(bytes, null);
  }

  /**
   * Reads a key file: 32 raw bytes, or their base64 (white space around it ignored). On POSIX
   * systems a file that the group or others may read or write is refused: a key others can read
   * protects nothing.
   *
   * @throws StorageException when the file is missing, unreadable, too open or holds no key
   */
  public static StoreKey read(Path keyFile) {
    Path path = keyFile.toAbsolutePath();
    if (!Files.isRegularFile(path)) {
      throw new StorageException("the key file " + path + " does not exist", null);
    }
    PosixFileAttributeView posix = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    byte[] content;
    try {
      if (posix != null) {
        Set<PosixFilePermission> open = EnumSet.copyOf(posix.readAttributes().permissions());
        open.retainAll(
            EnumSet.of(
                PosixFilePermission.GROUP_READ,
                PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.OTHERS_READ,
                PosixFilePermission.OTHERS_WRITE));
        if (!open.isEmpty()) {
          throw new StorageException(
              "the key file "
                  + path
                  + " may be read or written by other users ("
                  + PosixFilePermissions.toString(posix.readAttributes().permissions())
                  + "); make it private with chmod 600 "
                  + path
                  + " and open the store again",
              null);
        }
      }
      content = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new StorageException("cannot read the key file " + path + ": " + e.getMessage(), e);
    }
    try {
      return new StoreKey(decode(content, path), path);
    } finally {
      Arrays.fill(content, (byte) 0);
    }
  }

  private static byte[] decode(byte[] content, Path path) {
    if (content.length == LENGTH) {
      return content.clone();
    }
    String text = new String(content, StandardCharsets.US_ASCII).strip();
    try {
      byte[] decoded = Base64.getDecoder().decode(text);
      if (decoded.length == LENGTH) {
        return decoded;
      }
    } catch (IllegalArgumentException e) {
      // not base64: reported below like a wrong length
    }
    throw new StorageException(
        "the key file "
            + path
            + " holds no store key: it must hold 32 random bytes, raw or in base64"
            + " (memctl key new FILE writes one)",
        null);
  }

  /**
   * Writes this key, in base64, to a new file that only its owner may read and write.
   *
   * @throws StorageException when the file exists or cannot be written
   */
  public void writeNew(Path keyFile) {
    Path path = keyFile.toAbsolutePath();
    try {
      if (Files.getFileStore(path.getParent()).supportsFileAttributeView("posix")) {
        Files.createFile(
            path,
            PosixFilePermissions.asFileAttribute(
                EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
      } else {
        Files.createFile(path);
      }
      Files.writeString(path, Base64.getEncoder().encodeToString(bytes) + "\n");
    } catch (IOException e) {
      throw new StorageException("cannot write the key file " + path + ": " + e, e);
    }
  }

  /** Returns the key id, 16 hexadecimal digits. */
  public String id() {
    return id;
  }

  /** Returns the file the key was read from, or null for a key made in memory. */
  public Path source() {
    return source;
  }

  byte[] bytes() {
    return bytes;
  }

  byte[] idBytes() {
    return HexFormat.of().parseHex(id);
  }

  private static byte[] idBytes(byte[] key) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update("memstore store key id\u0000".getBytes(StandardCharsets.UTF_8));
      return Arrays.copyOf(digest.digest(key), ID_LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "StoreKey[" + id + "]"; // never the bytes
  }
}
