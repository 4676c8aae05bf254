package dev.memstore.internal.codec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encodes a memory's text (and, when sealed, its metadata) for the {@code memories.content} column,
 * and a sealed memory's vector for {@code memory_embeddings.vector}. Thread-safe.
 *
 * <p>The encoding is a bit set kept beside the blob ({@code memories.content_encoding}): 0 plain
 * text, {@link #COMPRESSED} and {@link #SEALED}. Formats, each starting with the format version:
 *
 * <ul>
 *   <li>compressed: {@code [1] deflate(text)}, raw deflate of the UTF-8 text;
 *   <li>sealed: {@code [1] keyId(8) nonce(12) AES-256-GCM(payload)}, the payload being {@code
 *       length(4) text metadata} in UTF-8 (deflated first when also compressed), the associated
 *       data the memory id, what the blob holds and its encoding; so a blob copied to another row
 *       or another column, or with its encoding bits changed, fails to open.
 * </ul>
 *
 * A fresh random 96-bit nonce per encryption: with one key, the chance of a repeated nonce stays
 * negligible far beyond the number of writes a desktop store sees (NIST's bound is 2^32 per key).
 */
public final class ContentCodec {
  /** Encoding bit: the blob is deflated. */
  public static final int COMPRESSED = 1;

  /** Encoding bit: the blob is sealed with the store key and holds the metadata too. */
  public static final int SEALED = 2;

  /** The default compression threshold: 4 KiB of UTF-8. */
  public static final int DEFAULT_COMPRESSION_THRESHOLD = 4096;

  private static final byte FORMAT_VERSION = 1;
  private static final int NONCE_LENGTH = 12;
  private static final int TAG_BITS = 128;
  private static final int SEALED_HEADER = 1 + StoreKey.ID_LENGTH + NONCE_LENGTH;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A value as stored: the column's value (a String or a byte[]) and its encoding bits. */
  public record Encoded(Object content, int encoding, String metadata) {}

  /** A sealed blob opened: its text and metadata (JSON). */
  public record Opened(String text, String metadata) {}

  private final int compressionThreshold;
  // The first key seals; every key opens. Two keys only while a rotation runs.
  private volatile List<StoreKey> keys;

  /**
   * Creates a codec.
   *
   * @param compressionThreshold texts of more UTF-8 bytes than this are compressed; 0 never
   * @param keys the keys, the sealing one first; empty when the store has no key
   */
  public ContentCodec(int compressionThreshold, List<StoreKey> keys) {
    if (compressionThreshold < 0) {
      throw new IllegalArgumentException("compressionThreshold " + compressionThreshold);
    }
    this.compressionThreshold = compressionThreshold;
    this.keys = List.copyOf(keys);
  }

  /** Returns a codec that never compresses and has no key: plain text only. */
  public static ContentCodec plain() {
    return new ContentCodec(0, List.of());
  }

  /** Returns whether this codec has a key to seal with. */
  public boolean canSeal() {
    return !keys.isEmpty();
  }

  /** Returns the sealing key, or null. */
  public StoreKey sealingKey() {
    List<StoreKey> current = keys;
    return current.isEmpty() ? null : current.get(0);
  }

  /** Returns the ids of every key this codec holds, the sealing one first. */
  public List<String> keyIds() {
    return keys.stream().map(StoreKey::id).toList();
  }

  /** Makes {@code key} the sealing key, keeping the others for opening (a rotation starts). */
  public void sealWith(StoreKey key) {
    List<StoreKey> next = new ArrayList<>();
    next.add(key);
    keys.stream().filter(other -> !other.id().equals(key.id())).forEach(next::add);
    keys = List.copyOf(next);
  }

  /** Forgets every key but the sealing one (a rotation ended). */
  public void keepOnlySealingKey() {
    List<StoreKey> current = keys;
    keys = current.isEmpty() ? current : List.of(current.get(0));
  }

  /**
   * Returns the value to store for a memory's text: sealed (with the metadata) when asked, else
   * compressed when longer than the threshold and smaller so, else the text itself.
   *
   * @throws IllegalStateException when asked to seal without a key
   */
  public Encoded encode(String memoryId, String text, String metadataJson, boolean seal) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    boolean compress = compressionThreshold > 0 && utf8.length > compressionThreshold;
    if (!seal) {
      if (compress) {
        byte[] deflated = deflate(utf8, 1);
        deflated[0] = FORMAT_VERSION;
        if (deflated.length < utf8.length) {
          return new Encoded(deflated, COMPRESSED, metadataJson);
        }
      }
      return new Encoded(text, 0, metadataJson);
    }
    byte[] metadata = metadataJson.getBytes(StandardCharsets.UTF_8);
    byte[] payload =
        ByteBuffer.allocate(4 + utf8.length + metadata.length)
            .putInt(utf8.length)
            .put(utf8)
            .put(metadata)
            .array();
    int encoding = SEALED;
    if (compress) {
      byte[] deflated = deflate(payload, 0);
      if (deflated.length < payload.length) {
        Arrays.fill(payload, (byte) 0);
        payload = deflated;
        encoding |= COMPRESSED;
      }
    }
    byte[] blob = seal(payload, associatedData("content", memoryId, encoding));
    Arrays.fill(payload, (byte) 0);
    return new Encoded(blob, encoding, "{}");
  }

  /**
   * Returns the text of a stored value, or null when it is sealed under a key this codec lacks.
   *
   * @throws IllegalStateException when the blob is damaged or belongs to another memory
   */
  public String text(String memoryId, Object stored, int encoding) {
    if (encoding == 0) {
      return (String) stored;
    }
    if ((encoding & SEALED) == 0) {
      byte[] blob = (byte[]) stored;
      return new String(inflate(blob, 1), StandardCharsets.UTF_8);
    }
    Opened opened = open(memoryId, (byte[]) stored, encoding);
    return opened == null ? null : opened.text();
  }

  /**
   * Opens a sealed value: its text and metadata, or null when sealed under a key this codec lacks.
   *
   * @throws IllegalStateException when the blob is damaged or belongs to another memory
   */
  public Opened open(String memoryId, byte[] blob, int encoding) {
    byte[] payload = unseal(blob, associatedData("content", memoryId, encoding));
    if (payload == null) {
      return null;
    }
    if ((encoding & COMPRESSED) != 0) {
      payload = inflate(payload, 0);
    }
    ByteBuffer buffer = ByteBuffer.wrap(payload);
    int length = buffer.getInt();
    String text = new String(payload, 4, length, StandardCharsets.UTF_8);
    String metadata =
        new String(payload, 4 + length, payload.length - 4 - length, StandardCharsets.UTF_8);
    Arrays.fill(payload, (byte) 0);
    return new Opened(text, metadata);
  }

  /** Returns whether this codec holds the key a sealed blob is under. */
  public boolean opens(byte[] blob) {
    return keyFor(blob) != null;
  }

  /** Returns the id of the key a sealed blob is under, or null for a blob too short to say. */
  public static String keyIdOf(byte[] blob) {
    if (blob == null || blob.length < SEALED_HEADER) {
      return null;
    }
    return HexFormat.of().formatHex(blob, 1, 1 + StoreKey.ID_LENGTH);
  }

  /** Returns a sealed memory's vector (its little-endian floats) sealed under the sealing key. */
  public byte[] sealVector(String memoryId, byte[] vector) {
    return seal(vector, associatedData("vector", memoryId, SEALED));
  }

  /** Returns a sealed vector's floats, or null when sealed under a key this codec lacks. */
  public byte[] openVector(String memoryId, byte[] blob) {
    return unseal(blob, associatedData("vector", memoryId, SEALED));
  }

  private static byte[] associatedData(String kind, String memoryId, int encoding) {
    return ("memstore/" + kind + "/" + encoding + "/" + memoryId).getBytes(StandardCharsets.UTF_8);
  }

  private byte[] seal(byte[] plain, byte[] associatedData) {
    StoreKey key = sealingKey();
    if (key == null) {
      throw new IllegalStateException("sealing needs a store key");
    }
    byte[] nonce = new byte[NONCE_LENGTH];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(key.bytes(), "AES"),
          new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData);
      byte[] blob = new byte[SEALED_HEADER + cipher.getOutputSize(plain.length)];
      blob[0] = FORMAT_VERSION;
      System.arraycopy(key.idBytes(), 0, blob, 1, StoreKey.ID_LENGTH);
      System.arraycopy(nonce, 0, blob, 1 + StoreKey.ID_LENGTH, NONCE_LENGTH);
      cipher.doFinal(plain, 0, plain.length, blob, SEALED_HEADER);
      return blob;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed: " + e.getMessage(), e);
    }
  }

  private StoreKey keyFor(byte[] blob) {
    String id = keyIdOf(blob);
    if (id == null || blob[0] != FORMAT_VERSION) {
      return null;
    }
    for (StoreKey key : keys) {
      if (key.id().equals(id)) {
        return key;
      }
    }
    return null;
  }

  private byte[] unseal(byte[] blob, byte[] associatedData) {
    if (blob == null || blob.length < SEALED_HEADER || blob[0] != FORMAT_VERSION) {
      throw new IllegalStateException("a sealed value is damaged (no valid header)");
    }
    StoreKey key = keyFor(blob);
    if (key == null) {
      return null;
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key.bytes(), "AES"),
          new GCMParameterSpec(TAG_BITS, blob, 1 + StoreKey.ID_LENGTH, NONCE_LENGTH));
      cipher.updateAAD(associatedData);
      return cipher.doFinal(blob, SEALED_HEADER, blob.length - SEALED_HEADER);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "a sealed value does not open with key "
              + key.id()
              + ": it was damaged or moved from another memory",
          e);
    }
  }

  /** Deflates {@code input} into a new array that leaves {@code offset} bytes free in front. */
  private static byte[] deflate(byte[] input, int offset) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try {
      deflater.setInput(input);
      deflater.finish();
      ByteArrayOutputStream output = new ByteArrayOutputStream(input.length / 2 + 64);
      output.write(new byte[offset], 0, offset);
      byte[] buffer = new byte[8192];
      while (!deflater.finished()) {
        output.write(buffer, 0, deflater.deflate(buffer));
      }
      return output.toByteArray();
    } finally {
      deflater.end();
    }
  }

  private static byte[] inflate(byte[] input, int offset) {
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(input, offset, input.length - offset);
      ByteArrayOutputStream output = new ByteArrayOutputStream(input.length * 3);
      byte[] buffer = new byte[8192];
      while (!inflater.finished()) {
        int count = inflater.inflate(buffer);
        if (count == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new IllegalStateException("a compressed value is truncated");
        }
        output.write(buffer, 0, count);
      }
      return output.toByteArray();
    } catch (DataFormatException e) {
      throw new IllegalStateException("a compressed value is damaged: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }
}
