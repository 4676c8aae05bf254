package dev.memstore.cli;

import dev.memstore.Memory;
import dev.memstore.Page;
import dev.memstore.internal.json.Json;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** How memories look in memctl's human output. */
final class MemoryViews {
  /** How much text a table row shows unless asked for all of it. */
  static final int TEXT_WIDTH = 60;

  private MemoryViews() {}

  /** A memory's fields as aligned lines; unset optional fields are left out. */
  static KeyValues details(Memory memory, Instant now) {
    KeyValues lines =
        new KeyValues()
            .add("id", memory.id())
            .add("type", memory.type().wireName())
            .add("tier", memory.tier().wireName())
            .add("importance", importance(memory.importance()))
            .add("priority", memory.priority())
            .addIfPresent(
                "sensitive", memory.sensitive() ? "yes (sealed with the store key)" : null)
            .addIfPresent("tags", memory.tags().isEmpty() ? null : String.join(", ", memory.tags()))
            .add("created", time(memory.createdAt(), now))
            .add("updated", time(memory.updatedAt(), now))
            .addIfPresent("ttl", memory.ttl() == null ? null : memory.ttl().toSeconds() + " s")
            .addIfPresent("expires", time(memory.expiresAt(), now))
            .addIfPresent("last accessed", time(memory.lastAccessedAt(), now))
            .add("access count", memory.accessCount())
            .addIfPresent("parent", memory.parentId())
            .addIfPresent("session", memory.sessionId())
            .addIfPresent("user", memory.userId())
            .addIfPresent("agent", memory.agentId())
            .addIfPresent("source agent", memory.sourceAgent())
            .addIfPresent(
                "metadata", memory.metadata().isEmpty() ? null : Json.write(memory.metadata()))
            .addIfPresent("fact key", memory.factKey())
            .addIfPresent("valid from", time(memory.validFrom(), now))
            .addIfPresent("valid to", time(memory.validTo(), now))
            .addIfPresent("superseded by", memory.supersededBy());
    return lines.add("text", memory.content());
  }

  /** A page of memories as a table (when not empty) and its "N of M memories" line. */
  static void printPage(PrintWriter out, Page<Memory> page, Instant now, boolean fullText) {
    if (!page.items().isEmpty()) {
      table(page.items(), now, fullText).print(out, "");
    }
    out.println(ListCommand.summary(page));
  }

  /** Memories as a table: id, type, tier, importance, age and text. */
  static TextTable table(List<Memory> memories, Instant now, boolean fullText) {
    TextTable table = new TextTable("ID", "TYPE", "TIER", "IMP", "CREATED", "TEXT");
    for (Memory memory : memories) {
      table.add(
          memory.id(),
          memory.type().wireName(),
          memory.tier().wireName(),
          importance(memory.importance()),
          ago(memory.createdAt(), now),
          fullText ? oneLine(memory.content()) : truncate(oneLine(memory.content()), TEXT_WIDTH));
    }
    return table;
  }

  /** A count with its noun: "1 memory", "2 memories", "0 memories". */
  static String count(long count, String one, String many) {
    return count + " " + (count == 1 ? one : many);
  }

  static String importance(double importance) {
    return String.format(Locale.ROOT, "%.2f", importance);
  }

  /** An instant in the protocol's format with how long ago it was; null stays null. */
  static String time(Instant instant, Instant now) {
    return instant == null ? null : Json.formatInstant(instant) + " (" + ago(instant, now) + ")";
  }

  /** How far an instant is from now, coarsely: "3 h ago", "in 2 d", "just now". */
  static String ago(Instant instant, Instant now) {
    Duration distance = Duration.between(instant, now);
    if (distance.abs().compareTo(Duration.ofSeconds(1)) < 0) {
      return "just now";
    }
    return distance.isNegative() ? "in " + span(distance.negated()) : span(distance) + " ago";
  }

  private static String span(Duration duration) {
    if (duration.compareTo(Duration.ofMinutes(1)) < 0) {
      return duration.toSeconds() + " s";
    }
    if (duration.compareTo(Duration.ofHours(1)) < 0) {
      return duration.toMinutes() + " min";
    }
    if (duration.compareTo(Duration.ofHours(48)) < 0) {
      return duration.toHours() + " h";
    }
    return duration.toDays() + " d";
  }

  /** The text on one line, so a table row stays one row. */
  static String oneLine(String text) {
    return text.replaceAll("[\\r\\n\\t]+", " ").strip();
  }

  /** At most {@code width} characters, ending in "..." when cut; never splits a code point. */
  static String truncate(String text, int width) {
    if (text.codePointCount(0, text.length()) <= width) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, width - 3)) + "...";
  }
}
