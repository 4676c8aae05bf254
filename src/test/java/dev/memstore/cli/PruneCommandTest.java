package dev.memstore.cli;

import static dev.memstore.cli.CliRun.memctl;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.testing.MemoryStoreExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * memctl prune: what the dry run lists is exactly what --yes deletes, and a dry run writes nothing.
 */
class PruneCommandTest {
  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withoutModel()
          .onSystemClock()
          .configure(builder -> builder.maintenanceInterval(Duration.ZERO));

  private Path home;
  private Path db;
  private Memory old;
  private Memory oldButImportant;
  private Memory oldPinned;
  private Memory expired;

  @BeforeEach
  void setUp() throws Exception {
    home = Files.createDirectories(stores.folder().resolve("home"));
    db = stores.file();
    Instant longAgo = Instant.now().minus(Duration.ofDays(60));
    try (MemoryStore store = stores.open(builder -> builder.clock(InstantSource.fixed(longAgo)))) {
      old = store.create(NewMemory.builder("old note").importance(0.01).tags("notes").build());
      oldButImportant =
          store.create(
              NewMemory.builder("old but important").importance(0.9).pinned(false).build());
      oldPinned =
          store.create(NewMemory.builder("old pinned note").importance(0.01).pinned(true).build());
      expired = store.create(NewMemory.builder("brief").ttl(Duration.ofMinutes(1)).build());
    }
    try (MemoryStore store = MemoryStore.builder(db).embeddingModel("none").build()) {
      store.create(NewMemory.builder("new note").importance(0.01).build());
    }
  }

  private CliRun prune(String input, String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "--db";
    all[1] = db.toString();
    all[2] = "prune";
    System.arraycopy(args, 0, all, 3, args.length);
    return memctl(new StoreLocation(Map.<String, String>of()::get, "Linux", home), input, all);
  }

  @Test
  void dryRun_changesNoByteAndYesDeletesExactlyWhatItListed() throws Exception {
    byte[] before = Files.readAllBytes(db);
    CliRun plan =
        prune("", "--older-than", "30d", "--below", "0.3", "--expired", "--dry-run", "--json");
    assertEquals(0, plan.exitCode(), plan::toString);
    assertArrayEquals(before, Files.readAllBytes(db), "a dry run writes nothing");
    assertTrue(plan.out().contains(old.id()), plan::toString);
    assertTrue(plan.out().contains(expired.id()), plan::toString);
    assertTrue(
        !plan.out().contains(oldButImportant.id()),
        "long-term: 0.9 fades to 0.71 in 60 days, above 0.3");

    CliRun done =
        prune("", "--older-than", "30d", "--below", "0.3", "--expired", "--yes", "--json");
    assertEquals(0, done.exitCode(), done::toString);
    assertEquals(plan.out().replace("\"dry_run\":true", "\"dry_run\":false"), done.out());
    try (MemoryStore store = MemoryStore.builder(db).embeddingModel("none").build()) {
      List<String> left =
          store
              .list(
                  MemoryFilter.builder().includeExpired(true).build(),
                  MemorySort.OLDEST_FIRST,
                  0,
                  10)
              .items()
              .stream()
              .map(Memory::content)
              .toList();
      assertEquals(List.of("old but important", "old pinned note", "new note"), left);
    }
  }

  @Test
  void withoutYes_asksAndANoDeletesNothing() {
    CliRun refused = prune("n\n", "--older-than", "30d", "--tag", "notes");
    assertEquals(1, refused.exitCode(), refused::toString);
    assertTrue(refused.err().contains("Delete 1 memory? [y/N]"), refused::toString);
    assertTrue(refused.err().contains("nothing deleted"), refused::toString);
    CliRun accepted = prune("y\n", "--older-than", "30d", "--tag", "notes");
    assertEquals(0, accepted.exitCode(), accepted::toString);
    assertTrue(accepted.out().endsWith("deleted 1 memory\n"), accepted::toString);
    assertTrue(accepted.out().contains("old note"), accepted::toString);
  }

  @Test
  void badUse_isAUsageError() {
    assertEquals(2, prune("").exitCode(), "no criterion");
    assertEquals(2, prune("", "--below", "2").exitCode());
    assertEquals(2, prune("", "--older-than", "soon").exitCode());
    CliRun missing =
        memctl(
            new StoreLocation(Map.<String, String>of()::get, "Linux", home),
            "",
            "--db",
            stores.file("none.db").toString(),
            "prune",
            "--expired");
    assertEquals(1, missing.exitCode());
    assertTrue(missing.err().contains("no memory store at"), missing::toString);
    assertTrue(oldPinned.pinned());
  }
}
