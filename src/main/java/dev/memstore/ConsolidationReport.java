package dev.memstore;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a consolidation merged, or in a dry run would merge. Immutable.
 *
 * @param groups each kept memory with the near-duplicates merged into it
 * @param merged how many memories were merged away (the sum over the groups)
 * @param threshold the cosine similarity above which memories merged
 * @param window how far apart in creation time merged memories could be
 * @param dryRun whether nothing was changed
 * @param took how long it took
 */
public record ConsolidationReport(
    List<Group> groups,
    int merged,
    double threshold,
    Duration window,
    boolean dryRun,
    Duration took) {

  public ConsolidationReport {
    groups = List.copyOf(groups);
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(took, "took");
  }

  /**
   * One kept memory and what merged into it.
   *
   * @param keptId the memory that stays: the most important of the group
   * @param mergedIds the near-duplicates merged into it, most similar first
   * @param similarities their cosine similarity to the kept memory, in the same order
   */
  public record Group(String keptId, List<String> mergedIds, List<Double> similarities) {
    public Group {
      Objects.requireNonNull(keptId, "keptId");
      mergedIds = List.copyOf(mergedIds);
      similarities = List.copyOf(similarities);
    }
  }
}
