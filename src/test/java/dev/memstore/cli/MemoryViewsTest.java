package dev.memstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MemoryViewsTest {
  private static final Instant NOW = Instant.parse("2025-06-15T12:00:00Z");

  @Test
  void ago_coarseUnits() {
    assertEquals("just now", MemoryViews.ago(NOW.minusMillis(300), NOW));
    assertEquals("42 s ago", MemoryViews.ago(NOW.minusSeconds(42), NOW));
    assertEquals("5 min ago", MemoryViews.ago(NOW.minus(Duration.ofMinutes(5)), NOW));
    assertEquals("3 h ago", MemoryViews.ago(NOW.minus(Duration.ofMinutes(200)), NOW));
    assertEquals("47 h ago", MemoryViews.ago(NOW.minus(Duration.ofHours(47)), NOW));
    assertEquals("3 d ago", MemoryViews.ago(NOW.minus(Duration.ofDays(3)), NOW));
    assertEquals("in 2 d", MemoryViews.ago(NOW.plus(Duration.ofDays(2)), NOW));
  }

  @Test
  void truncate_longText_cutsToWidthWithEllipsis() {
    String text = "x".repeat(100);
    String cut = MemoryViews.truncate(text, 60);
    assertEquals(60, cut.length());
    assertEquals("x".repeat(57) + "...", cut);
    assertEquals("short", MemoryViews.truncate("short", 60));
  }

  @Test
  void truncate_neverSplitsSurrogatePairs() {
    String text = Character.toString(0x1F600).repeat(70);
    String cut = MemoryViews.truncate(text, 60);
    assertEquals(60, cut.codePointCount(0, cut.length()));
  }

  @Test
  void oneLine_joinsLines() {
    assertEquals("first second third", MemoryViews.oneLine("first\nsecond\r\n\tthird\n"));
  }
}
