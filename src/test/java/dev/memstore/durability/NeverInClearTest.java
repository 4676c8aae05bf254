package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryUpdate;
import dev.memstore.NewMemory;
import dev.memstore.SearchMode;
import dev.memstore.SearchQuery;
import dev.memstore.internal.codec.StoreKey;
import dev.memstore.internal.search.SearchInternals;
import dev.memstore.internal.storage.Snapshot;
import dev.memstore.testing.MemoryStoreExtension;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A sealed memory's text and metadata never reach a file in clear: not the store file, its log
 * (while open and after close), a backup, the snapshot, an export, nor anything else in the folder;
 * in UTF-8 or UTF-16. Also for a clear memory sealed afterwards.
 */
class NeverInClearTest {
  private static final String CONTENT_MARKER = "quixoticmarkerzebu";
  private static final String UPDATED_MARKER = "quixoticmarkerlynx";
  private static final String METADATA_MARKER = "quixoticmarkeryak";
  private static final String LATER_SEALED_MARKER = "quixoticmarkerokapi";
  private static final String CONTROL_MARKER = "quixoticcontrolheron";
  private static final List<String> MARKERS =
      List.of(CONTENT_MARKER, UPDATED_MARKER, METADATA_MARKER, LATER_SEALED_MARKER);

  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withWordHashModel("words", 64);

  private static List<String> hits(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    List<String> found = new ArrayList<>();
    for (String marker : MARKERS) {
      for (Charset charset :
          List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
        if (indexOf(bytes, marker.getBytes(charset)) >= 0) {
          found.add(marker + " (" + charset + ") in " + file.getFileName());
        }
      }
    }
    return found;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int start = 0; start + needle.length <= haystack.length; start++) {
      for (int index = 0; index < needle.length; index++) {
        if (haystack[start + index] != needle[index]) {
          continue outer;
        }
      }
      return start;
    }
    return -1;
  }

  @Test
  void sealedMemory_usedEveryWay_neverInClearInAnyFile() throws Exception {
    Path folder = stores.folder();
    Path keyFile = folder.resolve("store.key");
    StoreKey.random().writeNew(keyFile);
    MemoryStore store = stores.open(builder -> builder.encryptionKey(keyFile));
    for (int index = 0; index < 20; index++) {
      store.create(NewMemory.of("an ordinary memory about the weather number " + index));
    }
    Memory secret =
        store.create(
            NewMemory.builder("the safe opens with " + CONTENT_MARKER)
                .metadata(Map.of("hint", METADATA_MARKER))
                .sensitive(true)
                .build());
    store.update(
        secret.id(),
        MemoryUpdate.builder().content("the safe now opens with " + UPDATED_MARKER).build());
    Memory later = store.create(NewMemory.of("the gate code is " + LATER_SEALED_MARKER));
    store.update(later.id(), MemoryUpdate.builder().sensitive(true).build());

    // Searched for by its own words, on every path, before and after the indexes load.
    for (SearchMode mode : SearchMode.values()) {
      store.search(SearchQuery.builder("safe " + UPDATED_MARKER).mode(mode).build());
    }
    SearchInternals.awaitIndexes(store);
    for (SearchMode mode : SearchMode.values()) {
      assertEquals(
          secret.id(),
          store
              .search(SearchQuery.builder("safe opens " + UPDATED_MARKER).mode(mode).build())
              .hits()
              .get(0)
              .memory()
              .id(),
          mode.toString());
    }
    assertEquals(
        later.id(),
        store
            .search(SearchQuery.builder(LATER_SEALED_MARKER).mode(SearchMode.KEYWORD).build())
            .hits()
            .get(0)
            .memory()
            .id());
    assertTrue(store.get(secret.id()).content().contains(UPDATED_MARKER));
    assertTrue(store.history(secret.id()).size() >= 2);
    Path backup = folder.resolve("backup.db");
    store.file().backup(backup);
    Path export = folder.resolve("export.jsonl");
    try (Writer out = Files.newBufferedWriter(export)) {
      store.file().exportTo(out, done -> {});
    }

    // The grep sees a clear memory's text in every form: a clear twin of the markers shows it.
    store.create(NewMemory.of("a clear control memory " + CONTROL_MARKER));
    store.file().checkpoint();
    byte[] stored = Files.readAllBytes(stores.file());
    assertTrue(indexOf(stored, CONTROL_MARKER.getBytes(StandardCharsets.UTF_8)) >= 0);

    Path log = folder.resolve("memory.db-wal");
    List<String> whileOpen = new ArrayList<>();
    whileOpen.addAll(hits(stores.file()));
    whileOpen.addAll(hits(log));
    assertEquals(List.of(), whileOpen, "in clear while the store is open");

    store.close();
    Path snapshot = Snapshot.pathOf(stores.file());
    assertTrue(Files.exists(snapshot), "closing after writes makes a snapshot");
    List<String> afterClose = new ArrayList<>();
    for (Path file : List.of(stores.file(), backup, snapshot, export)) {
      afterClose.addAll(hits(file));
    }
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        afterClose.addAll(hits(file));
      }
    }
    assertEquals(List.of(), afterClose, "in clear after close");
  }
}
