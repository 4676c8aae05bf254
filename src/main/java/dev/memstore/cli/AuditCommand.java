package dev.memstore.cli;

import dev.memstore.AuditEntry;
import dev.memstore.AuditQuery;
import dev.memstore.internal.json.Json;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the audit trail: who did what to which memories, and how it ended; never content or"
          + " query text.",
      "Shows the newest entries that match every filter given, oldest first; with --json, one JSON"
          + " object per line. Entries are written about a second after their operation, and kept"
          + " for the store's audit_retention (default 30 days)."
    })
final class AuditCommand extends StoreCommand {
  @Option(names = "--agent", paramLabel = "NAME", description = "Only this agent's operations.")
  private String agent;

  @Option(
      names = "--action",
      paramLabel = "NAME",
      description = "Only this operation, such as get, search, create or delete.")
  private String action;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      converter = Converters.Time.class,
      description = "Only entries at or after this ISO-8601 time (a date: 00:00 UTC).")
  private Instant since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      converter = Converters.Time.class,
      description = "Only entries at or before this ISO-8601 time (a date: 00:00 UTC).")
  private Instant until;

  @Option(
      names = "--memory",
      paramLabel = "ID",
      description = "Only operations that touched this memory.")
  private String memoryId;

  @Option(
      names = "--outcome",
      paramLabel = "CODE",
      description = "Only this outcome: ok, or an error code such as permission_denied.")
  private String outcome;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Show at most the newest N entries, 1 to 1000000. Default: 100.")
  private int limit = AuditQuery.DEFAULT_LIMIT;

  @Override
  public Integer call() {
    AuditQuery query = query();
    List<AuditEntry> entries = runOnStore(Access.READ_ONLY, store -> store.privacy().audit(query));
    PrintWriter out = out();
    if (json()) {
      entries.forEach(entry -> out.println(Json.write(json(entry))));
      return ExitCodes.OK;
    }
    TextTable table = new TextTable("SEQ", "AT", "AGENT", "ACTION", "OUTCOME", "MEMORIES");
    for (AuditEntry entry : entries) {
      table.add(
          Long.toString(entry.sequence()),
          Json.formatInstant(entry.at()),
          entry.agent(),
          entry.action(),
          entry.outcome(),
          MemoryViews.truncate(String.join(" ", entry.memoryIds()), 80));
    }
    table.printUnlessEmpty(out);
    out.println(summary(entries.size(), query.limit()));
    return ExitCodes.OK;
  }

  private AuditQuery query() {
    AuditQuery.Builder builder = AuditQuery.builder().limit(limit);
    if (agent != null) {
      builder.agent(agent);
    }
    if (action != null) {
      builder.action(action);
    }
    if (since != null) {
      builder.since(since);
    }
    if (until != null) {
      builder.until(until);
    }
    if (memoryId != null) {
      builder.memoryId(memoryId);
    }
    if (outcome != null) {
      builder.outcome(outcome);
    }
    return builder.build();
  }

  /** One entry as a JSON line, with the protocol's snake-case names. */
  static Map<String, Object> json(AuditEntry entry) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("seq", entry.sequence());
    line.put("at", Json.formatInstant(entry.at()));
    line.put("agent", entry.agent());
    line.put("action", entry.action());
    line.put("memory_ids", entry.memoryIds());
    line.put("outcome", entry.outcome());
    return line;
  }

  private static String summary(int shown, int limit) {
    if (shown == 0) {
      return "no audit entries";
    }
    String count = shown == 1 ? "1 audit entry" : shown + " audit entries";
    return shown < limit
        ? count
        : count + ", the newest (use --limit, or --until for earlier ones)";
  }
}
