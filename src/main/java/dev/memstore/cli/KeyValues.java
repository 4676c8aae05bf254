package dev.memstore.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Lines of {@code key: value} with the values aligned; continuation lines stay in the column.
 * Control characters other than line breaks and tabs are shown escaped ({@link TerminalText}).
 */
final class KeyValues {
  private final List<String[]> rows = new ArrayList<>();

  /** Adds a line; a null value shows as {@code -}. */
  KeyValues add(String key, Object value) {
    rows.add(new String[] {key, value == null ? "-" : value.toString()});
    return this;
  }

  /** Adds a line only when the value is not null. */
  KeyValues addIfPresent(String key, Object value) {
    return value == null ? this : add(key, value);
  }

  void print(PrintWriter out, String indent) {
    int width = rows.stream().mapToInt(row -> row[0].length()).max().orElse(0) + 2;
    String continuation = indent + " ".repeat(width);
    for (String[] row : rows) {
      // Only real line breaks start lines; other separators are escaped within a line.
      String[] lines = TerminalText.lines(row[1].replace("\r\n", "\n")).split("\n", -1);
      out.println(indent + pad(TerminalText.line(row[0]) + ":", width) + lines[0]);
      for (int i = 1; i < lines.length; i++) {
        out.println((continuation + lines[i]).stripTrailing());
      }
    }
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(Math.max(0, width - text.length()));
  }
}
