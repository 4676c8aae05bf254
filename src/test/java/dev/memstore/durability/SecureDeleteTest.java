package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryUpdate;
import dev.memstore.NewMemory;
import dev.memstore.Session;
import dev.memstore.testing.RawDatabase;
import dev.memstore.testing.WordHashEmbedder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deleted memory must not linger in the file people copy around: not its text, not its words in
 * the full-text index, not its tags or metadata, not its old versions in the history, not its
 * embedding's bytes.
 */
class SecureDeleteTest {
  private static final List<String> SECRETS =
      List.of("zanzibarqux", "pelicanhorn", "flamingotag", "quokkavalue", "xylophonequartz");

  @TempDir Path folder;

  private final float[] vector = BatchWriter.randomVector(new Random(42));

  private static String fileText(Path file) throws Exception {
    return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
  }

  private static String vectorWindow(float[] vector, int from) {
    ByteBuffer bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    for (int index = from; index < from + 4; index++) {
      bytes.putFloat(vector[index]);
    }
    return new String(bytes.array(), StandardCharsets.ISO_8859_1);
  }

  private Memory storeSecret(MemoryStore store) {
    for (int index = 0; index < 200; index++) {
      store.create(
          NewMemory.builder("an ordinary memory about the weather number " + index)
              .tags("weather")
              .build());
    }
    Memory secret =
        store.create(
            NewMemory.builder("xylophonequartz is the first version of the secret")
                .tags("flamingotag")
                .metadata(Map.of("note", "quokkavalue"))
                .embedding(vector)
                .build());
    store.update(
        secret.id(),
        MemoryUpdate.builder()
            .content("zanzibarqux met the pelicanhorn at noon")
            .embedding(vector)
            .build());
    for (int index = 0; index < 50; index++) {
      store.create(NewMemory.of("a later memory number " + index));
    }
    return secret;
  }

  @Test
  void delete_thenCheckpoint_noTraceOfTheMemoryInTheFile() throws Exception {
    Path file = folder.resolve("memory.db");
    try (MemoryStore store = MemoryStore.open(file)) {
      Memory secret = storeSecret(store);
      store.file().checkpoint();
      String before = fileText(file);
      assertTrue(
          before.contains("zanzibarqux") && before.contains(vectorWindow(vector, 100)),
          "the secret is in the file before the delete, so this test can see it");

      store.delete(secret.id(), true);
      store.file().checkpoint();

      String after = fileText(file);
      for (String secretWord : SECRETS) {
        assertFalse(after.contains(secretWord), secretWord + " is still in the file");
      }
      for (int from = 0; from + 4 <= vector.length; from += 4) {
        assertFalse(
            after.contains(vectorWindow(vector, from)), "embedding bytes at " + from + " remain");
      }
    }
  }

  @Test
  void delete_thenClose_noTraceOfTheMemoryInTheFile() throws Exception {
    Path file = folder.resolve("memory.db");
    try (MemoryStore store = MemoryStore.open(file)) {
      store.delete(storeSecret(store).id(), false);
    }
    String after = fileText(file);
    for (String secretWord : SECRETS) {
      assertFalse(after.contains(secretWord), secretWord + " is still in the file");
    }
    assertFalse(after.contains(vectorWindow(vector, 0)));
  }

  @Test
  void update_oldTextLeavesTheFullTextIndexAndStaysOnlyInHistory() throws Exception {
    Path file = folder.resolve("memory.db");
    try (MemoryStore store = MemoryStore.open(file)) {
      Memory secret = storeSecret(store);
      try (RawDatabase raw = RawDatabase.open(file)) {
        assertEquals(
            0,
            raw.number("select count(*) from memory_fts where memory_fts match 'xylophonequartz'"));
        assertEquals(
            1, raw.number("select count(*) from memory_fts where memory_fts match 'zanzibarqux'"));
      }
      assertTrue(
          store.history(secret.id()).stream()
              .anyMatch(
                  entry ->
                      String.valueOf(entry.changes().get("content")).contains("xylophonequartz")),
          "the history keeps the old version until the memory is deleted");
    }
  }

  @Test
  void delete_issue19_removesTheMemorysWordsFromTheSessionSummaryQuotingIt() throws Exception {
    Path file = folder.resolve("memory.db");
    try (MemoryStore store =
        MemoryStore.builder(file).embedder(new WordHashEmbedder("words", 8, 0)).build()) {
      Session session = store.sessions().create("ada", null, Map.of());
      Memory pin =
          store.create(
              NewMemory.builder("my bank card pin is quokkapin4817")
                  .sessionId(session.id())
                  .build());
      Memory kept =
          store.create(
              NewMemory.builder("the user walks the dog at seven").sessionId(session.id()).build());
      store.sessions().end(session.id(), null, false);
      Memory summary =
          store
              .list(
                  dev.memstore.MemoryFilter.builder().tagsAny(List.of("session_summary")).build(),
                  dev.memstore.MemorySort.NEWEST_FIRST,
                  0,
                  10)
              .items()
              .get(0);
      assertTrue(summary.content().contains("quokkapin4817"), "the summary quotes the pin");
      store.file().checkpoint();
      assertTrue(fileText(file).contains("quokkapin4817"));

      store.delete(pin.id(), false);
      store.file().checkpoint();

      assertFalse(fileText(file).contains("quokkapin4817"), "the pin is still in the file");
      Memory rebuilt = store.get(summary.id());
      assertTrue(rebuilt.content().contains("walks the dog"), rebuilt.content());
      assertEquals(1, ((Number) rebuilt.metadata().get("memory_count")).intValue());
      assertFalse(store.sessions().get(session.id()).summary().contains("quokkapin4817"));
      store.embeddings().embedPending();
      assertEquals(
          0, store.file().health().memoriesWithoutEmbedding(), "the rebuilt summary is embedded");

      store.delete(kept.id(), false);
      assertThrows(
          dev.memstore.MemoryNotFoundException.class,
          () -> store.get(summary.id()),
          "a summary of nothing left is deleted too");
    }
  }
}
