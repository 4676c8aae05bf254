package dev.memstore.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table of left-aligned columns two spaces apart, with a header row; every cell is shown on one
 * line with its control characters escaped ({@link TerminalText}).
 */
final class TextTable {
  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  TextTable(String... headers) {
    this.columns = headers.length;
    rows.add(headers);
  }

  TextTable add(String... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException(
          "a row of " + cells.length + " cells in a table of " + columns + " columns");
    }
    rows.add(Arrays.stream(cells).map(TerminalText::line).toArray(String[]::new));
    return this;
  }

  /** Returns the number of rows below the header. */
  int size() {
    return rows.size() - 1;
  }

  /** Prints the table unless it has no rows: an empty list shows only the line that counts it. */
  void printUnlessEmpty(PrintWriter out) {
    if (size() > 0) {
      print(out, "");
    }
  }

  void print(PrintWriter out, String indent) {
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int column = 0; column < columns; column++) {
        widths[column] = Math.max(widths[column], row[column].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder(indent);
      for (int column = 0; column < columns; column++) {
        line.append(row[column]);
        if (column < columns - 1) {
          line.append(" ".repeat(widths[column] - row[column].length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
