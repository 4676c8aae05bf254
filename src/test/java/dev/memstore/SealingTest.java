package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.internal.codec.StoreKey;
import dev.memstore.internal.storage.KeyRotation;
import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.RawDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sensitive memories sealed with the store key, and content compressed above a threshold. */
class SealingTest {
  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withWordHashModel("words", 64);

  private Path key(String name) {
    Path file = stores.folder().resolve(name);
    StoreKey.random().writeNew(file);
    return file;
  }

  private MemoryStore openWith(Path keyFile) {
    return stores.open(builder -> builder.encryptionKey(keyFile));
  }

  private static Memory sealed(MemoryStore store, String text) {
    return store.create(
        NewMemory.builder(text)
            .metadata(Map.of("where", "the blue drawer"))
            .tags("secret")
            .sensitive(true)
            .build());
  }

  @Test
  void create_sensitive_readBackWithKeyAndStoredSealed() throws Exception {
    MemoryStore store = openWith(key("store.key"));
    Memory memory = sealed(store, "the alarm code is quetzalmarker");
    store.create(NewMemory.of("the alarm is in the hall"));

    Memory read = store.get(memory.id());
    assertTrue(read.sensitive());
    assertEquals("the alarm code is quetzalmarker", read.content());
    assertEquals(Map.of("where", "the blue drawer"), read.metadata());
    assertEquals(List.of("secret"), read.tags(), "tags stay in clear");
    store.file().checkpoint();
    try (RawDatabase raw = RawDatabase.open(stores.file())) {
      assertEquals(
          "blob|2|{}|1",
          raw.strings(
                  "select typeof(content) || '|' || content_encoding || '|' || metadata || '|'"
                      + " || sensitive from memories where id = '"
                      + memory.id()
                      + "'")
              .get(0));
      assertEquals(
          0, raw.number("select count(*) from memory_fts where memory_fts match 'quetzalmarker'"));
      assertEquals(1, raw.number("select count(*) from memory_embeddings where sealed = 1"));
      assertEquals(
          1, raw.number("select count(*) from memory_vectors"), "only the clear memory's vector");
      assertEquals(
          0,
          raw.number("select count(*) from memories where content_key is null and not sensitive"));
    }
  }

  @Test
  void search_sealedMemory_foundByKeywordAndMeaningThroughTheIndexInMemory() throws Exception {
    MemoryStore store = openWith(key("store.key"));
    Memory memory = sealed(store, "the alarm code is quetzalmarker");
    store.create(NewMemory.of("the garden needs water"));
    MemoryStore other = openWith(stores.folder().resolve("store.key"));

    for (MemoryStore reader : List.of(store, other)) {
      // Before the indexes are built the semantic side scans the file, opening sealed vectors.
      assertEquals(
          memory.id(),
          reader
              .search(
                  SearchQuery.builder("quetzalmarker alarm code").mode(SearchMode.SEMANTIC).build())
              .hits()
              .get(0)
              .memory()
              .id());
      dev.memstore.internal.search.SearchInternals.awaitIndexes(reader);
      for (SearchMode mode : SearchMode.values()) {
        SearchResult result =
            reader.search(SearchQuery.builder("quetzalmarker alarm code").mode(mode).build());
        assertEquals(memory.id(), result.hits().get(0).memory().id(), mode.toString());
      }
    }
  }

  @Test
  void open_withoutKey_sealedMemoryRefusedOthersWorkStatsCountIt() {
    MemoryStore store = openWith(key("store.key"));
    Memory memory = sealed(store, "the alarm code is quetzalmarker");
    Memory clear = store.create(NewMemory.of("the alarm is in the hall"));
    store.close();

    MemoryStore without = stores.open();
    PermissionDeniedException refused =
        assertThrows(PermissionDeniedException.class, () -> without.get(memory.id()));
    assertEquals("read", refused.action());
    assertEquals("memory is sealed and this store was opened without its key", refused.rule());
    assertEquals(ErrorCode.PERMISSION_DENIED, refused.code());
    assertEquals("the alarm is in the hall", without.get(clear.id()).content());
    assertEquals(
        List.of(clear.id()),
        without.list(MemoryFilter.all(), MemorySort.NEWEST_FIRST, 0, 10).items().stream()
            .map(Memory::id)
            .toList());
    for (SearchMode mode : SearchMode.values()) {
      assertTrue(
          without
              .search(SearchQuery.builder("quetzalmarker alarm code").mode(mode).build())
              .hits()
              .stream()
              .noneMatch(hit -> hit.memory().id().equals(memory.id())),
          mode.toString());
    }
    assertEquals(2, without.file().stats().totalMemories(), "stats count sealed memories");
    assertThrows(
        ValidationException.class,
        () -> without.create(NewMemory.builder("another secret").sensitive(true).build()),
        "sealing needs the key");
  }

