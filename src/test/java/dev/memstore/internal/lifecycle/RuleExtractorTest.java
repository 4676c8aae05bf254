package dev.memstore.internal.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.memstore.CandidateFact;
import dev.memstore.ExtractedFact;
import dev.memstore.FactAction;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guards of the rule-based extractor, one statement each; the labelled set
 * (ExtractorPrecisionTest) measures the phrasings as a whole.
 */
class RuleExtractorTest {
  private final RuleExtractor rules = new RuleExtractor();

  private static final List<CandidateFact> BERLIN =
      List.of(
          new CandidateFact(
              "m2", "user:home_city", "The user lives in Berlin.", Instant.ofEpochSecond(2)),
          new CandidateFact(
              "m1", "user:name", "The user's name is Ada.", Instant.ofEpochSecond(1)));

  private String key(String text) {
    List<ExtractedFact> facts = rules.extract(text, null);
    return facts.isEmpty() ? null : facts.get(0).factKey();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "I live in Lisbon.|user:home_city",
        "I moved to Berlin last year.|user:home_city",
        "My new phone number is 0151 234 56789.|user:phone",
        "My email is rosa.m@example.org.|user:email",
        "I changed my name to Robin.|user:name",
        "My favourite colour is teal.|user:favorite:color",
        "I don't like coffee anymore.|user:preference:coffee",
        "My wife is Hana.|user:partner",
        "I'm allergic to peanuts.|user:allergy:peanuts"
      })
  void extract_coveredPhrasing_keyed(String text, String key) {
    assertEquals(key, key(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Do I live in Lisbon?",
        "If I moved to Rome, I'd learn Italian.",
        "My sister lives in Madrid.",
        "My name is Batman, haha.",
        "She said I live in Berlin now.",
        "I live in a tiny flat.",
        "I work at night.",
        "I love it when it rains.",
        "My number is seven.",
        "I'm not vegetarian.",
        "I just turned 3 pages.",
        "I was born in May.",
        "I'm seeing Dr. Patel tomorrow.",
        "Ten years ago I moved to Berlin."
      })
  void extract_nearMiss_noKey(String text) {
    assertNull(key(text));
  }

  @Test
  void extract_endingPhrasing_delete() {
    ExtractedFact fact = rules.extract("We broke up.", null).get(0);
    assertEquals("user:partner", fact.factKey());
    assertEquals(FactAction.DELETE, fact.action());
  }

  @Test
  void decide_correction_updatesTheFactStatedLast() {
    ExtractedFact fact = rules.decide("Actually, it's Munich.", null, "user", BERLIN).get(0);
    assertEquals("The user lives in Munich.", fact.content());
    assertEquals(FactAction.UPDATE, fact.action());
    assertEquals("m2", fact.targetMemoryId());
  }

  @Test
  void decide_correctionOfTheWrongShape_nothing() {
    assertEquals(List.of(), rules.decide("Actually, it's raining here.", null, "user", BERLIN));
  }

  @Test
  void decide_correctionWithoutCandidates_nothing() {
    assertEquals(List.of(), rules.decide("Actually, it's Munich.", null, "user", List.of()));
  }

  @Test
  void decide_changeInASession_keyedWithTheUsersId() {
    ExtractedFact fact =
        rules
            .decide(
                "I moved to Munich.",
                null,
                "user-9",
                List.of(
                    new CandidateFact(
                        "m5", "user-9:home_city", "The user lives in Berlin.", Instant.EPOCH)))
            .get(0);
    assertEquals("user-9:home_city", fact.factKey());
    assertEquals(FactAction.UPDATE, fact.action());
    assertEquals("m5", fact.targetMemoryId());
  }
}
