package dev.memstore.internal.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.memstore.MemoryType;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ContentKeysTest {
  /** Characters where the one-pass normalization and the regular expressions could part ways. */
  private static final String EDGES =
      " \t\n\u000B\f\r\u001C\u001D\u001E\u001F\u0000\u007F\u0085\u00A0\u2028\u2029\u3000"
          + ".!?,;:~-_#'\"aAzZmM09\u00C9\u00E9\uFB01\u2160\uFF21\uD83D\uDE00";

  @Test
  void normalize_randomTextsAgreeWithDefinition() {
    Random random = new Random(20261121);
    for (int round = 0; round < 200_000; round++) {
      int length = random.nextInt(12);
      StringBuilder text = new StringBuilder();
      for (int index = 0; index < length; index++) {
        // Mostly plain ASCII, so the one-pass path is taken often, with the edge characters mixed
        // in.
        text.append(
            random.nextInt(3) == 0
                ? EDGES.charAt(random.nextInt(EDGES.length()))
                : (char) (' ' + random.nextInt(95)));
      }
      String input = text.toString();
      assertEquals(
          ContentKeys.normalizeAny(input), ContentKeys.normalize(input), () -> escape(input));
    }
  }

  @Test
  void normalizePlainAscii_otherCharacters() {
    assertNotNull(ContentKeys.normalizePlainAscii("  I like TEA...\n\t "));
    assertNull(ContentKeys.normalizePlainAscii("tea\u001F"));
    assertNull(ContentKeys.normalizePlainAscii("caf\u00E9"));
    assertNull(ContentKeys.normalizePlainAscii("tea\u0085"));
  }

  @Test
  void normalize_examples() {
    assertEquals("i like tea", ContentKeys.normalize("  I like   tea. "));
    assertEquals("i like tea", ContentKeys.normalize("I\tlike\ntea?!"));
    assertEquals("", ContentKeys.normalize(" ...! "));
    assertEquals("wait... what", ContentKeys.normalize("Wait... what?"));
  }

  @Test
  void of_keysOfEarlierVersionsStayTheSame() {
    // Files hold these keys: a change of the normalization or the hash would miss duplicates.
    assertEquals(
        "vZD-fkcTrgIH_e-ApyCBYPXi",
        ContentKeys.of("I like tea.", MemoryType.PREFERENCE, "user-1", null));
    assertEquals(
        ContentKeys.of("I like tea.", MemoryType.PREFERENCE, "user-1", null),
        ContentKeys.of(" i  like TEA ", MemoryType.PREFERENCE, "user-1", null));
  }

  private static String escape(String text) {
    StringBuilder escaped = new StringBuilder();
    text.chars().forEach(character -> escaped.append(String.format("\\u%04X", character)));
    return escaped.toString();
  }
}
