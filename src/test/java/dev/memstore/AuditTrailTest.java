package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.internal.audit.AuditLog;
import dev.memstore.internal.store.StoreOpener;
import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.RawDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The audit trail on real files: what it keeps (agent, action, ids, outcome, time) and what it
 * never keeps (content, query text), when it writes, how long it keeps entries, and how it is read.
 * The operations are recorded here as the agent-scoped guard records them: after each call, with
 * the ids the call touched.
 */
class AuditTrailTest {
  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withoutModel()
          .withManualScheduler()
          .configure(
              builder ->
                  builder.maintenanceInterval(Duration.ZERO).snapshotInterval(Duration.ZERO));

  private final List<MemoryStore> opened = new ArrayList<>();

  @AfterEach
  void closeStores() {
    opened.forEach(MemoryStore::close);
  }

  /** Opens the test's file as the guard does: the store with its audit trail. */
  private StoreOpener.Opened open(Consumer<MemoryStoreBuilder> settings) {
    MemoryStoreBuilder builder = stores.builder();
    settings.accept(builder);
    StoreOpener.Opened parts = StoreOpener.openParts(builder.config());
    opened.add(parts.store());
    return parts;
  }

  private StoreOpener.Opened open() {
    return open(builder -> {});
  }

  private long rows() throws Exception {
    try (RawDatabase raw = RawDatabase.open(stores.file())) {
      return raw.number("select count(*) from audit_log");
    }
  }

  private static List<String> ids(SearchResult result) {
    return result.hits().stream().map(hit -> hit.memory().id()).toList();
  }

  @Test
  void record_readsAndSearches_keptWithAgentActionIdsAndOutcome() {
    StoreOpener.Opened parts = open();
    MemoryStore store = parts.store();
    AuditLog audit = parts.auditLog();
    Memory birthday = store.create(NewMemory.of("The user's birthday is March 15th"));
    audit.record("assistant", "create", List.of(birthday.id()), "ok");
    stores.clock().advance(Duration.ofSeconds(5));
    store.get(birthday.id());
    audit.record("assistant", "get", List.of(birthday.id()), "ok");
    SearchResult found = store.search(SearchQuery.of("birthday"));
    audit.record("calendar", "search", ids(found), "ok");
    String missing = "mem-01kaaaaaaaaaaaaaaaaaaaaaaa";
    assertThrows(MemoryNotFoundException.class, () -> store.get(missing));
    audit.record("calendar", "get", List.of(missing), "memory_not_found");

    List<AuditEntry> entries = store.privacy().audit(AuditQuery.latest());

    assertEquals(4, entries.size(), entries::toString);
    AuditEntry created = entries.get(0);
    assertEquals("assistant", created.agent());
    assertEquals("create", created.action());
    assertEquals(List.of(birthday.id()), created.memoryIds());
    assertEquals("ok", created.outcome());
    assertEquals(MemoryStoreExtension.START, created.at());
    assertEquals(MemoryStoreExtension.START.plusSeconds(5), entries.get(1).at());
    assertEquals("get", entries.get(1).action());
    assertEquals(List.of(birthday.id()), entries.get(2).memoryIds(), "the search's hits");
    assertEquals("calendar", entries.get(2).agent());
    assertEquals(List.of(missing), entries.get(3).memoryIds());
    assertEquals("memory_not_found", entries.get(3).outcome());
    assertTrue(
        entries.get(0).sequence() < entries.get(1).sequence()
            && entries.get(2).sequence() < entries.get(3).sequence());
  }

  @Test
  void record_contentAndQueryText_neverReachTheFile() throws Exception {
    String content = "the spare key hides under the xylophonequartz flowerpot";
    String query = "where did aunt marguerite park the zebracopter";
    StoreOpener.Opened first = open();
    Memory key = first.store().create(NewMemory.of(content));
    first.auditLog().record("assistant", "create", List.of(key.id()), "ok");
    first.store().close();
    // The check can see text: a live memory's content is in the file.
    assertTrue(fileText().contains("xylophonequartz"));

    StoreOpener.Opened second = open();
    SearchResult nothing = second.store().search(SearchQuery.of(query));
    assertEquals(0, nothing.hits().size());
    second.auditLog().record("assistant", "search", ids(nothing), "ok");
    second.store().get(key.id());
    second.auditLog().record("assistant", "get", List.of(key.id()), "ok");
    second.store().delete(key.id(), false);
    second.auditLog().record("assistant", "delete", List.of(key.id()), "ok");
    second.store().close();

    try (RawDatabase raw = RawDatabase.open(stores.file())) {
      assertEquals(
          List.of(
              "assistant create [\"" + key.id() + "\"] ok",
              "assistant search null ok",
              "assistant get [\"" + key.id() + "\"] ok",
              "assistant delete [\"" + key.id() + "\"] ok"),
          raw.strings(
              "select agent || ' ' || action || ' ' || coalesce(memory_ids, 'null') || ' '"
                  + " || outcome from audit_log order by seq"));
    }
    String files = fileText();
    assertFalse(files.contains("zebracopter"), "the query's text is in the file");
    assertFalse(files.contains("marguerite"), "the query's text is in the file");
    assertFalse(files.contains("xylophonequartz"), "the deleted memory's content is in the file");
  }

