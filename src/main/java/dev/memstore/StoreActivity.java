package dev.memstore;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the file holds in figures beyond {@link StoreStats}: what was added and removed day by day,
 * how important its memories are, whose they are, the kept maintenance runs and the most linked
 * memory. Read by {@link StoreFile#activity()}; immutable.
 *
 * @param days one entry per UTC day on which a memory now in the file was created or a memory was
 *     deleted or forgotten, oldest first
 * @param importanceCounts how many live memories have a stored importance in each tenth of 0..1:
 *     ten counts, the first for [0, 0.1), the last for [0.9, 1]
 * @param memoriesByUser live memories per user id; memories without a user are not in it
 * @param maintenanceRuns the maintenance runs the file keeps (the last 100), oldest first
 * @param mostLinkedMemoryId the memory with the most relationships in either direction (ties go to
 *     the smaller id), or null when there are none
 */
public record StoreActivity(
    List<Day> days,
    List<Long> importanceCounts,
    Map<String, Long> memoriesByUser,
    List<MaintenanceReport> maintenanceRuns,
    String mostLinkedMemoryId) {

  /**
   * One UTC day's changes.
   *
   * @param date the day
   * @param created memories created that day that are still in the file (expired and archived ones
   *     included)
   * @param deleted memories deleted that day by any means but forgetting: deletions, expiry,
   *     pruning, eviction, folding into summaries, merging
   * @param forgotten memories removed that day by forgets (which leave no history of their own)
   */
  public record Day(LocalDate date, long created, long deleted, long forgotten) {
    public Day {
      Objects.requireNonNull(date, "date");
    }
  }

  public StoreActivity {
    days = List.copyOf(days);
    importanceCounts = List.copyOf(importanceCounts);
    memoriesByUser = Map.copyOf(memoriesByUser);
    maintenanceRuns = List.copyOf(maintenanceRuns);
  }
}
