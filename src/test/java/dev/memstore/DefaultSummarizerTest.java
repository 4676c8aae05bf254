package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.memstore.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in summarizer, through {@link MemoryLifecycle#summarize}: its exact text, so that a
 * change to what it counts, quotes or leaves out is noticed.
 */
class DefaultSummarizerTest {
  private static final Instant START = Instant.parse("2026-03-01T10:15:00Z");

  @TempDir Path folder;
  private final MutableClock clock = new MutableClock(START);
  private MemoryStore store;

  @BeforeEach
  void open() {
    store =
        MemoryStore.builder(folder.resolve("memory.db"))
            .embeddingModel("none")
            .clock(clock)
            .maintenanceInterval(Duration.ZERO)
            .build();
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** Stores each text one minute after the previous one. */
  private List<String> storeEachMinute(String... contents) {
    List<String> ids = new ArrayList<>();
    for (String content : contents) {
      ids.add(store.create(NewMemory.builder(content).build()).id());
      clock.advance(Duration.ofMinutes(1));
    }
    return ids;
  }

  private Summary summarizeAll() {
    return store.lifecycle().summarize(MemoryFilter.builder().build());
  }

  @Test
  void summarize_oneMemory_singularCountItsTimeAndTheQuoteWithSpacesFoldedAndAPeriod() {
    List<String> ids = storeEachMinute("  Remember   to\n call   mum  ");

    Summary summary = summarizeAll();

    assertEquals(
        "1 memory from 2026-03-01 10:15 UTC to 2026-03-01 10:15 UTC. Key points: Remember to call"
            + " mum.",
        summary.text());
    assertEquals(1, summary.memoryCount());
    assertEquals(START, summary.from());
    assertEquals(START, summary.until());
    assertEquals(ids, summary.memoryIds());
  }

  @Test
  void summarize_sevenMemories_fivePointsInTheirOrderLeavingOutTheRepeatedTopic() {
    // Three memories about the garden share most of their words: the first is the most
    // representative, the other two are redundant with it, so the four other topics fill the
    // remaining points.
    List<String> ids =
        storeEachMinute(
            "Ada planted tomatoes in the garden",
            "Ada planted tomatoes in the garden today",
            "The car needs new tyres before winter",
            "Grandma's birthday dinner is on Sunday",
            "The dentist appointment moved to Tuesday",
            "Ada watered the tomatoes in the garden",
            "Piano lessons start next month");

    Summary summary = summarizeAll();

    assertEquals(
        "7 memories from 2026-03-01 10:15 UTC to 2026-03-01 10:21 UTC. Key points: Ada planted"
            + " tomatoes in the garden. The car needs new tyres before winter. Grandma's birthday"
            + " dinner is on Sunday. The dentist appointment moved to Tuesday. Piano lessons start"
            + " next month.",
        summary.text());
    assertEquals(7, summary.memoryCount());
    assertEquals(START, summary.from());
    assertEquals(START.plus(Duration.ofMinutes(6)), summary.until());
    assertEquals(ids, summary.memoryIds());
  }

  @Test
  void summarize_fewerThanFivePoints_quotesEveryMemoryThatHasWords() {
    storeEachMinute("Is it raining in Leeds?", "ok", "The bus leaves at seven!");

    assertEquals(
        "3 memories from 2026-03-01 10:15 UTC to 2026-03-01 10:17 UTC. Key points: Is it raining"
            + " in Leeds? The bus leaves at seven!",
        summarizeAll().text(),
        "ends of sentences kept, no period added after them; 'ok' has no word longer than two"
            + " letters and is not quoted");
  }

  @Test
  void summarize_onlyShortOrCommonWords_countAndTimeWithoutKeyPoints() {
    storeEachMinute("ok", "it is");

    assertEquals(
        "2 memories from 2026-03-01 10:15 UTC to 2026-03-01 10:16 UTC.", summarizeAll().text());
  }

  @Test
  void summarize_longMemory_quoteCutAtTwoHundredCharactersWithAnEllipsis() {
    String sentence = "the weekly grocery order includes apples, bread and cheese ";
    String content = sentence.repeat(5).strip();

    storeEachMinute(content);

    String text = summarizeAll().text();
    String quote = text.substring(text.indexOf("Key points: ") + "Key points: ".length());
    assertEquals(content.substring(0, 199).strip() + "\u2026", quote, "no period after the cut");
  }

  @Test
  void summarize_nothingMatches_saysSoWithoutTimes() {
    storeEachMinute("The car needs new tyres before winter");

    Summary summary = store.lifecycle().summarize(MemoryFilter.builder().userId("nobody").build());

    assertEquals("No memories to summarize.", summary.text());
    assertEquals(0, summary.memoryCount());
    assertNull(summary.from());
    assertNull(summary.until());
    assertEquals(List.of(), summary.memoryIds());
  }
}
