package dev.memstore.cli;

import static dev.memstore.cli.SvgCharts.escape;
import static dev.memstore.cli.SvgCharts.format;
import static dev.memstore.cli.SvgCharts.shorten;

import dev.memstore.AuditEntry;
import dev.memstore.MaintenanceReport;
import dev.memstore.Memory;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.RelatedMemory;
import dev.memstore.RetentionPolicy;
import dev.memstore.StoreActivity;
import dev.memstore.StoreStats;
import dev.memstore.cli.SvgCharts.Bar;
import dev.memstore.cli.SvgCharts.Line;
import dev.memstore.cli.SvgCharts.Neighbour;
import dev.memstore.cli.SvgCharts.Series;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The page of {@code memctl report --html}: one HTML file with its style and its charts inline. Its
 * content security policy allows inline style only, so the page can load nothing and run nothing,
 * even if a memory's text got past {@link SvgCharts#escape}.
 */
final class HtmlReport {
  /** The ids of the charts, in page order: each is an {@code <svg class="chart">}. */
  static final List<String> CHARTS =
      List.of(
          "chart-type",
          "chart-tier",
          "chart-user",
          "chart-session",
          "chart-importance",
          "chart-decay",
          "chart-growth",
          "chart-changes",
          "chart-recalled",
          "chart-maintenance",
          "chart-latency",
          "chart-searches",
          "chart-graph");

  private static final int TOP_ROWS = 12;
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  private static final String STYLE =
      """
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#222;background:#fff;max-width:1340px}
      h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd}
      h3{font-size:14px;margin:12px 0 4px}
      .grid{display:flex;flex-wrap:wrap;gap:16px}.grid>figure{margin:0}
      figcaption{color:#555;font-size:12px;max-width:640px}
      table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
      td.n{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#666}
      svg.chart{display:block;background:#fcfcfc}svg .frame{fill:none;stroke:#ddd}
      svg text{font:11px system-ui,sans-serif;fill:#333}svg .grid{stroke:#eee}
      svg .empty{text-anchor:middle;fill:#888;font-size:13px}svg .center{font-weight:bold}
      svg .edge{fill:#777;font-size:10px}
      """;

  private final ReportData data;
  private final StringBuilder html = new StringBuilder(64 * 1024);

  private HtmlReport(ReportData data) {
    this.data = data;
  }

  /** Returns the whole page. */
  static String render(ReportData data) {
    return new HtmlReport(data).page();
  }

