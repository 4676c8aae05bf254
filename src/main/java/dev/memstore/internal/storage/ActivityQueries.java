package dev.memstore.internal.storage;

import dev.memstore.MaintenanceReport;
import dev.memstore.StoreActivity;
import dev.memstore.internal.json.Json;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SQL of {@link StoreActivity}: aggregates over the whole file, each one query, so that a
 * report on a large file reads no memory's content.
 */
public final class ActivityQueries {
  private static final String LIVE = "(expires_at is null or expires_at > ?)";
  private static final String DAY = "strftime('%%Y-%%m-%%d', %s / 1000, 'unixepoch')";

  private ActivityQueries() {}

  /** Reads the activity of the file as of {@code now} (epoch milliseconds). */
  public static StoreActivity read(Connection connection, long now) {
    Map<LocalDate, long[]> days = new TreeMap<>();
    countByDay(
        connection,
        "select " + DAY.formatted("created_at") + ", count(*) from memories group by 1",
        days,
        0);
    countByDay(
        connection,
        "select "
            + DAY.formatted("at")
            + ", count(*) from memory_history where action = 'deleted' group by 1",
        days,
        1);
    countByDay(
        connection,
        "select "
            + DAY.formatted("at")
            + ", sum(coalesce(json_extract(removed, '$.memories'), 0)) from forget_receipts"
            + " group by 1",
        days,
        2);
    List<StoreActivity.Day> dayList = new ArrayList<>(days.size());
    days.forEach(
        (date, counts) ->
            dayList.add(new StoreActivity.Day(date, counts[0], counts[1], counts[2])));
    List<Long> importance = new ArrayList<>(Collections.nCopies(10, 0L));
    Sql.query(
        connection,
        "select min(cast(importance * 10 as integer), 9), count(*) from memories where "
            + LIVE
            + " group by 1",
        row -> importance.set(row.getInt(1), row.getLong(2)),
        now);
    Map<String, Long> byUser = new HashMap<>();
    Sql.query(
        connection,
        "select user_id, count(*) from memories where user_id is not null and "
            + LIVE
            + " group by user_id",
        row -> byUser.put(row.getString(1), row.getLong(2)),
        now);
    List<MaintenanceReport> runs =
        Sql.query(
            connection,
            "select at, report from maintenance_runs order by seq",
            row -> maintenance(row.getLong(1), Json.readObject(row.getString(2))));
    String mostLinked =
        Sql.queryFirst(
            connection,
            "select id from (select source_id as id from relationships"
                + " union all select target_id from relationships)"
                + " group by id order by count(*) desc, id limit 1",
            row -> row.getString(1));
    return new StoreActivity(dayList, importance, byUser, runs, mostLinked);
  }

  private static void countByDay(
      Connection connection, String sql, Map<LocalDate, long[]> days, int column) {
    Sql.query(
        connection,
        sql,
        row ->
            days.computeIfAbsent(LocalDate.parse(row.getString(1)), day -> new long[3])[column] =
                row.getLong(2));
  }

  private static MaintenanceReport maintenance(long at, Map<String, Object> counts) {
    return new MaintenanceReport(
        Instant.ofEpochMilli(at),
        count(counts, "expired"),
        count(counts, "promoted"),
        count(counts, "folded"),
        count(counts, "summaries"),
        count(counts, "pruned"),
        count(counts, "evicted"),
        count(counts, "withheld"),
        Boolean.TRUE.equals(counts.get("checkpointed")),
        Duration.ofMillis(counts.get("took_ms") instanceof Number took ? took.longValue() : 0));
  }

  private static int count(Map<String, Object> counts, String key) {
    return counts.get(key) instanceof Number number ? number.intValue() : 0;
  }
}