  @Test
  void open_withAnotherKey_refusedWithTheKeyFileNamed() {
    MemoryStore store = openWith(key("store.key"));
    sealed(store, "the alarm code is quetzalmarker");
    store.close();
    Path wrong = key("wrong.key");

    PermissionDeniedException refused =
        assertThrows(
            PermissionDeniedException.class,
            () -> stores.builder().encryptionKey(wrong).build().close());
    assertTrue(refused.rule().contains("the key in " + wrong.toAbsolutePath()), refused.rule());
    assertTrue(refused.rule().contains("is not this store's key"), refused.rule());
  }

  @Test
  void open_keyFileReadableByOthers_refused() throws Exception {
    Path keyFile = key("store.key");
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));

    StorageException refused =
        assertThrows(StorageException.class, () -> stores.builder().encryptionKey(keyFile).build());
    assertTrue(refused.getMessage().contains("chmod 600"), refused.getMessage());
  }

  @Test
  void open_keyFileWithoutAKey_refused() throws Exception {
    Path keyFile = stores.folder().resolve("empty.key");
    Files.writeString(keyFile, "not a key");
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));

    StorageException refused =
        assertThrows(StorageException.class, () -> stores.builder().encryptionKey(keyFile).build());
    assertTrue(refused.getMessage().contains("32 random bytes"), refused.getMessage());
  }

  @Test
  void get_blobMovedToAnotherMemory_failsInsteadOfOpening() throws Exception {
    MemoryStore store = openWith(key("store.key"));
    Memory first = sealed(store, "the first secret");
    Memory second = sealed(store, "the second secret");
    store.close();
    try (RawDatabase raw = RawDatabase.open(stores.file())) {
      raw.execute(
          "update memories set content = (select content from memories where id = '"
              + first.id()
              + "') where id = '"
              + second.id()
              + "'");
    }
    stores.skipHealthCheck();

    MemoryStore reopened = openWith(stores.folder().resolve("store.key"));
    assertEquals("the first secret", reopened.get(first.id()).content());
    assertThrows(MemoryStoreException.class, () -> reopened.get(second.id()));
  }

  @Test
  void update_sensitive_sealsAnExistingMemoryAndScrubsItsHistory() throws Exception {
    MemoryStore store = openWith(key("store.key"));
    Memory memory = store.create(NewMemory.of("my pin is okapimarker"));
    store.update(memory.id(), MemoryUpdate.builder().content("my pin is okapimarker2").build());
    assertTrue(
        String.valueOf(store.history(memory.id())).contains("okapimarker"),
        "the history held it in clear before sealing");

    Memory sealed = store.update(memory.id(), MemoryUpdate.builder().sensitive(true).build());

    assertTrue(sealed.sensitive());
    assertEquals("my pin is okapimarker2", store.get(memory.id()).content());
    assertFalse(String.valueOf(store.history(memory.id())).contains("okapimarker"));
    assertEquals(0, Files.size(stores.folder().resolve("memory.db-wal")), "the log was truncated");
    assertFalse(
        Files.readString(stores.file(), java.nio.charset.StandardCharsets.ISO_8859_1)
            .contains("okapimarker"));
    try (RawDatabase raw = RawDatabase.open(stores.file())) {
      assertEquals(1, raw.number("select count(*) from memory_embeddings where sealed = 1"));
      assertEquals(0, raw.number("select count(*) from memory_vectors"));
    }

    Memory opened = store.update(memory.id(), MemoryUpdate.builder().sensitive(false).build());
    assertFalse(opened.sensitive());
    assertEquals(
        memory.id(),
        store
            .search(SearchQuery.builder("okapimarker2").mode(SearchMode.KEYWORD).build())
            .hits()
            .get(0)
            .memory()
            .id());
  }

  @Test
  void rotateKey_interruptedAfterOneBatch_resumesAndMovesEveryMemory() {
    Path oldKey = key("old.key");
    Path newKey = key("new.key");
    // Opened by the test itself: after the rotation the old key no longer opens the file.
    MemoryStore store = stores.builder().encryptionKey(oldKey).build();
    List<String> ids =
        java.util.stream.IntStream.range(0, 5)
            .mapToObj(index -> sealed(store, "secret number " + index).id())
            .toList();
    KeyRotation.stopAfterBatchesForTests(1, 2);
    try {
      assertThrows(KeyRotation.Stopped.class, () -> store.privacy().rotateKey(newKey));
    } finally {
      KeyRotation.stopAfterBatchesForTests(0, 200);
    }
    store.close();

    // Mid-rotation each key opens the store and reads what it sealed.
    MemoryStore withNew = stores.builder().encryptionKey(newKey).build();
    long readable =
        ids.stream()
            .filter(
                id -> {
                  try {
                    return withNew.get(id) != null;
                  } catch (PermissionDeniedException e) {
                    return false;
                  }
                })
            .count();
    assertEquals(2, readable, "the first batch moved to the new key");
    withNew.close();

    MemoryStore resumed = stores.builder().encryptionKey(oldKey).build();
    assertEquals(3, resumed.privacy().rotateKey(newKey), "only the rest is re-sealed");
    resumed.close();

    MemoryStore after = openWith(newKey);
    assertTrue(after.file().health().vectorsConsistent());
    for (int index = 0; index < ids.size(); index++) {
      assertEquals("secret number " + index, after.get(ids.get(index)).content());
    }
    after.close();
    assertThrows(
        PermissionDeniedException.class,
        () -> stores.builder().encryptionKey(oldKey).build().close(),
        "the old key no longer opens the store");
  }

  @Test
  void exportAndImport_sealedMemoryTravelsSealed() throws Exception {
    Path keyFile = key("store.key");
    MemoryStore store = openWith(keyFile);
    Memory memory = sealed(store, "the alarm code is quetzalmarker");
    java.io.StringWriter export = new java.io.StringWriter();
    store.file().exportTo(export, done -> {});
    assertFalse(export.toString().contains("quetzalmarker"));
    assertFalse(export.toString().contains("blue drawer"));

    MemoryStore without = stores.open(stores.folder().resolve("copy.db"));
    without.file().importFrom(new java.io.StringReader(export.toString()), false, done -> {});
    assertThrows(PermissionDeniedException.class, () -> without.get(memory.id()));
    without.close();
    MemoryStore withKey =
        stores.open(stores.folder().resolve("copy.db"), builder -> builder.encryptionKey(keyFile));
    Memory read = withKey.get(memory.id());
    assertEquals("the alarm code is quetzalmarker", read.content());
    assertEquals(Map.of("where", "the blue drawer"), read.metadata());
    assertTrue(read.sensitive());
  }

  /**
   * A sealed memory's vector given by the caller stays marked as given when it travels sealed and
   * when the memory is opened again, so that repair then keeps it.
   */
  @Test
  void givenVectorOfASealedMemory_keptByRepairAfterImportAndOpening() throws Exception {
    Path keyFile = key("store.key");
    MemoryStore store = openWith(keyFile);
    float[] given = new float[64];
    given[3] = 1;
    Memory memory =
        store.create(
            NewMemory.builder("the safe holds the deeds").embedding(given).sensitive(true).build());
    java.io.StringWriter export = new java.io.StringWriter();
    store.file().exportTo(export, done -> {});
    MemoryStore copy =
        stores.open(stores.folder().resolve("copy.db"), builder -> builder.encryptionKey(keyFile));
    copy.file().importFrom(new java.io.StringReader(export.toString()), false, done -> {});

    for (MemoryStore each : List.of(store, copy)) {
      each.update(memory.id(), MemoryUpdate.builder().sensitive(false).build());
      assertEquals(List.of(), each.file().repair().issues());
      assertArrayEquals(given, each.embeddings().vectors(List.of(memory.id())).get(memory.id()));
    }
  }

  @Test
  void create_largeContent_storedCompressedAndReadBackWhole() throws Exception {
    String large = "the walrus sings about the harbour at night. ".repeat(200) + "zebrafinale";
    MemoryStore store = stores.open(builder -> builder.compressionThreshold(1024));
    Memory memory = store.create(NewMemory.of(large));
    Memory small = store.create(NewMemory.of("a short note about walrus"));
    assertTrue(
        store.createAllWithResults(List.of(NewMemory.of(large))).get(0).duplicate(),
        "the content key of a compressed memory is its text's");

    store.close();
    MemoryStore reopened = stores.open(builder -> builder.compressionThreshold(1024));
    assertEquals(large, reopened.get(memory.id()).content());
    try (RawDatabase raw = RawDatabase.open(stores.file())) {
      assertEquals(
          "blob|1",
          raw.strings(
                  "select typeof(content) || '|' || content_encoding from memories where id = '"
                      + memory.id()
                      + "'")
              .get(0));
      assertTrue(
          raw.bytes("select content from memories where id = '" + memory.id() + "'").length
              < large.length() / 10);
      assertEquals(
          "text|0",
          raw.strings(
                  "select typeof(content) || '|' || content_encoding from memories where id = '"
                      + small.id()
                      + "'")
              .get(0));
      assertEquals(
          1, raw.number("select count(*) from memory_fts where memory_fts match 'zebrafinale'"));
    }
    assertEquals(
        memory.id(),
        reopened
            .search(SearchQuery.builder("zebrafinale").mode(SearchMode.KEYWORD).build())
            .hits()
            .get(0)
            .memory()
            .id());
  }

  @Test
  void create_thresholdZero_neverCompresses() throws Exception {
    MemoryStore store = stores.open(builder -> builder.compressionThreshold(0));
    Memory memory = store.create(NewMemory.of("walrus ".repeat(2000)));
    try (RawDatabase raw = RawDatabase.open(stores.file())) {
      assertEquals(
          0, raw.number("select content_encoding from memories where id = '" + memory.id() + "'"));
    }
  }

  @Test
  void codec_sameTextTwice_differentCiphertext() throws Exception {
    MemoryStore store = openWith(key("store.key"));
    Memory first = sealed(store, "the same words");
    Memory second = sealed(store, "the same words");
    try (RawDatabase raw = RawDatabase.open(stores.file())) {
      byte[] one = raw.bytes("select content from memories where id = '" + first.id() + "'");
      byte[] two = raw.bytes("select content from memories where id = '" + second.id() + "'");
      assertFalse(java.util.Arrays.equals(one, two), "a fresh nonce each time");
      assertArrayEquals(
          java.util.Arrays.copyOfRange(one, 0, 9),
          java.util.Arrays.copyOfRange(two, 0, 9),
          "the same version and key id");
    }
    assertFalse(first.id().equals(second.id()), "sealed memories are never merged as duplicates");
  }

  @Test
  void configFile_keyFileAndCompressionThreshold_reachTheConfig() throws Exception {
    Path config = stores.folder().resolve("memory_config.yaml");
    Files.writeString(
        config,
        "path: memory.db\nencryption_key_file: keys/store.key\ncompression_threshold: 512\n");

    MemoryStoreConfig read = MemoryStoreBuilder.fromConfigFile(config).config();

    assertEquals(
        stores.folder().resolve("keys/store.key").toAbsolutePath(), read.encryptionKeyFile());
    assertEquals(512, read.compressionThreshold());
    assertEquals(4096, MemoryStore.builder(stores.file()).config().compressionThreshold());
    assertThrows(
        IllegalArgumentException.class,
        () -> MemoryStore.builder(stores.file()).compressionThreshold(-1));
  }

  @Test
  void reembed_toAnotherModel_sealedVectorStaysSealedAndSearchable() throws Exception {
    Path keyFile = key("store.key");
    Path file = stores.folder().resolve("reembed.db");
    String id;
    try (MemoryStore store =
        MemoryStore.builder(file)
            .embedder(new dev.memstore.testing.WordHashEmbedder("hash-a", 16, 0))
            .encryptionKey(keyFile)
            .build()) {
      id = sealed(store, "the alarm code is quetzalmarker").id();
      store.create(NewMemory.of("the garden needs water"));
    }

    try (MemoryStore store =
        MemoryStore.builder(file)
            .embedder(new dev.memstore.testing.WordHashEmbedder("hash-b", 24, 0))
            .encryptionKey(keyFile)
            .reembedIfModelChanged(progress -> {})
            .build()) {
      assertEquals(
          id,
          store
              .search(SearchQuery.builder("quetzalmarker alarm").mode(SearchMode.SEMANTIC).build())
              .hits()
              .get(0)
              .memory()
              .id());
      store.file().checkpoint();
      try (RawDatabase raw = RawDatabase.open(file)) {
        assertEquals(1, raw.number("select count(*) from memory_embeddings where sealed = 1"));
        assertEquals(1, raw.number("select count(*) from memory_vectors"));
      }
    }
  }
}