  private String page() {
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                + " style-src 'unsafe-inline'\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>memstore report: ")
        .append(escape(data.storePath().getFileName().toString()))
        .append("</title><style>")
        .append(STYLE)
        .append("</style></head><body>\n");
    header();
    makeup();
    importance();
    growth();
    recalled();
    maintenance();
    search();
    graph();
    html.append("</body></html>\n");
    return html.toString();
  }

  private void header() {
    StoreStats stats = data.stats();
    html.append("<h1>memstore report</h1><p class=\"muted\">")
        .append(escape(data.storePath().toString()))
        .append(" &middot; ")
        .append(escape(MINUTE.format(data.now())))
        .append(" UTC</p><table>");
    row("memories", stats.totalMemories() + " live, " + stats.expiredMemories() + " expired");
    row("of them", stats.pinnedMemories() + " pinned, " + stats.archivedMemories() + " archived");
    row("sessions", stats.sessions() + " (" + stats.activeSessions() + " active)");
    row("relationships", Long.toString(stats.relationships()));
    row("context groups", Long.toString(stats.contextGroups()));
    row(
        "embeddings",
        stats.embeddedMemories()
            + (stats.embeddingModel() == null ? "" : " (" + stats.embeddingModel() + ")"));
    row(
        "file",
        format(stats.fileSizeBytes() / 1024.0)
            + " KiB, log "
            + format(stats.walSizeBytes() / 1024.0)
            + " KiB, schema "
            + stats.schemaVersion());
    if (stats.degradedReason() != null) {
      row("degraded", stats.degradedReason());
    }
    html.append("</table>\n");
  }

  private void row(String name, String value) {
    html.append("<tr><th>")
        .append(escape(name))
        .append("</th><td>")
        .append(escape(value))
        .append("</td></tr>");
  }

  private void makeup() {
    StoreStats stats = data.stats();
    section("Makeup", "Live memories (not expired; archived ones included).");
    List<Bar> types = new ArrayList<>();
    for (MemoryType type : MemoryType.values()) {
      types.add(new Bar(type.wireName(), stats.memoriesByType().getOrDefault(type, 0L)));
    }
    figure(SvgCharts.bars("chart-type", "memories by type", types, "no memories"), "By type.");
    List<Bar> tiers = new ArrayList<>();
    for (MemoryTier tier : MemoryTier.values()) {
      tiers.add(new Bar(tier.wireName(), stats.memoriesByTier().getOrDefault(tier, 0L)));
    }
    figure(SvgCharts.bars("chart-tier", "memories by tier", tiers, "no memories"), "By tier.");
    if (data.activity() == null) {
      figure(
          SvgCharts.empty("chart-user", "memories by user", "not readable: see below"),
          "By user: " + data.activityRefusal());
    } else {
      Map<String, Long> byUser = data.activity().memoriesByUser();
      long withUser = byUser.values().stream().mapToLong(Long::longValue).sum();
      List<Bar> users = top(byUser, "other users");
      if (stats.totalMemories() > withUser) {
        users.add(new Bar("(no user)", stats.totalMemories() - withUser));
      }
      figure(
          SvgCharts.bars("chart-user", "memories by user", users, "no memories"),
          "By user, the " + TOP_ROWS + " largest.");
    }
    figure(
        SvgCharts.bars(
            "chart-session",
            "memories by session",
            top(stats.memoriesBySession(), "other sessions"),
            "no memory belongs to a session"),
        "By session, the " + TOP_ROWS + " largest.");
    html.append("</div>\n");
  }

  /** The largest entries, then one bar for the rest. */
  private static List<Bar> top(Map<String, Long> counts, String rest) {
    List<Map.Entry<String, Long>> sorted =
        counts.entrySet().stream()
            .sorted(
                Map.Entry.<String, Long>comparingByValue()
                    .reversed()
                    .thenComparing(Map.Entry.comparingByKey()))
            .toList();
    List<Bar> bars = new ArrayList<>();
    long others = 0;
    for (int index = 0; index < sorted.size(); index++) {
      if (index < TOP_ROWS) {
        String name = sorted.get(index).getKey();
        bars.add(new Bar(SvgCharts.shortenMiddle(name, 30), sorted.get(index).getValue(), name));
      } else {
        others += sorted.get(index).getValue();
      }
    }
    if (others > 0) {
      bars.add(new Bar("(" + (sorted.size() - TOP_ROWS) + " " + rest + ")", others));
    }
    return bars;
  }

  private void importance() {
    section(
        "Importance and decay",
        "How important the memories are as stored, and how a memory's effective importance (what"
            + " ranking, pruning and eviction use) fades while it is not recalled, under this"
            + " store's retention settings.");
    if (data.activity() == null) {
      figure(
          SvgCharts.empty("chart-importance", "stored importance", "not readable"),
          data.activityRefusal());
    } else {
      List<String> buckets = new ArrayList<>();
      List<Double> counts = new ArrayList<>();
      for (int index = 0; index < 10; index++) {
        buckets.add(index == 9 ? "0.9–1" : String.format(Locale.ROOT, "%.1f", index / 10.0));
        counts.add((double) data.activity().importanceCounts().get(index));
      }
      figure(
          SvgCharts.columns(
              "chart-importance",
              "memories by stored importance",
              buckets,
              List.of(new Series("memories", counts)),
              "no memories"),
          "Memories by stored importance, in tenths (each column from its label up to the next).");
    }
    RetentionPolicy retention = data.retention();
    List<Line> curves = new ArrayList<>();
    double longest = 0;
    for (MemoryTier tier : MemoryTier.values()) {
      longest = Math.max(longest, days(retention.tierHalfLives().get(tier)));
    }
    for (Duration halfLife : retention.typeHalfLives().values()) {
      longest = Math.max(longest, days(halfLife));
    }
    double span = Math.ceil(2 * longest);
    for (MemoryTier tier : MemoryTier.values()) {
      Duration halfLife = retention.tierHalfLives().get(tier);
      curves.add(decay(tier.wireName() + " (" + format(days(halfLife)) + " d)", halfLife, span));
    }
    new TreeMap<>(retention.typeHalfLives())
        .forEach(
            (type, halfLife) ->
                curves.add(
                    decay(
                        "type " + type.wireName() + " (" + format(days(halfLife)) + " d)",
                        halfLife,
                        span)));
    List<Bar> guides =
        retention.pruneFloor() > 0
            ? List.of(
                new Bar("prune floor " + format(retention.pruneFloor()), retention.pruneFloor()))
            : List.of();
    figure(
        SvgCharts.lines(
            "chart-decay",
            "decay of effective importance",
            curves,
            "days idle",
            guides,
            "no half-lives"),
        "Effective importance of a memory stored at importance 1, by days since it was last"
            + " recalled, per tier (and per type where the type has its own half-life). A recall"
            + " resets it; a pinned memory does not fade; a maintenance run prunes unpinned"
            + " memories below the floor.");
    html.append("</div>\n");
  }

  private static double days(Duration duration) {
    return duration.toMillis() / 86_400_000.0;
  }

  private static Line decay(String name, Duration halfLife, double span) {
    List<double[]> points = new ArrayList<>();
    double halfLifeDays = days(halfLife);
    for (int step = 0; step <= 120; step++) {
      double day = span * step / 120;
      points.add(new double[] {day, Math.pow(0.5, day / halfLifeDays)});
    }
    return new Line(name, points);
  }

  private void growth() {
    section(
        "Growth and deletions",
        "Day by day (UTC): memories now in the file by the day they were created, and memories"
            + " removed (deleted, expired, pruned, evicted, folded or merged; forgotten).");
    StoreActivity activity = data.activity();
    if (activity == null) {
      figure(SvgCharts.empty("chart-growth", "growth", "not readable"), data.activityRefusal());
      figure(SvgCharts.empty("chart-changes", "changes", "not readable"), data.activityRefusal());
      html.append("</div>\n");
      return;
    }
    List<double[]> cumulative = new ArrayList<>();
    LocalDate first = activity.days().isEmpty() ? null : activity.days().get(0).date();
    long total = 0;
    for (StoreActivity.Day day : activity.days()) {
      total += day.created();
      cumulative.add(new double[] {ChronoUnit.DAYS.between(first, day.date()), total});
    }
    boolean weekly = weekly(activity.days().stream().map(StoreActivity.Day::date).toList());
    Map<LocalDate, long[]> periods = new TreeMap<>();
    for (StoreActivity.Day day : activity.days()) {
      long[] counts = periods.computeIfAbsent(period(day.date(), weekly), date -> new long[3]);
      counts[0] += day.created();
      counts[1] += day.deleted();
      counts[2] += day.forgotten();
    }
    List<String> dates = new ArrayList<>();
    List<Double> created = new ArrayList<>();
    List<Double> deleted = new ArrayList<>();
    List<Double> forgotten = new ArrayList<>();
    periods.forEach(
        (date, counts) -> {
          dates.add(date.toString());
          created.add((double) counts[0]);
          deleted.add((double) counts[1]);
          forgotten.add((double) counts[2]);
        });
    figure(
        SvgCharts.lines(
            "chart-growth",
            "memories in the file by creation day",
            List.of(new Line("memories created, still in the file", cumulative)),
            first == null ? "days" : "days after " + first,
            List.of(),
            "no memories"),
        "Memories now in the file, counted up by the day they were created.");
    figure(
        SvgCharts.columns(
            "chart-changes",
            weekly ? "created and removed per week" : "created and removed per day",
            dates,
            List.of(
                new Series("created", created),
                new Series("deleted", deleted),
                new Series("forgotten", forgotten)),
            "no changes"),
        "Created (still in the file), deleted and forgotten, per "
            + (weekly
                ? "week (from Monday), as the days span more than " + DAILY + " days."
                : "day."));
    html.append("</div>\n");
  }

  /** Days spanning more than this many are counted by week. */
  static final int DAILY = 120;

  private static boolean weekly(List<LocalDate> dates) {
    return !dates.isEmpty()
        && ChronoUnit.DAYS.between(
                dates.stream().min(LocalDate::compareTo).orElseThrow(),
                dates.stream().max(LocalDate::compareTo).orElseThrow())
            > DAILY;
  }

  /** The day itself, or the Monday of its week. */
  private static LocalDate period(LocalDate date, boolean weekly) {
    return weekly ? date.with(DayOfWeek.MONDAY) : date;
  }

  private void recalled() {
    section(
        "Most recalled",
        "The memories read or found most often (reads by id, search hits and reinforcements).");
    List<Bar> bars = new ArrayList<>();
    for (Memory memory : data.mostRecalled()) {
      bars.add(new Bar(text(memory), memory.accessCount(), memory.id() + ": " + text(memory)));
    }
    figure(
        SvgCharts.bars("chart-recalled", "most recalled memories", bars, "nothing recalled yet"),
        "Times recalled.");
    html.append("</div>");
    if (!data.mostRecalled().isEmpty()) {
      html.append(
          "<table><tr><th>recalled</th><th>last</th><th>type</th><th>id</th><th>text</th></tr>");
      for (Memory memory : data.mostRecalled()) {
        html.append("<tr><td class=\"n\">")
            .append(memory.accessCount())
            .append("</td><td>")
            .append(
                memory.lastAccessedAt() == null
                    ? ""
                    : escape(MINUTE.format(memory.lastAccessedAt())))
            .append("</td><td>")
            .append(escape(memory.type().wireName()))
            .append("</td><td>")
            .append(escape(memory.id()))
            .append("</td><td>")
            .append(escape(shorten(text(memory), 200)))
            .append("</td></tr>");
      }
      html.append("</table>\n");
    }
  }

  private static String text(Memory memory) {
    return memory.content() == null ? "[sealed]" : memory.content();
  }

  private void maintenance() {
    section(
        "Maintenance runs",
        "What each kept maintenance run did (the file keeps the last 100), oldest first.");
    if (data.activity() == null) {
      figure(
          SvgCharts.empty("chart-maintenance", "maintenance runs", "not readable"),
          data.activityRefusal());
      html.append("</div>\n");
      return;
    }
    List<MaintenanceReport> runs = data.activity().maintenanceRuns();
    List<String> times = new ArrayList<>();
    List<List<Double>> values = new ArrayList<>();
    String[] names = {"expired", "promoted", "folded", "pruned", "evicted", "withheld"};
    for (int index = 0; index < names.length; index++) {
      values.add(new ArrayList<>());
    }
    for (MaintenanceReport run : runs) {
      times.add(MINUTE.format(run.at()));
      int[] counts = {
        run.expired(), run.promoted(), run.folded(), run.pruned(), run.evicted(), run.withheld()
      };
      for (int index = 0; index < names.length; index++) {
        values.get(index).add((double) counts[index]);
      }
    }
    List<Series> series = new ArrayList<>();
    for (int index = 0; index < names.length; index++) {
      series.add(new Series(names[index], values.get(index)));
    }
    String chart =
        runs.isEmpty()
            ? SvgCharts.empty("chart-maintenance", "maintenance runs", "no maintenance run yet")
            : SvgCharts.columns(
                "chart-maintenance",
                "maintenance runs",
                times,
                series,
                runs.size() + " runs that changed nothing");
    figure(chart, "Memories each run expired, promoted, folded, pruned, evicted or withheld.");
    html.append("</div>");
    if (!runs.isEmpty()) {
      html.append(
          "<table><tr><th>run (UTC)</th><th>expired</th><th>promoted</th><th>folded</th>"
              + "<th>summaries</th><th>pruned</th><th>evicted</th><th>withheld</th><th>took</th></tr>");
      for (MaintenanceReport run : runs.subList(Math.max(0, runs.size() - 5), runs.size())) {
        html.append("<tr><td>").append(escape(MINUTE.format(run.at()))).append("</td>");
        for (long value :
            new long[] {
              run.expired(),
              run.promoted(),
              run.folded(),
              run.summaries(),
              run.pruned(),
              run.evicted(),
              run.withheld()
            }) {
          html.append("<td class=\"n\">").append(value).append("</td>");
        }
        html.append("<td class=\"n\">").append(run.took().toMillis()).append(" ms</td></tr>");
      }
      html.append("</table><p class=\"muted\">The last five runs.</p>\n");
    }
  }

  private void search() {
    section(
        "Search",
        "Latency: keyword searches this report ran on the file just now, each for two words of one"
            + " of the newest memories. Hit rates: the searches the audit trail recorded.");
    List<ReportData.Probe> probes = data.probes();
    List<String> labels = new ArrayList<>();
    List<Double> millis = new ArrayList<>();
    for (int index = 0; index < probes.size(); index++) {
      labels.add(Integer.toString(index + 1));
      millis.add(probes.get(index).millis());
    }
    double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    long withHits = probes.stream().filter(probe -> probe.hits() > 0).count();
    figure(
        SvgCharts.columns(
            "chart-latency",
            "search latency in milliseconds",
            labels,
            List.of(new Series("ms", millis)),
            "no memories to build searches from"),
        probes.isEmpty()
            ? "No searches run."
            : probes.size()
                + " keyword searches: p50 "
                + format(percentile(sorted, 0.5))
                + " ms, p95 "
                + format(percentile(sorted, 0.95))
                + " ms, "
                + withHits
                + " with hits. The first search of a process also opens the full-text index.");
    searchHistory();
    html.append("</div>\n");
  }

  private static double percentile(double[] sorted, double fraction) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.max(0, (int) Math.ceil(fraction * sorted.length) - 1)];
  }

  private void searchHistory() {
    List<AuditEntry> searches = data.searches();
    if (searches == null) {
      figure(
          SvgCharts.empty("chart-searches", "searches per day", "the audit trail is not readable"),
          "Searches per day: " + data.searchesRefusal());
      return;
    }
    Map<LocalDate, long[]> days = new TreeMap<>();
    long hits = 0;
    long failed = 0;
    boolean weekly =
        weekly(
            searches.stream()
                .map(entry -> LocalDate.ofInstant(entry.at(), ZoneOffset.UTC))
                .toList());
    for (AuditEntry entry : searches) {
      long[] counts =
          days.computeIfAbsent(
              period(LocalDate.ofInstant(entry.at(), ZoneOffset.UTC), weekly), day -> new long[3]);
      if (!entry.outcome().equals("ok")) {
        counts[2]++;
        failed++;
      } else if (entry.memoryIds().isEmpty()) {
        counts[1]++;
      } else {
        counts[0]++;
        hits++;
      }
    }
    List<String> dates = new ArrayList<>();
    List<List<Double>> series = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    days.forEach(
        (date, counts) -> {
          dates.add(date.toString());
          for (int index = 0; index < 3; index++) {
            series.get(index).add((double) counts[index]);
          }
        });
    String caption =
        searches.isEmpty()
            ? "The audit trail holds no search (a store keeps one only under an access policy)."
            : searches.size()
                + " searches recorded: "
                + format(100.0 * hits / searches.size())
                + "% found something, "
                + failed
                + " failed or were refused.";
    figure(
        SvgCharts.columns(
            "chart-searches",
            weekly ? "searches per week" : "searches per day",
            dates,
            List.of(
                new Series("with hits", series.get(0)),
                new Series("without hits", series.get(1)),
                new Series("failed", series.get(2))),
            "no searches in the audit trail"),
        caption);
  }

  private void graph() {
    Memory chosen = data.chosen();
    section(
        "Relationships",
        chosen == null
            ? "No memory has relationships."
            : "The links of "
                + chosen.id()
                + (data.related().size() > 24
                    ? " (the first 24 of " + data.related().size() + ")"
                    : "")
                + ". Choose another memory with --memory ID.");
    List<Neighbour> neighbours = new ArrayList<>();
    data.related().stream()
        .sorted(
            Comparator.comparing((RelatedMemory link) -> -link.relationship().strength())
                .thenComparing(link -> link.memory().id()))
        .limit(24)
        .forEach(
            link ->
                neighbours.add(
                    new Neighbour(
                        text(link.memory()),
                        link.memory().id() + ": " + text(link.memory()),
                        link.relationship().type(),
                        link.relationship().strength(),
                        link.outgoing())));
    figure(
        SvgCharts.graph(
            "chart-graph",
            "relationship graph",
            chosen == null ? null : new Bar(text(chosen), 0, chosen.id() + ": " + text(chosen)),
            neighbours),
        "Line width: strength. Hover a node for its full text.");
    html.append("</div>\n");
  }

  private void section(String title, String description) {
    html.append("<h2>")
        .append(escape(title))
        .append("</h2><p class=\"muted\">")
        .append(escape(description))
        .append("</p><div class=\"grid\">");
  }

  private void figure(String svg, String caption) {
    html.append("<figure>")
        .append(svg)
        .append("<figcaption>")
        .append(escape(caption))
        .append("</figcaption></figure>\n");
  }
}