  /** Every file of the store's folder (database, log, snapshot), as one text. */
  private String fileText() throws Exception {
    StringBuilder text = new StringBuilder();
    try (Stream<Path> files = Files.list(stores.folder())) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        text.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
      }
    }
    return text.toString();
  }

  @Test
  void record_manyReads_writtenTogetherAfterTheFlushDelay() throws Exception {
    StoreOpener.Opened parts = open();
    Memory memory = parts.store().create(NewMemory.of("tea with oat milk"));
    for (int index = 0; index < 50; index++) {
      parts.store().get(memory.id());
      parts.auditLog().record("assistant", "get", List.of(memory.id()), "ok");
    }
    assertEquals(0, rows(), "a read is no write");
    stores.scheduler().advance(Duration.ofMillis(999));
    assertEquals(0, rows());
    stores.scheduler().advance(Duration.ofMillis(1));
    assertEquals(50, rows(), "one batch, a second after the first");
  }

  @Test
  void close_writesThePendingEntries() throws Exception {
    StoreOpener.Opened parts = open();
    parts.auditLog().record("assistant", "stats", List.of(), "ok");
    assertEquals(0, rows());
    parts.store().close();
    assertEquals(1, rows());
  }

  @Test
  void record_readOnlyStore_recordsNothingAndReadsTheTrail() throws Exception {
    StoreOpener.Opened writer = open();
    writer.auditLog().record("assistant", "get", List.of(), "ok");
    writer.store().close();

    StoreOpener.Opened reader = open(builder -> builder.readOnly(true));
    assertFalse(reader.auditLog().isRecording());
    reader.auditLog().record("memctl", "list", List.of(), "ok");
    List<AuditEntry> entries = reader.store().privacy().audit(AuditQuery.latest());
    reader.store().close();

    assertEquals(List.of("assistant"), entries.stream().map(AuditEntry::agent).toList());
    assertEquals(1, rows());
  }

  @Test
  void runMaintenance_entriesOlderThanTheRetention_removed() {
    StoreOpener.Opened parts = open(builder -> builder.auditRetention(Duration.ofDays(7)));
    parts.auditLog().record("assistant", "get", List.of(), "ok");
    stores.clock().advance(Duration.ofDays(7));
    parts.auditLog().record("assistant", "search", List.of(), "ok");
    stores.clock().advance(Duration.ofHours(1));
    parts.auditLog().record("assistant", "create", List.of(), "ok");
    parts.auditLog().flush();

    parts.store().lifecycle().runMaintenance();

    assertEquals(
        List.of("search", "create"),
        parts.store().privacy().audit(AuditQuery.latest()).stream()
            .map(AuditEntry::action)
            .toList());
  }

  @Test
  void purge_moreThanOneBatch_removesEveryOldEntry() throws Exception {
    StoreOpener.Opened parts = open();
    int count = 10_010;
    for (int index = 0; index < count; index++) {
      parts.auditLog().record("assistant", "get", List.of(), "ok");
    }
    parts.auditLog().flush();
    assertEquals(count, rows());
    Instant later = stores.clock().instant().plus(MemoryStoreBuilder.DEFAULT_AUDIT_RETENTION);

    assertEquals(0, parts.auditLog().purge(later.minusMillis(1)), "not yet older");
    assertEquals(count, parts.auditLog().purge(later.plusMillis(1)));
    assertEquals(0, rows());
  }

  @Test
  void auditRetention_zero_recordsNothingAndMaintenanceRemovesTheTrail() throws Exception {
    StoreOpener.Opened before = open();
    before.auditLog().record("assistant", "get", List.of(), "ok");
    before.store().close();
    assertEquals(1, rows());

    StoreOpener.Opened parts = open(builder -> builder.auditRetention(Duration.ZERO));
    assertFalse(parts.auditLog().isRecording());
    parts.auditLog().record("assistant", "get", List.of(), "ok");
    parts.store().lifecycle().runMaintenance();
    parts.store().close();

    assertEquals(0, rows());
  }

  @Test
  void audit_filters_selectEntriesAndTheNewestWithinTheLimit() {
    StoreOpener.Opened parts = open();
    AuditLog audit = parts.auditLog();
    String first = "mem-01kaaaaaaaaaaaaaaaaaaaaaaa";
    String second = "mem-01kbbbbbbbbbbbbbbbbbbbbbbb";
    audit.record("assistant", "get", List.of(first), "ok");
    stores.clock().advance(Duration.ofMinutes(1));
    audit.record("calendar", "search", List.of(first, second), "ok");
    stores.clock().advance(Duration.ofMinutes(1));
    audit.record("calendar", "delete", List.of(second), "permission_denied");
    stores.clock().advance(Duration.ofMinutes(1));
    audit.record("assistant", "create", List.of(), "ok");
    Privacy privacy = parts.store().privacy();
    Instant start = MemoryStoreExtension.START;

    assertEquals(
        List.of("get", "create"), actions(privacy, AuditQuery.builder().agent("assistant")));
    assertEquals(List.of("search"), actions(privacy, AuditQuery.builder().action("search")));
    assertEquals(
        List.of("delete"), actions(privacy, AuditQuery.builder().outcome("permission_denied")));
    assertEquals(List.of("get", "search"), actions(privacy, AuditQuery.builder().memoryId(first)));
    assertEquals(
        List.of("search", "delete"),
        actions(
            privacy,
            AuditQuery.builder().since(start.plusSeconds(60)).until(start.plusSeconds(120))));
    assertEquals(
        List.of("delete", "create"), actions(privacy, AuditQuery.builder().limit(2)), "the tail");
    assertEquals(
        List.of("search"),
        actions(privacy, AuditQuery.builder().agent("calendar").outcome("ok").memoryId(second)));
  }

  private static List<String> actions(Privacy privacy, AuditQuery.Builder query) {
    return privacy.audit(query.build()).stream().map(AuditEntry::action).toList();
  }

  @Test
  void record_actionOrOutcomeNotAName_refused() {
    AuditLog audit = open().auditLog();
    assertThrows(
        IllegalArgumentException.class,
        () -> audit.record("assistant", "search for my sister's address", List.of(), "ok"));
    assertThrows(
        IllegalArgumentException.class,
        () -> audit.record("assistant", "get", List.of(), "the content was: hello"));
    assertThrows(IllegalArgumentException.class, () -> audit.record("assistant", null, null, "ok"));
  }

  @Test
  void record_valuesNotShapedLikeIds_keptOnlyAsHashes() {
    StoreOpener.Opened parts = open();
    parts
        .auditLog()
        .record(
            "bad\nagent",
            "get",
            List.of("my bank pin is 4821", "mem-01kaaaaaaaaaaaaaaaaaaaaaaa"),
            "ok");

    AuditEntry entry = parts.store().privacy().audit(AuditQuery.latest()).get(0);

    assertTrue(entry.agent().matches("sha256:[0-9a-f]{16}"), entry::toString);
    assertTrue(entry.memoryIds().get(0).matches("sha256:[0-9a-f]{16}"), entry::toString);
    assertEquals("mem-01kaaaaaaaaaaaaaaaaaaaaaaa", entry.memoryIds().get(1));
  }

  @Test
  void auditRetention_outOfRange_refusedByTheBuilder() {
    assertThrows(
        IllegalArgumentException.class,
        () -> MemoryStore.builder(stores.file()).auditRetention(Duration.ofSeconds(59)));
    assertThrows(
        IllegalArgumentException.class,
        () -> MemoryStore.builder(stores.file()).auditRetention(Duration.ofDays(-1)));
    assertEquals(Duration.ofDays(30), MemoryStore.builder(stores.file()).config().auditRetention());
  }

  @Test
  void fromConfigFile_auditRetentionAndSensitiveText() throws Exception {
    Path file = stores.file("memory_config.yaml");
    Files.writeString(file, "path: memory.db\naudit_retention: none\nsensitive_text: refuse\n");
    MemoryStoreConfig config = MemoryStoreBuilder.fromConfigFile(file).config();
    assertEquals(Duration.ZERO, config.auditRetention());
    assertEquals(SensitiveText.REFUSE, config.sensitiveText());

    Files.writeString(file, "path: memory.db\naudit_retention: 90d\nsensitive_text: seal\n");
    config = MemoryStoreBuilder.fromConfigFile(file).config();
    assertEquals(Duration.ofDays(90), config.auditRetention());
    assertEquals(SensitiveText.SEAL, config.sensitiveText());

    Files.writeString(file, "path: memory.db\nsensitive_text: hide\n");
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> MemoryStoreBuilder.fromConfigFile(file));
    assertTrue(bad.getMessage().contains("allow, refuse, seal"), bad.getMessage());
  }

  @Test
  void auditQuery_badValues_refused() {
    assertThrows(IllegalArgumentException.class, () -> AuditQuery.builder().limit(0));
    assertThrows(IllegalArgumentException.class, () -> AuditQuery.builder().agent(" "));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            AuditQuery.builder()
                .since(Instant.parse("2026-02-01T00:00:00Z"))
                .until(Instant.parse("2026-01-01T00:00:00Z"))
                .build());
    assertThrows(IllegalStateException.class, () -> AuditQuery.builder().action("get").action("x"));
  }
}
