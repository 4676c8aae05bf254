package dev.memstore.internal.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What user text becomes in a full-text query: words only, never FTS5 syntax. */
class KeywordQueryTest {
  @Test
  void words_lowerCasedLettersAndDigits_withoutStopWords_inFirstOrder() {
    assertEquals(
        List.of("user", "dog", "rex", "since", "2024", "café"),
        List.copyOf(KeywordQuery.words("The user's dog is REX (since 2024); the café, the dog!")));
  }

  @Test
  void of_quotesEachWordAndJoinsWithOr() {
    assertEquals(
        "\"near\" OR \"dog\" OR \"cats\"", KeywordQuery.of("NEAR dog AND NOT cats OR \"dog\""));
  }

  @Test
  void of_onlyStopWordsOrPunctuation_null() {
    assertNull(KeywordQuery.of("what is it?"));
    assertNull(KeywordQuery.of("*)(\"^:"));
    assertNull(KeywordQuery.of(""));
  }

  @Test
  void isStopWord_commonFunctionWordsOnly() {
    assertTrue(KeywordQuery.isStopWord("the"));
    assertTrue(KeywordQuery.isStopWord("wouldn"));
    assertFalse(KeywordQuery.isStopWord("coffee"));
    assertFalse(KeywordQuery.isStopWord("The"), "callers pass lower-case words");
  }
}
