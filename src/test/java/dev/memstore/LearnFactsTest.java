package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.internal.lifecycle.RuleExtractor;
import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.RawDatabase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * learnFromInteraction keys the facts it learns and lets the extractor decide against the user's
 * current facts. Until the store takes fact keys, the key and decision travel in the fact's fact
 * key, with the decision in the metadata ({@code fact_action}).
 */
class LearnFactsTest {
  @RegisterExtension final MemoryStoreExtension stores = MemoryStoreExtension.withoutModel();

  /** Records the candidates it is shown and decides with the rules. */
  private static final class Recording implements Extractor {
    final List<List<CandidateFact>> shown = new CopyOnWriteArrayList<>();
    final List<String> subjects = new CopyOnWriteArrayList<>();
    private final RuleExtractor rules = new RuleExtractor();

    @Override
    public List<ExtractedFact> extract(String userInput, String assistantResponse) {
      return rules.extract(userInput, assistantResponse);
    }

    @Override
    public List<ExtractedFact> decide(
        String userInput, String assistantResponse, String subject, List<CandidateFact> current) {
      shown.add(current);
      subjects.add(subject);
      return rules.decide(userInput, assistantResponse, subject, current);
    }
  }

  private Memory currentFact(MemoryStore store, String content, String userId, String key)
      throws Exception {
    return store.create(
        NewMemory.builder(content)
            .type(MemoryType.SEMANTIC)
            .tier(MemoryTier.LONG_TERM)
            .userId(userId)
            .factKey(key)
            .build());
  }

  @Test
  void learnFromInteraction_keyedPhrasingInASession_factKeyHasTheSessionsUser() {
    MemoryStore store = stores.store();
    Session session = store.sessions().create("user-12345", null, Map.of());
    LearnedInteraction learned =
        store.lifecycle().learnFromInteraction("I moved to Berlin.", null, session.id(), null);

    Memory fact = learned.facts().get(0);
    assertEquals("The user lives in Berlin.", fact.content());
    assertEquals("user-12345:home_city", fact.factKey());
    assertEquals("add", fact.metadata().get("fact_action"));
    assertEquals("user-12345", fact.userId());
  }

  @Test
  void learnFromInteraction_userIdAKeyCannotHold_subjectMadeFitAndTheMoveSupersedes() {
    MemoryStore store = stores.store();
    Session session = store.sessions().create("Ada Lovelace/home", null, Map.of());
    Memory paris =
        store
            .lifecycle()
            .learnFromInteraction("I live in Paris.", null, session.id(), null)
            .facts()
            .get(0);

    Memory berlin =
        store
            .lifecycle()
            .learnFromInteraction("I moved to Berlin.", null, session.id(), null)
            .facts()
            .get(0);

    assertEquals("ada_lovelace_home:home_city", berlin.factKey());
    assertEquals(berlin.id(), store.get(paris.id()).supersededBy(), "the move supersedes");
  }

  @Test
  void learnFromInteraction_noSession_factKeyHasTheSubjectUser() {
    LearnedInteraction learned =
        stores.store().lifecycle().learnFromInteraction("My name is Ada.", null, null, null);

    assertEquals("user:name", learned.facts().get(0).factKey());
  }

  @Test
  void learnFromInteraction_unsurePhrasing_factHasNoKey() {
    LearnedInteraction learned =
        stores.store().lifecycle().learnFromInteraction("I live in a tiny flat.", null, null, null);

    assertEquals("The user lives in a tiny flat.", learned.facts().get(0).content());
    assertEquals(null, learned.facts().get(0).factKey());
  }

  @Test
  void learnFromInteraction_currentFactOfTheKey_shownToTheExtractorAndUpdated() throws Exception {
    Recording recording = new Recording();
    MemoryStore store = stores.open(builder -> builder.extractor(recording));
    Session session = store.sessions().create("user-7", null, Map.of());
    Memory paris = currentFact(store, "The user lives in Paris.", "user-7", "user-7:home_city");
    currentFact(store, "The user lives in Rome.", "user-8", "user-8:home_city");

    LearnedInteraction learned =
        store.lifecycle().learnFromInteraction("I moved to Berlin.", null, session.id(), null);

    assertEquals(List.of("user-7"), recording.subjects);
    assertEquals(
        List.of(paris.id()), recording.shown.get(0).stream().map(CandidateFact::memoryId).toList());
    assertEquals("user-7:home_city", recording.shown.get(0).get(0).factKey());
    assertEquals("update", learned.facts().get(0).metadata().get("fact_action"));
    assertEquals("user-7:home_city", learned.facts().get(0).factKey());
  }

