package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.internal.storage.Vectors;
import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.StoredVectors;
import dev.memstore.testing.WordHashEmbedder;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The file's health, repair and copies, on a real file. */
class StoreFileTest {
  private static final int DIMENSION = 32;

  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withWordHashModel("word-hash", DIMENSION);

  private final MemoryStore store = stores.store();

  /** Another process wrote vectors of another model for every fifth memory. */
  @Test
  void health_findsVectorsOfAnotherModel_andRepairEmbedsThemAgain() throws Exception {
    List<Memory> memories = new ArrayList<>();
    for (int index = 0; index < 150; index++) {
      memories.add(
          store.create(NewMemory.of("note number " + index + " about topic " + index % 7)));
    }
    store.file().checkpoint();
    List<Memory> foreign = new ArrayList<>();
    for (int index = 0; index < memories.size(); index += 5) {
      foreign.add(memories.get(index));
    }
    writeForeignVectors(foreign);
    StoreHealth full = store.file().health(true);
    assertFalse(full.vectorsConsistent());
    assertEquals(Math.max(0.2, 1 - 0.2 * full.issues().size()), full.score(), 1e-9);
    assertTrue(full.score() < 1);
    assertTrue(
        full.issues().stream()
            .anyMatch(issue -> issue.startsWith("30 of 150 sampled memories have vectors")),
        full.issues()::toString);
    StoreHealth sampled = store.file().health();
    assertTrue(
        sampled.issues().stream().anyMatch(issue -> issue.contains(" of 20 sampled memories")),
        sampled.issues()::toString);

    StoreHealth repaired = store.file().repair();
    assertTrue(repaired.vectorsConsistent(), repaired.issues()::toString);
    assertEquals(List.of(), repaired.issues());
    WordHashEmbedder model = new WordHashEmbedder("word-hash", DIMENSION, 0);
    var vectors = store.embeddings().vectors(memories.stream().map(Memory::id).toList());
    for (Memory memory : memories) {
      assertTrue(
          StoredVectors.cosine(model.embed(memory.content()), vectors.get(memory.id())) > 0.999,
          memory.content());
    }
    assertTrue(store.file().health(true).vectorsConsistent());
  }

  /**
   * One foreign vector among 300: a sample of 20 memories finds it one time in 15, so repair must
   * look at every memory, not decide on a sample.
   */
  @Test
  void repair_replacesASingleForeignVectorAmongMany() throws Exception {
    List<Memory> memories = new ArrayList<>();
    for (int index = 0; index < 300; index++) {
      memories.add(store.create(NewMemory.of("entry " + index + " on subject " + index % 11)));
    }
    Memory foreign = memories.get(137);
    writeForeignVectors(List.of(foreign));
    assertFalse(store.file().health(true).vectorsConsistent());

    assertTrue(store.file().repair().issues().isEmpty());
    assertTrue(store.file().health(true).vectorsConsistent());
    float[] repaired = store.embeddings().vectors(List.of(foreign.id())).get(foreign.id());
    assertTrue(
        StoredVectors.cosine(
                new WordHashEmbedder("word-hash", DIMENSION, 0).embed(foreign.content()), repaired)
            > 0.999);
  }

