package dev.memstore.cli;

import dev.memstore.ConsolidationReport;
import dev.memstore.ContextGroup;
import dev.memstore.CreateResult;
import dev.memstore.HistoryEntry;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.MemoryUpdate;
import dev.memstore.NewMemory;
import dev.memstore.Page;
import dev.memstore.RelatedMemory;
import dev.memstore.Relationship;
import dev.memstore.RetentionPolicy;
import dev.memstore.SearchHit;
import dev.memstore.SearchMode;
import dev.memstore.SearchQuery;
import dev.memstore.Session;
import dev.memstore.internal.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Shows what memstore does, step by step, on a fresh store.",
      "An assistant stores a short conversation and what it learned, then reads, updates, links,"
          + " groups, reinforces and deletes memories.",
      "Writes a new file in a temporary folder, or the --db file, which must not exist yet."
          + " The output is for reading; --json does not apply."
    })
final class DemoCommand extends StoreCommand {
  private static final String INDENT = "    ";
  private static final String HIKE_AT_NINE =
      "Hike the Ridge Trail loop with Maya on Saturday, starting at 9 am.";

  private PrintWriter out;
  private int steps;

  @Override
  public Integer call() throws IOException {
    out = out();
    DemoConversation conversation = DemoConversation.load();
    Path path = freshFile();
    out.println("memctl demo: an assistant remembers a conversation");
    step("Open a fresh store");
    line(path.toString());
    // A clock the demo moves forward, to show a fortnight of decay in a second.
    DemoClock clock = new DemoClock();
    try (MemoryStore store =
        MemoryStore.builder(path).clock(clock).maintenanceInterval(Duration.ZERO).build()) {
      walkThrough(store, conversation, path, clock);
    }
    out.println();
    out.println("The demo store stays at " + path + ". Look around with:");
    out.println("  memctl --db " + quoted(path) + " ls");
    return ExitCodes.OK;
  }

  private Path freshFile() throws IOException {
    Path explicit = memctl().explicitStorePath();
    if (explicit == null) {
      return Files.createTempDirectory("memctl-demo-").resolve("memory.db");
    }
    Path path = explicit.toAbsolutePath();
    if (Files.exists(path)) {
      throw new CliException(
          ExitCodes.REFUSED,
          "the demo writes a fresh store, and "
              + path
              + " already exists; give a new file with --db, or leave --db out to use a"
              + " temporary folder");
    }
    return path;
  }

  /** The system clock plus however far the demo has moved it. */
  private static final class DemoClock implements InstantSource {
    private volatile Duration offset = Duration.ZERO;

    @Override
    public Instant instant() {
      return Instant.now().plus(offset);
    }

    void advance(Duration duration) {
      offset = offset.plus(duration);
    }
  }

