package dev.memstore.cli;

import java.util.List;
import java.util.Locale;

/**
 * The charts of {@code memctl report}, drawn as inline SVG so that the page needs nothing but
 * itself: no script, no font, no image. Every chart is an {@code <svg class="chart">} whose data
 * marks carry the class {@code mark}; a chart without data says so in its frame. All text passes
 * through {@link #escape}, since labels hold memory text.
 */
final class SvgCharts {
  static final int WIDTH = 640;
  static final String[] PALETTE = {
    "#3366cc", "#dc3912", "#ff9900", "#109618", "#990099", "#0099c6", "#dd4477", "#66aa00"
  };

  private static final int LEFT = 56;
  private static final int RIGHT = 16;
  private static final int TOP = 28;
  private static final int BOTTOM = 36;

  private SvgCharts() {}

  /** One labelled value; {@code title} is the full text shown on hover (the label may be cut). */
  record Bar(String label, double value, String title) {
    Bar(String label, double value) {
      this(label, value, label);
    }
  }

  /** A named series of values, one per category of a column chart. */
  record Series(String name, List<Double> values) {}

  /** A named line through points (x, y). */
  record Line(String name, List<double[]> points) {}

  /**
   * A neighbour in a relationship graph: its label, the link's type and strength, and direction.
   */
  record Neighbour(String label, String title, String type, double strength, boolean outgoing) {}