  @Test
  void learnFromInteraction_supersededFact_notACandidate() throws Exception {
    Recording recording = new Recording();
    MemoryStore store = stores.open(builder -> builder.extractor(recording));
    Memory paris = currentFact(store, "The user lives in Paris.", null, "user:home_city");
    try (RawDatabase raw = RawDatabase.open(stores.file())) {
      raw.execute("update memories set valid_to = 1 where id = '" + paris.id() + "'");
    }

    LearnedInteraction learned =
        store.lifecycle().learnFromInteraction("I moved to Berlin.", null, null, null);

    assertEquals(List.of(), recording.shown.get(0));
    assertEquals("add", learned.facts().get(0).metadata().get("fact_action"));
  }

  @Test
  void learnFromInteraction_correction_updatesTheFactStatedLast() throws Exception {
    MemoryStore store = stores.store();
    currentFact(store, "The user lives in Berlin.", null, "user:home_city");

    LearnedInteraction learned =
        store.lifecycle().learnFromInteraction("Actually, it's Munich.", null, null, null);

    assertEquals("The user lives in Munich.", learned.facts().get(0).content());
    assertEquals("update", learned.facts().get(0).metadata().get("fact_action"));
  }

  @Test
  void learnFromInteraction_endingPhrasing_storesTheEndWithTheKeyAsADelete() throws Exception {
    MemoryStore store = stores.store();
    currentFact(store, "The user's girlfriend is Mia.", null, "user:partner");

    LearnedInteraction learned =
        store.lifecycle().learnFromInteraction("We broke up.", null, null, null);

    Memory fact = learned.facts().get(0);
    assertEquals("The user is no longer with their partner.", fact.content());
    assertEquals("user:partner", fact.factKey());
    assertEquals("delete", fact.metadata().get("fact_action"));
  }

  @Test
  void learnFromInteraction_knownFact_reinforcesItInsteadOfStoring() throws Exception {
    MemoryStore store = stores.store();
    Memory paris = currentFact(store, "The user lives in Paris.", null, "user:home_city");

    LearnedInteraction learned =
        store.lifecycle().learnFromInteraction("I live in Paris.", null, null, null);

    assertEquals(List.of(paris.id()), learned.facts().stream().map(Memory::id).toList());
    assertTrue(learned.facts().get(0).importance() > paris.importance(), "reinforced");
    assertEquals(
        2,
        store.list(MemoryFilter.builder().build(), MemorySort.NEWEST_FIRST, 0, 10).totalCount(),
        "the fact and one exchange");
  }

  @Test
  void learnFromInteraction_extractorInventsATarget_storedAsAnAddedFact() {
    Extractor inventing =
        new Extractor() {
          @Override
          public List<ExtractedFact> extract(String userInput, String assistantResponse) {
            return List.of();
          }

          @Override
          public List<ExtractedFact> decide(
              String userInput, String response, String subject, List<CandidateFact> current) {
            return List.of(
                new ExtractedFact(
                    "The user lives in Oslo.",
                    MemoryType.SEMANTIC,
                    0.8,
                    subject + ":home_city",
                    FactAction.UPDATE,
                    "no-such-memory"),
                new ExtractedFact(
                    "The user likes fjords.",
                    MemoryType.PREFERENCE,
                    0.5,
                    null,
                    FactAction.NONE,
                    "no-such-memory"));
          }
        };
    MemoryStore store = stores.open(builder -> builder.extractor(inventing));

    LearnedInteraction learned =
        store.lifecycle().learnFromInteraction("Oslo it is.", null, null, null);

    assertEquals(
        List.of("The user lives in Oslo."), learned.facts().stream().map(Memory::content).toList());
    assertEquals("add", learned.facts().get(0).metadata().get("fact_action"));
  }
}