  private void walkThrough(
      MemoryStore store, DemoConversation conversation, Path path, DemoClock clock) {
    step("Start a session for user '" + conversation.user() + "'");
    Session session =
        store
            .sessions()
            .create(conversation.user(), "conversation", Map.of("source", "memctl demo"));
    line(session.id());

    step("Store the conversation, one memory per turn");
    List<Memory> turns = storeTurns(store, conversation, session);

    step("Store what the assistant learned, each under the turn it came from");
    Map<String, Memory> facts = storeFacts(store, conversation, session, turns);

    step("Read a memory back by id");
    Memory maya = store.get(facts.get("maya").id());
    MemoryViews.details(maya, now(store)).print(out, INDENT);

    step("Search by meaning: \"what can we eat on the trail?\" (semantic, with scores)");
    searchTable(store, "what can we eat on the trail?", SearchMode.SEMANTIC);

    step("Search by keywords: \"text message\" (BM25 over the full-text index)");
    searchTable(store, "text message", SearchMode.KEYWORD);

    step("Update a memory: the hike now starts at 9 am");
    Memory hike = facts.get("hike");
    Memory updated = store.update(hike.id(), MemoryUpdate.builder().content(HIKE_AT_NINE).build());
    line("before: " + hike.content());
    line("after:  " + updated.content());

    step("List the session's memories, most important first");
    Page<Memory> listed =
        store.list(
            MemoryFilter.builder().sessionId(session.id()).build(),
            new MemorySort(MemorySort.Field.IMPORTANCE, true),
            0,
            20);
    MemoryViews.table(listed.items(), now(store), false).print(out, INDENT);
    line(ListCommand.summary(listed));

    step("Hierarchy: the memories under turn 3");
    Memory turnThree = turns.get(2);
    line("turn 3: " + turnThree.content());
    Page<Memory> children = store.children(turnThree.id(), MemorySort.NEWEST_FIRST, 0, 20);
    MemoryViews.table(children.items(), now(store), false).print(out, INDENT);

    step("Relationship: what Maya likes informs the hike");
    Relationship link = store.links().add(maya.id(), hike.id(), "informs", 0.8);
    line(
        link.sourceId()
            + " --"
            + link.type()
            + " ("
            + MemoryViews.importance(link.strength())
            + ")--> "
            + link.targetId());
    line("memories related to the hike:");
    for (RelatedMemory related : store.links().related(hike.id(), null)) {
      line(
          "  "
              + (related.outgoing() ? "-> " : "<- ")
              + related.relationship().type()
              + "  "
              + related.memory().id()
              + "  "
              + related.memory().content());
    }

    step("Context group: everything about Maya's visit");
    ContextGroup group =
        store.groups().create("weekend-with-maya", "Everything about Maya's visit");
    for (String key : List.of("sister", "maya", "hike")) {
      store.groups().add(group.id(), facts.get(key).id());
    }
    Page<Memory> members = store.groups().members(group.id(), 0, 20);
    line(
        "group " + group.id() + " '" + group.name() + "' has " + members.totalCount() + " members");
    MemoryViews.table(members.items(), now(store), false).print(out, INDENT);

    step("Decay on a simulated clock: five days pass");
    RetentionPolicy retention = store.config().retention();
    Memory reminders = facts.get("reminders");
    clock.advance(Duration.ofDays(5));
    for (Memory memory : List.of(updated, reminders)) {
      line(
          String.format(
              Locale.ROOT,
              "%-9s %-60s importance %.2f, now effectively %.2f (half-life %d days)",
              memory.tier().wireName(),
              MemoryViews.truncate(memory.content(), 60),
              memory.importance(),
              retention.effectiveImportance(memory, now(store)),
              retention.halfLife(memory.type(), memory.tier()).toDays()));
    }

    step("Reinforce a memory: the user confirmed the hike");
    Memory reinforced = store.reinforce(hike.id(), 1.5);
    line(
        "importance "
            + MemoryViews.importance(updated.importance())
            + " -> "
            + MemoryViews.importance(reinforced.importance())
            + ", effectively "
            + MemoryViews.importance(retention.effectiveImportance(reinforced, now(store)))
            + " again: reinforcing is recalling");

    step("A repeated fact: stored again, then said differently");
    CreateResult again =
        store
            .createAllWithResults(
                List.of(
                    NewMemory.builder("Maya is vegetarian and loves hiking!")
                        .type(MemoryType.SEMANTIC)
                        .sessionId(session.id())
                        .build()))
            .get(0);
    line(
        "the same text again: "
            + (again.duplicate()
                ? "not copied; "
                    + again.memory().id()
                    + " was reinforced to "
                    + MemoryViews.importance(again.memory().importance())
                : "stored as " + again.memory().id()));
    Memory paraphrase =
        store.create(
            NewMemory.builder("Maya loves hiking and is a vegetarian.")
                .type(MemoryType.SEMANTIC)
                .importance(0.5)
                .sessionId(session.id())
                .build());
    line("said differently: stored as " + paraphrase.id());
    ConsolidationReport consolidation = store.lifecycle().consolidate(null, null, false);
    for (ConsolidationReport.Group merged : consolidation.groups()) {
      for (int index = 0; index < merged.mergedIds().size(); index++) {
        line(
            String.format(
                Locale.ROOT,
                "consolidated: %s merged into %s (similarity %.3f); it stays, archived",
                merged.mergedIds().get(index),
                merged.keptId(),
                merged.similarities().get(index)));
      }
    }

    step("The change history of the hike");
    TextTable history = new TextTable("#", "ACTION", "CHANGES");
    for (HistoryEntry entry : store.history(hike.id())) {
      history.add(String.valueOf(entry.sequence()), entry.action().wireName(), changes(entry));
    }
    history.print(out, INDENT);

    step("Delete a memory: turn 2 was small talk");
    for (String deleted : store.delete(turns.get(1).id(), true)) {
      line("deleted " + deleted);
    }

    step("End the session: the summary is written from its memories");
    Session ended = store.sessions().end(session.id(), null, true);
    new KeyValues()
        .add("session", ended.id())
        .add("status", ended.isActive() ? "active" : "ended")
        .add("summary", ended.summary())
        .print(out, INDENT);

    step("Statistics");
    StatsView.of(store.file().stats(), path).print(out, INDENT);
  }

