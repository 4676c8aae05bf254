package dev.memstore.cli;

import static dev.memstore.cli.ReportCommandTest.chart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.RetentionPolicy;
import dev.memstore.StoreActivity;
import dev.memstore.StoreStats;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page's rules that need no store: empty data, refusals, long spans, escaping. */
class HtmlReportTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final StoreActivity NOTHING =
      new StoreActivity(List.of(), Collections.nCopies(10, 0L), Map.of(), List.of(), null);

  private static ReportData data(StoreActivity activity, String refusal) {
    return new ReportData(
        Path.of("/tmp/memory.db"),
        NOW,
        StoreStats.builder().build(),
        activity,
        refusal,
        RetentionPolicy.DEFAULT,
        List.of(),
        null,
        List.of(),
        activity == null ? null : List.of(),
        activity == null ? refusal : null,
        List.of());
  }

  private static long marks(String svg) {
    return Pattern.compile("class=\"mark\"").matcher(svg).results().count();
  }

  @Test
  void render_emptyStore_drawsEveryChartFrameSayingWhy() {
    String html = HtmlReport.render(data(NOTHING, null));
    for (String id : HtmlReport.CHARTS) {
      String svg = chart(html, id);
      if (!id.equals("chart-decay")) {
        assertEquals(0, marks(svg), id);
        assertTrue(svg.contains("class=\"empty\""), id);
      }
    }
    // The decay curves come from the settings, not the data.
    assertEquals(3, marks(chart(html, "chart-decay")));
    assertTrue(chart(html, "chart-graph").contains("no relationships in the store"));
  }

  @Test
  void render_activityRefused_saysWhy() {
    String refusal = "permission_denied: agent reader may not read the activity";
    String html = HtmlReport.render(data(null, refusal));
    assertTrue(html.contains("not readable"));
    assertTrue(html.contains(refusal), html);
    for (String id : HtmlReport.CHARTS) {
      chart(html, id);
    }
  }

  @Test
  void render_daysSpanningHalfAYear_areCountedByWeek() {
    LocalDate monday = LocalDate.of(2026, 1, 5);
    StoreActivity activity =
        new StoreActivity(
            List.of(
                new StoreActivity.Day(monday, 3, 0, 0),
                new StoreActivity.Day(monday.plusDays(6), 2, 1, 0),
                new StoreActivity.Day(monday.plusDays(200), 1, 0, 1)),
            Collections.nCopies(10, 0L),
            Map.of(),
            List.of(),
            null);
    String changes = chart(HtmlReport.render(data(activity, null)), "chart-changes");
    assertTrue(changes.contains("created and removed per week"));
    // The first week: 5 created and 1 deleted in two marks; the last: 1 created, 1 forgotten.
    assertEquals(4, marks(changes));
    assertTrue(changes.contains("2026-01-05, created: 5"), changes);

    StoreActivity shortSpan =
        new StoreActivity(
            activity.days().subList(0, 2), Collections.nCopies(10, 0L), Map.of(), List.of(), null);
    String daily = chart(HtmlReport.render(data(shortSpan, null)), "chart-changes");
    assertTrue(daily.contains("created and removed per day"));
    assertTrue(daily.contains("2026-01-11, created: 2"), daily);
  }

  @Test
  void escape_markupAndControlCharacters_becomeText() {
    assertEquals(
        "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp; z",
        SvgCharts.escape("<a href=\"x\" title='y'>&amp;\u0000z"));
  }

  @Test
  void shortenMiddle_longId_keepsItsEnds() {
    assertEquals(
        "session-01m8j9…2f67q8ybp850ecw",
        SvgCharts.shortenMiddle("session-01m8j9ky00z2f67q8ybp850ecw", 30));
    assertEquals("alice", SvgCharts.shortenMiddle("alice", 30));
  }

  @Test
  void shorten_longText_isCutOnCodePointsWithAnEllipsis() {
    assertEquals("ab…", SvgCharts.shorten("ab\uD83D\uDE00cd", 3));
    assertEquals("a b", SvgCharts.shorten("a \n b", 10));
    assertFalse(SvgCharts.shorten("x".repeat(100), 34).length() > 34);
  }
}
