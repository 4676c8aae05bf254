package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.memstore.testing.MemoryStoreExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A summarizer or extractor given to the builder is the one the store uses, not the default. */
class PluggableComponentsTest {
  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withWordHashModel("plug-test-model", 16).onSystemClock();

  @Test
  void summarizer_custom_writesSummariesOfSummarizeAndEndSession() {
    List<List<String>> asked = new CopyOnWriteArrayList<>();
    Summarizer counting =
        memories -> {
          asked.add(memories.stream().map(Memory::content).toList());
          return "custom summary of " + memories.size();
        };
    MemoryStore store = stores.open(builder -> builder.summarizer(counting));
    Session session = store.sessions().create(null, null, Map.of());
    store.create(NewMemory.builder("first turn").sessionId(session.id()).build());
    store.create(NewMemory.builder("second turn").sessionId(session.id()).build());

    Summary summary =
        store.lifecycle().summarize(MemoryFilter.builder().sessionId(session.id()).build());
    assertEquals("custom summary of 2", summary.text());
    Session ended = store.sessions().end(session.id(), null, false);
    assertEquals("custom summary of 2", ended.summary());
    assertEquals(
        List.of(List.of("first turn", "second turn"), List.of("first turn", "second turn")),
        asked,
        "given the memories oldest first, once per summary");
  }

  @Test
  void extractor_custom_itsFactsAreStoredAndTheDefaultRulesAreNot() {
    List<String> inputs = new CopyOnWriteArrayList<>();
    Extractor custom =
        (userInput, assistantResponse) -> {
          inputs.add(userInput + " | " + assistantResponse);
          return List.of(new ExtractedFact("The user keeps bees", MemoryType.SEMANTIC, 0.9));
        };
    MemoryStore store = stores.open(builder -> builder.extractor(custom));
    // The default rules would find "My name is Ada" and nothing about bees.
    LearnedInteraction learned =
        store.lifecycle().learnFromInteraction("My name is Ada", "Nice to meet you", null, null);

    assertEquals(List.of("My name is Ada | Nice to meet you"), inputs);
    assertEquals(
        List.of("The user keeps bees"), learned.facts().stream().map(Memory::content).toList());
    Memory fact = learned.facts().get(0);
    assertEquals(MemoryType.SEMANTIC, fact.type());
    assertEquals(0.9, fact.importance(), 1e-9);
    assertEquals(MemoryTier.LONG_TERM, fact.tier());
  }
}
