package dev.memstore.cli;

import static dev.memstore.cli.CliRun.memctl;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.testing.MemoryStoreExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * memctl forget: a dry run lists and changes nothing, neither flag is a usage error saying how many
 * would go, --yes forgets and prints a receipt without content; import refuses what was forgotten
 * unless --allow-forgotten; doctor warns about an older backup; exec answers the action forget.
 */
class ForgetCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withoutModel()
          .onSystemClock()
          .configure(builder -> builder.maintenanceInterval(Duration.ZERO));

  private Path home;
  private Path db;
  private Memory sister;
  private Memory sisterAgain;
  private Memory boiler;

  @BeforeEach
  void setUp() throws Exception {
    home = Files.createDirectories(stores.folder().resolve("home"));
    db = stores.file();
    try (MemoryStore store = stores.open()) {
      sister =
          store.create(
              NewMemory.builder("my sister quokkamarker is ill")
                  .userId("ada")
                  .tags("family")
                  .build());
      sisterAgain =
          store.create(
              NewMemory.builder("my sister moved to Porto").userId("ada").tags("family").build());
      boiler = store.create(NewMemory.builder("the boiler needs a service").userId("bob").build());
    }
  }

  private CliRun run(String input, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--db";
    all[1] = db.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return memctl(new StoreLocation(Map.<String, String>of()::get, "Linux", home), input, all);
  }

  private List<String> left() {
    try (MemoryStore store = MemoryStore.builder(db).embeddingModel("none").build()) {
      return store.list(MemoryFilter.all(), MemorySort.OLDEST_FIRST, 0, 10).items().stream()
          .map(Memory::id)
          .toList();
    }
  }

  @Test
  void forget_dryRun_listsWhatWouldGoAndChangesNoByte() throws Exception {
    byte[] before = Files.readAllBytes(db);

    CliRun plan = run("", "forget", "--tag", "family", "--dry-run");

    assertEquals(0, plan.exitCode(), plan::toString);
    assertTrue(plan.out().contains(sister.id()), plan::toString);
    assertTrue(plan.out().contains(sisterAgain.id()), plan::toString);
    assertTrue(plan.out().contains("my sister moved"), "the first words of each: " + plan);
    assertFalse(plan.out().contains(boiler.id()), plan::toString);
    assertTrue(plan.out().endsWith("would forget 2 memories\n"), plan::toString);
    assertArrayEquals(before, Files.readAllBytes(db), "a dry run writes nothing");
  }

  @Test
  void forget_withoutYesOrDryRun_isAUsageErrorSayingHowManyWouldGo() {
    CliRun refused = run("", "forget", "--user", "ada");

    assertEquals(ExitCodes.USAGE, refused.exitCode(), refused::toString);
    assertTrue(refused.err().contains("2 memories would go"), refused::toString);
    assertEquals(3, left().size());
  }

  @Test
  void forget_yes_forgetsAndPrintsAReceiptWithoutContent() throws Exception {
    CliRun done = run("", "--json", "forget", "--id", sister.id(), "--yes");

    assertEquals(0, done.exitCode(), done::toString);
    JsonNode receipt = JSON.readTree(done.out());
    assertEquals(1, receipt.get("receipt_number").asLong());
    assertEquals(sister.id(), receipt.get("memory_ids").get(0).asText());
    assertEquals(1, receipt.get("removed").get("memories").asLong());
    assertFalse(done.out().contains("quokkamarker"), done::toString);
    assertEquals(List.of(sisterAgain.id(), boiler.id()), left());

    CliRun text = run("", "forget", "--text", "sister Porto", "--limit", "1", "--yes");
    assertEquals(0, text.exitCode(), text::toString);
    assertTrue(text.out().contains("forgot 1 memory"), text::toString);
    assertEquals(List.of(boiler.id()), left());
  }

  @Test
  void forget_badUse_isAUsageError() {
    assertEquals(ExitCodes.USAGE, run("", "forget", "--yes").exitCode(), "no criterion");
    assertEquals(ExitCodes.USAGE, run("", "forget", "--tag", "x", "--min-score", "0.5").exitCode());
    assertEquals(
        ExitCodes.USAGE,
        run("", "forget", "--text", "sister", "--min-score", "3", "--yes").exitCode());
    assertEquals(
        ExitCodes.NOT_FOUND,
        run("", "forget", "--id", "mem-00000000000000000000", "--yes").exitCode());
    assertEquals(3, left().size());
  }

  @Test
  void import_refusesForgottenMemories_untilAllowForgotten() throws Exception {
    Path export = stores.folder().resolve("old.jsonl");
    assertEquals(0, run("", "export", export.toString()).exitCode());
    assertEquals(0, run("", "forget", "--id", sister.id(), "--yes").exitCode());
    assertEquals(0, run("", "forget", "--user", "bob", "--yes").exitCode());
    // The memory that stays is already there: import only what is gone.
    List<String> lines =
        Files.readAllLines(export).stream()
            .filter(line -> !line.contains(sisterAgain.id()))
            .toList();
    Files.write(export, lines);

    CliRun refused = run("", "import", export.toString());
    assertEquals(0, refused.exitCode(), refused::toString);
    assertTrue(refused.out().contains("refused 2 forgotten memories"), refused::toString);
    assertTrue(refused.err().contains(sister.id()), refused::toString);
    assertEquals(List.of(sisterAgain.id()), left());

    CliRun allowed = run("", "import", "--allow-forgotten", export.toString());
    assertEquals(0, allowed.exitCode(), allowed::toString);
    assertFalse(allowed.out().contains("refused"), allowed::toString);
    assertEquals(3, left().size());
  }

  @Test
  void doctor_warnsAboutABackupMadeBeforeAForget_withoutChangingItsExitCode() throws Exception {
    int healthyOrNot = run("", "doctor").exitCode();
    Path before = stores.folder().resolve("before.db");
    assertEquals(0, run("", "backup", before.toString()).exitCode());
    assertEquals(0, run("", "forget", "--id", sister.id(), "--yes").exitCode());
    Path after = stores.folder().resolve("after.db");
    assertEquals(0, run("", "backup", after.toString()).exitCode());

    CliRun doctor = run("", "doctor");

    assertEquals(healthyOrNot, doctor.exitCode(), doctor::toString);
    assertTrue(doctor.out().contains("warning: the backup"), doctor::toString);
    assertTrue(doctor.out().contains(before.toString()), doctor::toString);
    assertFalse(doctor.out().contains(after.toString()), doctor::toString);
    Files.delete(before);
    assertFalse(run("", "doctor").out().contains("warning"), "a deleted backup is no concern");
  }

  @Test
  void exec_forget_answersThePreviewThenTheReceipt() throws Exception {
    String dryRun =
        "{\"action\":\"forget\",\"payload\":{\"filters\":{\"user_id\":\"ada\"},"
            + "\"query\":\"Porto\",\"dry_run\":true}}";
    String forget =
        "{\"action\":\"forget\",\"payload\":{\"memory_ids\":[\"" + sister.id() + "\"]}}";
    String empty = "{\"action\":\"forget\",\"payload\":{}}";

    CliRun run = run(dryRun + "\n" + forget + "\n" + empty + "\n", "exec");

    assertEquals(0, run.exitCode(), run::toString);
    List<String> lines = run.outLines();
    JsonNode preview = JSON.readTree(lines.get(0));
    assertEquals("success", preview.get("status").asText(), run::toString);
    assertTrue(preview.get("data").get("dry_run").asBoolean());
    assertEquals(sisterAgain.id(), preview.get("data").get("memory_ids").get(0).asText());
    assertEquals(1, preview.get("data").get("memory_count").asLong());
    JsonNode receipt = JSON.readTree(lines.get(1));
    assertEquals("success", receipt.get("status").asText(), run::toString);
    assertEquals(1, receipt.get("data").get("deleted_count").asLong());
    assertFalse(lines.get(1).contains("quokkamarker"), lines.get(1));
    JsonNode refused = JSON.readTree(lines.get(2));
    assertEquals("validation_error", refused.get("error").get("code").asText(), lines.get(2));
    assertEquals(List.of(sisterAgain.id(), boiler.id()), left());
  }
}
