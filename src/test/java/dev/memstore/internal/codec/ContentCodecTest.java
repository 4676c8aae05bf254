package dev.memstore.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContentCodecTest {
  private final StoreKey key = StoreKey.random();
  private final ContentCodec codec = new ContentCodec(100, List.of(key));

  @Test
  void encode_aboveThreshold_compressedAndReadBack() {
    String text = "a long text that repeats itself. ".repeat(20);

    ContentCodec.Encoded encoded = codec.encode("mem-1", text, "{}", false);

    assertEquals(ContentCodec.COMPRESSED, encoded.encoding());
    assertTrue(((byte[]) encoded.content()).length < text.length() / 4);
    assertEquals(text, codec.text("mem-1", encoded.content(), encoded.encoding()));
  }

  @Test
  void encode_atThresholdOrIncompressible_keptAsText() {
    String text = "x".repeat(100);
    assertEquals(0, codec.encode("mem-1", text, "{}", false).encoding());
    assertEquals(
        0, new ContentCodec(0, List.of()).encode("mem-1", text + text, "{}", false).encoding());
  }

  @Test
  void seal_largeText_compressedThenSealedWithMetadata() {
    String text = "my secret diary entry. ".repeat(30);

    ContentCodec.Encoded encoded = codec.encode("mem-1", text, "{\"a\":1}", true);

    assertEquals(ContentCodec.SEALED | ContentCodec.COMPRESSED, encoded.encoding());
    assertEquals("{}", encoded.metadata());
    ContentCodec.Opened opened =
        codec.open("mem-1", (byte[]) encoded.content(), encoded.encoding());
    assertEquals(text, opened.text());
    assertEquals("{\"a\":1}", opened.metadata());
    assertEquals(key.id(), ContentCodec.keyIdOf((byte[]) encoded.content()));
  }

  @Test
  void open_otherMemoryIdOrFlippedEncodingOrTamperedByte_fails() {
    ContentCodec.Encoded encoded = codec.encode("mem-1", "pin 4817", "{}", true);
    byte[] blob = (byte[]) encoded.content();

    assertThrows(IllegalStateException.class, () -> codec.open("mem-2", blob, 2));
    assertThrows(IllegalStateException.class, () -> codec.open("mem-1", blob, 3));
    byte[] tampered = blob.clone();
    tampered[tampered.length - 1] ^= 1;
    assertThrows(IllegalStateException.class, () -> codec.open("mem-1", tampered, 2));
  }

  @Test
  void open_withoutTheKey_null() {
    byte[] blob = (byte[]) codec.encode("mem-1", "pin 4817", "{}", true).content();

    assertNull(new ContentCodec(0, List.of(StoreKey.random())).open("mem-1", blob, 2));
    assertNull(ContentCodec.plain().text("mem-1", blob, 2));
  }

  @Test
  void sealVector_roundTripBoundToTheMemory() {
    byte[] vector = "sixteen bytes!!!".getBytes(StandardCharsets.US_ASCII);

    byte[] sealed = codec.sealVector("mem-1", vector);

    assertArrayEquals(vector, codec.openVector("mem-1", sealed));
    assertThrows(IllegalStateException.class, () -> codec.openVector("mem-2", sealed));
    assertThrows(
        IllegalStateException.class,
        () -> codec.open("mem-1", sealed, ContentCodec.SEALED),
        "a vector blob does not open as content");
  }

  @Test
  void encode_sealWithoutKey_refused() {
    assertThrows(
        IllegalStateException.class, () -> ContentCodec.plain().encode("mem-1", "x", "{}", true));
  }
}