  /**
   * A vector the caller gave need not come from the text (an image's, a LangChain4j embedding
   * without a segment): health does not report it and repair keeps it, also after an export and
   * import; a later text change without a vector hands the vector back to the store.
   */
  @Test
  void givenVectors_areKeptByRepair_throughExportAndImport_untilTheTextChanges() throws Exception {
    for (int index = 0; index < 30; index++) {
      store.create(NewMemory.of("plain note " + index));
    }
    float[] image = randomVector(new Random(11));
    float[] replaced = randomVector(new Random(12));
    Memory photo = store.create(NewMemory.builder("a photo of the beach").embedding(image).build());
    Memory drawing = store.create(NewMemory.of("a drawing of a cat"));
    store.update(drawing.id(), MemoryUpdate.builder().embedding(replaced).build());

    assertTrue(store.file().health(true).vectorsConsistent());
    assertEquals(List.of(), store.file().repair().issues());
    assertStoredVector(store, photo.id(), image);
    assertStoredVector(store, drawing.id(), replaced);

    StringWriter out = new StringWriter();
    store.file().exportTo(out, count -> {});
    MemoryStore copy = stores.open(stores.file("copy.db"));
    copy.file().importFrom(new StringReader(out.toString()), false, count -> {});
    assertEquals(List.of(), copy.file().repair().issues());
    assertStoredVector(copy, photo.id(), image);
    assertStoredVector(copy, drawing.id(), replaced);
    Memory plain = store.list(MemoryFilter.all(), MemorySort.OLDEST_FIRST, 0, 1).items().get(0);
    writeForeignVectors(stores.file("copy.db"), List.of(plain));
    assertFalse(
        copy.file().health(true).vectorsConsistent(), "an imported computed vector stays checked");
    assertTrue(copy.file().repair().vectorsConsistent());

    store.update(photo.id(), MemoryUpdate.builder().content("a photo of the harbour").build());
    writeForeignVectors(List.of(store.get(photo.id())));
    assertFalse(
        store.file().health(true).vectorsConsistent(),
        "a vector the store computed is checked against its text");
    store.file().repair();
    assertTrue(
        StoredVectors.cosine(
                new WordHashEmbedder("word-hash", DIMENSION, 0).embed("a photo of the harbour"),
                store.embeddings().vectors(List.of(photo.id())).get(photo.id()))
            > 0.999);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"yes\"", "null", "1"})
  void importFrom_embeddingGivenThatIsNotABoolean_isRefused(String value) {
    StringWriter out = new StringWriter();
    store.create(NewMemory.of("a note"));
    store.file().exportTo(out, count -> {});
    String export =
        out.toString().replace("\"history\"", "\"embedding_given\":" + value + ",\"history\"");
    MemoryStore copy = stores.open(stores.file("copy.db"));
    ValidationException refused =
        assertThrows(
            ValidationException.class,
            () -> copy.file().importFrom(new StringReader(export), false, count -> {}));
    assertTrue(
        refused.getMessage().contains("embedding_given must be true or false"),
        refused.getMessage());
    assertEquals(0, copy.file().stats().totalMemories());
  }

  private static void assertStoredVector(MemoryStore store, String id, float[] expected) {
    float[] stored = store.embeddings().vectors(List.of(id)).get(id);
    assertTrue(StoredVectors.cosine(expected, stored) > 0.999999, id);
  }

  private static float[] randomVector(Random random) {
    float[] vector = new float[DIMENSION];
    for (int dimension = 0; dimension < DIMENSION; dimension++) {
      vector[dimension] = (float) random.nextGaussian();
    }
    return vector;
  }

  /** Another process overwrites these memories' vectors with random ones. */
  private void writeForeignVectors(List<Memory> memories) throws Exception {
    writeForeignVectors(stores.file(), memories);
  }

  private static void writeForeignVectors(Path file, List<Memory> memories) throws Exception {
    Random random = new Random(5);
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        PreparedStatement update =
            connection.prepareStatement(
                "update memory_embeddings set vector = ?"
                    + " where memory_seq = (select seq from memories where id = ?)")) {
      connection.createStatement().execute("pragma busy_timeout = 5000");
      for (Memory memory : memories) {
        update.setBytes(1, Vectors.toBytes(randomVector(random)));
        update.setString(2, memory.id());
        assertEquals(1, update.executeUpdate());
      }
    }
  }

  @Test
  void repairAndOptimize_ofAReadOnlyStore_areRefused() {
    store.create(NewMemory.of("a note"));
    store.close();
    MemoryStore readOnly = stores.open(builder -> builder.readOnly(true));
    assertTrue(
        assertThrows(ReadOnlyStoreException.class, () -> readOnly.file().repair())
            .getMessage()
            .endsWith("nothing was repaired"));
    assertTrue(
        assertThrows(ReadOnlyStoreException.class, () -> readOnly.file().optimize(false))
            .getMessage()
            .endsWith("nothing was optimized"));
  }

  /** A read counts at once: exports, backups, checkpoints and optimizations carry it. */
  @Test
  void copies_carryTheReadsCountedBeforeThem() throws Exception {
    Memory memory = store.create(NewMemory.of("the garage code"));
    List<Consumer<MemoryStore>> copies =
        List.of(
            each -> each.file().checkpoint(),
            each -> each.file().optimize(false),
            each -> each.file().backup(stores.file("backup-" + System.nanoTime() + ".db")));
    long expected = 0;
    for (Consumer<MemoryStore> copy : copies) {
      store.get(memory.id());
      expected++;
      copy.accept(store);
      assertEquals(expected, accessCount(stores.file(), memory.id()));
    }
    store.get(memory.id());
    StringWriter export = new StringWriter();
    store.file().exportTo(export, null);
    assertTrue(export.toString().contains("\"access_count\":" + (expected + 1)), export.toString());
  }

  private static long accessCount(Path file, String memoryId) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        PreparedStatement query =
            connection.prepareStatement("select access_count from memories where id = ?")) {
      query.setString(1, memoryId);
      try (ResultSet row = query.executeQuery()) {
        return row.getLong(1);
      }
    }
  }

  /**
   * An import embeds what it brings without a vector when the store has a model, and says how many
   * still wait when it has none; a read-only store refuses it.
   */
  @Test
  void import_embedsWhatItCan_andCountsWhatWaits() {
    MemoryStore source = withoutModel(stores.file("source.db"));
    for (int index = 0; index < 3; index++) {
      source.create(NewMemory.of("imported note " + index));
    }
    StringWriter export = new StringWriter();
    source.file().exportTo(export, null);

    MemoryStore withoutModel = withoutModel(stores.file("plain.db"));
    assertEquals(
        3,
        withoutModel
            .file()
            .importFrom(new StringReader(export.toString()), false, null)
            .awaitingEmbedding());
    TransferReport embedded =
        store.file().importFrom(new StringReader(export.toString()), false, null);
    assertEquals(3, embedded.memories());
    assertEquals(0, embedded.awaitingEmbedding());
    assertEquals(3, store.file().stats().embeddedMemories());
    store.close();
    MemoryStore readOnly = stores.open(builder -> builder.readOnly(true));
    assertTrue(
        assertThrows(
                ReadOnlyStoreException.class,
                () -> readOnly.file().importFrom(new StringReader(export.toString()), false, null))
            .getMessage()
            .endsWith("nothing was imported"));
  }

  private final List<MemoryStore> opened = new ArrayList<>();

  private MemoryStore withoutModel(Path file) {
    MemoryStore opening =
        MemoryStore.builder(file).clock(stores.clock()).embeddingModel("none").build();
    opened.add(opening);
    return opening;
  }

  @org.junit.jupiter.api.AfterEach
  void closeTheOthers() {
    opened.forEach(MemoryStore::close);
  }

  @Test
  void health_scoresOneLessAFifthPerIssue() {
    store.create(NewMemory.of("a note"));
    StoreHealth healthy = store.file().health();
    assertEquals(1.0, healthy.score());
    assertEquals(List.of(), healthy.issues());
  }
}
