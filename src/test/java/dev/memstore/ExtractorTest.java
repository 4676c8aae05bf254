package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SPI's default decision, for extractors that only find keyed facts, and its fact type. */
class ExtractorTest {
  private static final Extractor KEYS_ONLY =
      (userInput, response) ->
          List.of(
              new ExtractedFact(
                  "The user lives in " + userInput + ".",
                  MemoryType.SEMANTIC,
                  0.8,
                  "user:home_city"),
              new ExtractedFact("The user likes maps.", MemoryType.PREFERENCE, 0.5));

  private static CandidateFact candidate(String id, String key, String content) {
    return new CandidateFact(id, key, content, Instant.EPOCH);
  }

  @Test
  void decide_noCandidate_addsWithTheSubjectInTheKey() {
    List<ExtractedFact> facts = KEYS_ONLY.decide("Oslo", null, "user-1", List.of());

    assertEquals("user-1:home_city", facts.get(0).factKey());
    assertEquals(FactAction.ADD, facts.get(0).action());
    assertNull(facts.get(0).targetMemoryId());
    assertEquals(FactAction.ADD, facts.get(1).action(), "no key, nothing to decide");
  }

  @Test
  void decide_candidateWithAnotherValue_updatesIt() {
    List<ExtractedFact> facts =
        KEYS_ONLY.decide(
            "Oslo",
            null,
            "user-1",
            List.of(
                candidate("m2", "user-1:home_city", "The user lives in Bergen."),
                candidate("m1", "user-1:home_city", "The user lives in Paris.")));

    assertEquals(FactAction.UPDATE, facts.get(0).action());
    assertEquals("m2", facts.get(0).targetMemoryId(), "the newest of the key");
  }

  @Test
  void decide_candidateWithTheSameValue_none() {
    List<ExtractedFact> facts =
        KEYS_ONLY.decide(
            "Oslo",
            null,
            "user",
            List.of(candidate("m1", "user:home_city", "the user lives in oslo.")));

    assertEquals(FactAction.NONE, facts.get(0).action());
    assertEquals("m1", facts.get(0).targetMemoryId());
  }

  @Test
  void decide_candidateOfAnotherKey_adds() {
    List<ExtractedFact> facts =
        KEYS_ONLY.decide(
            "Oslo",
            null,
            "user",
            List.of(candidate("m1", "user:origin", "The user is from Oslo.")));

    assertEquals(FactAction.ADD, facts.get(0).action());
  }

  @Test
  void decide_deleteFromExtract_staysDeleteAgainstACandidate() {
    Extractor ending =
        (userInput, response) ->
            List.of(
                new ExtractedFact(
                    "The user is no longer with their partner.",
                    MemoryType.SEMANTIC,
                    0.8,
                    "user:partner",
                    FactAction.DELETE,
                    null));

    assertEquals(
        FactAction.DELETE,
        ending
            .decide("We broke up.", null, "user", List.of(candidate("m1", "user:partner", "Mia.")))
            .get(0)
            .action());
    assertEquals(
        FactAction.ADD, ending.decide("We broke up.", null, "user", List.of()).get(0).action());
  }

  @Test
  void extractedFact_malformed_refusedWithTheReason() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new ExtractedFact("x", MemoryType.SEMANTIC, 0.5, "no-colon"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ExtractedFact("x", MemoryType.SEMANTIC, 0.5, null, FactAction.ADD, "m1"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ExtractedFact("x", MemoryType.SEMANTIC, 0.5, null, FactAction.UPDATE, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new CandidateFact("m1", "user:\nname", "x", Instant.EPOCH));
  }
}