  private List<Memory> storeTurns(
      MemoryStore store, DemoConversation conversation, Session session) {
    List<Memory> turns = new ArrayList<>();
    TextTable table = new TextTable("TURN", "ID", "ROLE", "TEXT");
    for (DemoConversation.Turn turn : conversation.turns()) {
      int number = turns.size() + 1;
      Memory memory =
          store.create(
              NewMemory.builder(turn.text())
                  .type(MemoryType.CONVERSATION)
                  .tier(MemoryTier.SHORT_TERM)
                  .sourceAgent(turn.role().equals("assistant") ? "demo-assistant" : null)
                  .metadata(Map.of("role", turn.role(), "turn", number))
                  .tags(turn.role())
                  .sessionId(session.id())
                  .build());
      turns.add(memory);
      table.add(
          String.valueOf(number),
          memory.id(),
          turn.role(),
          MemoryViews.truncate(turn.text(), MemoryViews.TEXT_WIDTH));
    }
    table.print(out, INDENT);
    return turns;
  }

  private Map<String, Memory> storeFacts(
      MemoryStore store, DemoConversation conversation, Session session, List<Memory> turns) {
    Map<String, Memory> facts = new LinkedHashMap<>();
    TextTable table = new TextTable("FROM TURN", "ID", "TYPE", "TIER", "IMP", "TEXT");
    for (DemoConversation.Fact fact : conversation.facts()) {
      Memory memory =
          store.create(
              NewMemory.builder(fact.text())
                  .type(MemoryType.fromName(fact.type()).orElseThrow())
                  .tier(MemoryTier.fromName(fact.tier()).orElseThrow())
                  .importance(fact.importance())
                  .tags(fact.tags())
                  .parentId(turns.get(fact.turn() - 1).id())
                  .sessionId(session.id())
                  .build());
      facts.put(fact.key(), memory);
      table.add(
          String.valueOf(fact.turn()),
          memory.id(),
          memory.type().wireName(),
          memory.tier().wireName(),
          MemoryViews.importance(memory.importance()),
          memory.content());
    }
    table.print(out, INDENT);
    return facts;
  }

  private void searchTable(MemoryStore store, String query, SearchMode mode) {
    TextTable table = new TextTable("SCORE", "RELEVANCE", "ID", "TEXT");
    for (SearchHit hit :
        store.search(SearchQuery.builder(query).mode(mode).limit(3).explain(true).build()).hits()) {
      table.add(
          String.format(Locale.ROOT, "%.3f", hit.score()),
          String.format(Locale.ROOT, "%.3f", hit.parts().relevance()),
          hit.memory().id(),
          MemoryViews.truncate(hit.memory().content(), MemoryViews.TEXT_WIDTH));
    }
    table.print(out, INDENT);
  }

  private static String changes(HistoryEntry entry) {
    return entry.changes().entrySet().stream()
        .map(
            change ->
                change.getKey()
                    + ": "
                    + value(change.getValue().from())
                    + " -> "
                    + value(change.getValue().to()))
        .collect(Collectors.joining("; "));
  }

  /** A JSON value, with numbers rounded so that 0.6 * 1.5 shows as 0.9. */
  private static String value(Object value) {
    if (value instanceof Number number) {
      return new BigDecimal(number.toString())
          .round(new MathContext(10))
          .stripTrailingZeros()
          .toPlainString();
    }
    return Json.write(value);
  }

  private static Instant now(MemoryStore store) {
    return store.config().clock().instant();
  }

  private static String quoted(Path path) {
    String text = path.toString();
    return text.matches("[\\w./:\\\\-]+") ? text : "'" + text.replace("'", "'\\''") + "'";
  }

  private void step(String title) {
    out.println();
    out.println(++steps + ". " + title);
  }

  private void line(String text) {
    out.println(INDENT + text);
  }
}