  /** Escapes text for HTML and SVG content and attribute values. */
  static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    text.codePoints()
        .forEach(
            point -> {
              switch (point) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> {
                  // Control characters (but tab and line ends) are not allowed in HTML text.
                  if (point < 0x20 && point != '\t' && point != '\n' && point != '\r'
                      || point == 0x7f) {
                    escaped.append(' ');
                  } else {
                    escaped.appendCodePoint(point);
                  }
                }
              }
            });
    return escaped.toString();
  }

  /** Cuts text to at most {@code max} characters (code points), with an ellipsis if cut. */
  static String shorten(String text, int max) {
    String flat = text.replaceAll("\\s+", " ").strip();
    if (flat.codePointCount(0, flat.length()) <= max) {
      return flat;
    }
    return flat.substring(0, flat.offsetByCodePoints(0, max - 1)) + "…";
  }

  /**
   * Cuts an identifier to at most {@code max} characters by leaving out its middle: ids that share
   * a prefix differ at the end.
   */
  static String shortenMiddle(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int head = (max - 1) / 2;
    return text.substring(0, head) + "…" + text.substring(text.length() - (max - 1 - head));
  }

  /** Horizontal bars, one row per label, longest value full width. */
  static String bars(String id, String label, List<Bar> bars, String emptyMessage) {
    if (bars.isEmpty() || bars.stream().allMatch(bar -> bar.value() <= 0)) {
      return empty(id, label, emptyMessage);
    }
    int row = 24;
    int labelWidth = 220;
    int height = TOP + bars.size() * row + 12;
    double max = bars.stream().mapToDouble(Bar::value).max().orElse(1);
    int span = WIDTH - labelWidth - 80;
    StringBuilder svg = open(id, label, height);
    for (int index = 0; index < bars.size(); index++) {
      Bar bar = bars.get(index);
      int y = TOP + index * row;
      double width = Math.max(1, bar.value() / max * span);
      svg.append(
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"label\">"
                  .formatted(labelWidth - 8, y + 16))
          .append(escape(shorten(bar.label(), 30)))
          .append("</text>");
      svg.append(
              "<rect class=\"mark\" x=\"%d\" y=\"%d\" width=\"%s\" height=\"%d\" fill=\"%s\"><title>"
                  .formatted(labelWidth, y + 4, number(width), row - 8, PALETTE[0]))
          .append(escape(bar.title()))
          .append(": ")
          .append(format(bar.value()))
          .append("</title></rect>");
      svg.append(
          "<text x=\"%s\" y=\"%d\" class=\"value\">%s</text>"
              .formatted(number(labelWidth + width + 6), y + 16, format(bar.value())));
    }
    return svg.append("</svg>").toString();
  }

  /**
   * Vertical columns, one per category, each stacking the series' values; at most about a dozen
   * category labels are written under the axis.
   */
  static String columns(
      String id, String label, List<String> categories, List<Series> series, String emptyMessage) {
    double max = 0;
    for (int index = 0; index < categories.size(); index++) {
      double sum = 0;
      for (Series each : series) {
        sum += each.values().get(index);
      }
      max = Math.max(max, sum);
    }
    if (categories.isEmpty() || max <= 0) {
      return empty(id, label, emptyMessage);
    }
    int height = 260;
    double top = niceCeiling(max);
    StringBuilder svg = open(id, label, height);
    yAxis(svg, height, top, "");
    double plotWidth = WIDTH - LEFT - RIGHT;
    double slot = plotWidth / categories.size();
    double barWidth = Math.max(1, slot * 0.8);
    double plotHeight = height - TOP - BOTTOM;
    int labelEvery = Math.max(1, (int) Math.ceil(categories.size() / 12.0));
    for (int index = 0; index < categories.size(); index++) {
      double x = LEFT + index * slot + (slot - barWidth) / 2;
      double base = height - BOTTOM;
      for (int seriesIndex = 0; seriesIndex < series.size(); seriesIndex++) {
        Series each = series.get(seriesIndex);
        double value = each.values().get(index);
        if (value <= 0) {
          continue;
        }
        double barHeight = Math.max(1, value / top * plotHeight);
        base -= barHeight;
        svg.append(
                "<rect class=\"mark\" x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"><title>"
                    .formatted(
                        number(x),
                        number(base),
                        number(barWidth),
                        number(barHeight),
                        PALETTE[seriesIndex % PALETTE.length]))
            .append(escape(categories.get(index) + ", " + each.name() + ": " + format(value)))
            .append("</title></rect>");
      }
      if (index % labelEvery == 0) {
        svg.append(
                "<text x=\"%s\" y=\"%d\" text-anchor=\"middle\" class=\"tick\">"
                    .formatted(number(x + barWidth / 2), height - BOTTOM + 14))
            .append(escape(shorten(categories.get(index), 12)))
            .append("</text>");
      }
    }
    legend(svg, series.stream().map(Series::name).toList());
    return svg.append("</svg>").toString();
  }

  /**
   * Lines through points; the x axis runs from 0 (or the smallest x) to the largest x, the y axis
   * from 0; {@code guides} are dashed horizontal lines (for a threshold) with their names.
   */
  static String lines(
      String id,
      String label,
      List<Line> lines,
      String xUnit,
      List<Bar> guides,
      String emptyMessage) {
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double maxY = 0;
    int points = 0;
    for (Line line : lines) {
      for (double[] point : line.points()) {
        minX = Math.min(minX, point[0]);
        maxX = Math.max(maxX, point[0]);
        maxY = Math.max(maxY, point[1]);
        points++;
      }
    }
    for (Bar guide : guides) {
      maxY = Math.max(maxY, guide.value());
    }
    if (points == 0 || maxY <= 0) {
      return empty(id, label, emptyMessage);
    }
    minX = Math.min(minX, 0);
    if (maxX <= minX) {
      maxX = minX + 1;
    }
    int height = 280;
    double top = niceCeiling(maxY);
    StringBuilder svg = open(id, label, height);
    yAxis(svg, height, top, "");
    double plotWidth = WIDTH - LEFT - RIGHT;
    double plotHeight = height - TOP - BOTTOM;
    double x0 = minX;
    double xSpan = maxX - minX;
    for (int tick = 0; tick <= 4; tick++) {
      double value = x0 + xSpan * tick / 4;
      svg.append(
          "<text x=\"%s\" y=\"%d\" text-anchor=\"%s\" class=\"tick\">%s</text>"
              .formatted(
                  number(LEFT + plotWidth * tick / 4),
                  height - BOTTOM + 14,
                  tick == 4 ? "end" : "middle",
                  escape(format(value) + (tick == 4 ? " " + xUnit : ""))));
    }
    for (int index = 0; index < lines.size(); index++) {
      Line line = lines.get(index);
      String color = PALETTE[index % PALETTE.length];
      StringBuilder path = new StringBuilder();
      for (double[] point : line.points()) {
        double x = LEFT + (point[0] - x0) / xSpan * plotWidth;
        double y = height - BOTTOM - point[1] / top * plotHeight;
        path.append(path.isEmpty() ? "M" : " L").append(number(x)).append(',').append(number(y));
      }
      svg.append(
              "<path class=\"mark\" d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"><title>"
                  .formatted(path, color))
          .append(escape(line.name()))
          .append("</title></path>");
      if (line.points().size() == 1) {
        double[] point = line.points().get(0);
        svg.append(
            "<circle class=\"mark\" cx=\"%s\" cy=\"%s\" r=\"3\" fill=\"%s\"/>"
                .formatted(
                    number(LEFT + (point[0] - x0) / xSpan * plotWidth),
                    number(height - BOTTOM - point[1] / top * plotHeight),
                    color));
      }
    }
    for (Bar guide : guides) {
      double y = height - BOTTOM - guide.value() / top * plotHeight;
      svg.append(
              "<line x1=\"%d\" x2=\"%d\" y1=\"%s\" y2=\"%s\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>"
                  .formatted(LEFT, WIDTH - RIGHT, number(y), number(y)))
          .append(
              "<text x=\"%d\" y=\"%s\" text-anchor=\"end\" class=\"tick\">"
                  .formatted(WIDTH - RIGHT, number(y - 4)))
          .append(escape(guide.label()))
          .append("</text>");
    }
    legend(svg, lines.stream().map(Line::name).toList());
    return svg.append("</svg>").toString();
  }

  /** The chosen memory in the middle and its linked memories around it. */
  static String graph(String id, String label, Bar center, List<Neighbour> neighbours) {
    if (center == null) {
      return empty(id, label, "no relationships in the store");
    }
    int height = 460;
    double middleX = WIDTH / 2.0;
    double middleY = height / 2.0;
    double radius = 170;
    StringBuilder svg = open(id, label, height);
    StringBuilder nodes = new StringBuilder();
    for (int index = 0; index < neighbours.size(); index++) {
      Neighbour neighbour = neighbours.get(index);
      double angle = 2 * Math.PI * index / neighbours.size() - Math.PI / 2;
      double x = middleX + radius * 1.5 * Math.cos(angle);
      double y = middleY + radius * Math.sin(angle);
      String color = neighbour.outgoing() ? PALETTE[0] : PALETTE[2];
      svg.append(
              "<line class=\"mark\" x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" stroke-width=\"%s\"><title>"
                  .formatted(
                      number(middleX),
                      number(middleY),
                      number(x),
                      number(y),
                      color,
                      number(1 + 4 * neighbour.strength())))
          .append(
              escape(
                  (neighbour.outgoing() ? "to: " : "from: ")
                      + neighbour.type()
                      + ", strength "
                      + format(neighbour.strength())))
          .append("</title></line>");
      svg.append(
              "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" class=\"edge\">"
                  .formatted(number((middleX + x) / 2), number((middleY + y) / 2 - 3)))
          .append(escape(shorten(neighbour.type(), 16)))
          .append("</text>");
      nodes
          .append(
              "<circle class=\"mark\" cx=\"%s\" cy=\"%s\" r=\"7\" fill=\"%s\"><title>"
                  .formatted(number(x), number(y), color))
          .append(escape(neighbour.title()))
          .append("</title></circle>")
          .append(
              "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" class=\"label\">"
                  .formatted(number(x), number(y + (y < middleY ? -12 : 22))))
          .append(escape(shorten(neighbour.label(), 26)))
          .append("</text>");
    }
    svg.append(nodes);
    svg.append(
            "<circle class=\"mark\" cx=\"%s\" cy=\"%s\" r=\"11\" fill=\"%s\"><title>"
                .formatted(number(middleX), number(middleY), PALETTE[3]))
        .append(escape(center.title()))
        .append("</title></circle>")
        .append(
            "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" class=\"center\">"
                .formatted(number(middleX), number(middleY + 28)))
        .append(escape(shorten(center.label(), 40)))
        .append("</text>");
    legend(svg, List.of("links from it", "", "links to it"));
    return svg.append("</svg>").toString();
  }

  /** A chart frame without data, saying why. */
  static String empty(String id, String label, String message) {
    return open(id, label, 80)
        .append("<text x=\"%d\" y=\"46\" class=\"empty\">".formatted(WIDTH / 2))
        .append(escape(message))
        .append("</text></svg>")
        .toString();
  }

  private static StringBuilder open(String id, String label, int height) {
    return new StringBuilder(4096)
        .append(
            "<svg class=\"chart\" id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">"
                .formatted(escape(id), WIDTH, height, WIDTH, height, escape(label)))
        .append(
            "<rect class=\"frame\" x=\"0.5\" y=\"0.5\" width=\"%d\" height=\"%d\"/>"
                .formatted(WIDTH - 1, height - 1));
  }

  private static void yAxis(StringBuilder svg, int height, double top, String unit) {
    double plotHeight = height - TOP - BOTTOM;
    for (int tick = 0; tick <= 4; tick++) {
      double y = height - BOTTOM - plotHeight * tick / 4;
      svg.append(
          "<line x1=\"%d\" x2=\"%d\" y1=\"%s\" y2=\"%s\" class=\"grid\"/><text x=\"%d\" y=\"%s\" text-anchor=\"end\" class=\"tick\">%s</text>"
              .formatted(
                  LEFT,
                  WIDTH - RIGHT,
                  number(y),
                  number(y),
                  LEFT - 6,
                  number(y + 4),
                  escape(format(top * tick / 4) + unit)));
    }
  }

  private static void legend(StringBuilder svg, List<String> names) {
    if (names.size() < 2) {
      return;
    }
    double x = LEFT;
    for (int index = 0; index < names.size(); index++) {
      String name = names.get(index);
      if (name.isEmpty()) {
        continue;
      }
      svg.append(
              "<rect x=\"%s\" y=\"9\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%s\" y=\"18\" class=\"legend\">"
                  .formatted(number(x), PALETTE[index % PALETTE.length], number(x + 14)))
          .append(escape(name))
          .append("</text>");
      x += 24 + 7 * name.length();
    }
  }

  /** The smallest of 1, 2, 2.5, 5 times a power of ten at least {@code value}. */
  static double niceCeiling(double value) {
    if (value <= 0) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (step * power >= value - 1e-12) {
        return step * power;
      }
    }
    return 10 * power;
  }

  /** A value as the charts print it: whole numbers plain, others with up to two decimals. */
  static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : "%.2f", value);
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }
}
