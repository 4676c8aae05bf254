package dev.memstore.cli;

import dev.memstore.StoreStats;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** How store statistics look in memctl's human output. */
final class StatsView {
  private StatsView() {}

  static KeyValues of(StoreStats stats, Path file) {
    return new KeyValues()
        .add("file", file)
        .add(
            "memories",
            stats.totalMemories() + " live, " + stats.expiredMemories() + " expired (not pruned)")
        .add("by type", distribution(stats.memoriesByType()))
        .add("by tier", distribution(stats.memoriesByTier()))
        .add("average importance", MemoryViews.importance(stats.averageImportance()))
        .add("sessions", stats.sessions() + " (" + stats.activeSessions() + " active)")
        .add("relationships", stats.relationships())
        .add("context groups", stats.contextGroups())
        .add("embeddings", embeddings(stats))
        .add(
            "degraded",
            stats.degradedReason() == null
                ? "no"
                : "memories stored without vectors: " + stats.degradedReason())
        .add("file size", bytes(stats.fileSizeBytes()))
        .add("write-ahead log", bytes(stats.walSizeBytes()))
        .add("free pages", stats.freePages() + " (" + stats.pageSize() + " bytes each)")
        .add("schema version", stats.schemaVersion())
        .add("sqlite-vec", stats.sqliteVecVersion());
  }

  private static String embeddings(StoreStats stats) {
    String count = MemoryViews.count(stats.embeddedMemories(), "memory", "memories");
    return stats.embeddingModel() == null
        ? count + " (no model yet)"
        : count
            + ", model "
            + stats.embeddingModel()
            + ", "
            + stats.embeddingDimension()
            + " dimensions";
  }

  private static <E extends Enum<E>> String distribution(Map<E, Long> counts) {
    String shown =
        counts.entrySet().stream()
            .filter(entry -> entry.getValue() > 0)
            .sorted(Map.Entry.comparingByKey())
            .map(entry -> entry.getKey().name().toLowerCase(Locale.ROOT) + " " + entry.getValue())
            .collect(Collectors.joining(", "));
    return shown.isEmpty() ? "none" : shown;
  }

  /** A size in bytes, in binary units with one decimal above 1 KiB. */
  static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
