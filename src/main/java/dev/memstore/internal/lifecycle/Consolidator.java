package dev.memstore.internal.lifecycle;

import dev.memstore.ConsolidationReport;
import dev.memstore.HistoryEntry;
import dev.memstore.MemoryEvent;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryType;
import dev.memstore.ValidationException;
import dev.memstore.internal.events.Events;
import dev.memstore.internal.search.Scored;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.HistoryQueries;
import dev.memstore.internal.storage.MemoryQueries;
import dev.memstore.internal.storage.Sql;
import dev.memstore.internal.write.MemoryWrites;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Merges near-duplicates: memories of the same user and type whose vectors are at least the
 * threshold alike and that were created within the window of each other.
 *
 * <p>Greedy by importance: the most important memory not yet merged keeps every unmerged memory
 * above the threshold around it (found through the vector index, asking for more neighbours until
 * the last one is below the threshold). So every merged memory is above the threshold with the
 * memory it merged into, and no two kept memories are: the later one would have merged into the
 * earlier. The kept memory takes the union of tags, the sum of access counts and the highest
 * importance; the merged ones are archived (out of reads and searches) and linked from it by {@code
 * consolidated_from} relationships, and its history records the merge.
 */
public final class Consolidator {
  /** The similarity above which two memories count as one, per bundled model. */
  public static double defaultThreshold(String modelId) {
    // bge's similarities run high: at 0.93 it merged distinct long turns of REALTALK, at 0.95
    // only repeated greetings and the like (BENCHMARKS.md, lifecycle).
    return "all-minilm-l6-v2-q".equals(modelId) ? 0.92 : 0.95;
  }

  /** Finds the memories whose vectors are nearest to a vector, most similar first. */
  @FunctionalInterface
  public interface Neighbours {
    List<Scored> find(float[] vector, MemoryFilter filter, long now, int limit);
  }

  private final MemoryWrites writes;
  private final Database database;
  private final Neighbours neighbours;
  private final Events events;

  public Consolidator(
      MemoryWrites writes, Database database, Neighbours neighbours, Events events) {
    this.writes = writes;
    this.database = database;
    this.neighbours = neighbours;
    this.events = events;
  }

  private record Candidate(
      long seq,
      String id,
      MemoryType type,
      String userId,
      long createdAt,
      double importance,
      long accessCount,
      float[] vector) {}

  public ConsolidationReport consolidate(double threshold, Duration window, boolean dryRun) {
    if (!(threshold >= 0.5 && threshold <= 1)) {
      throw new ValidationException(
          "similarity_threshold",
          "similarity_threshold must be between 0.5 and 1, was " + threshold);
    }
    if (window == null || window.isNegative() || window.isZero()) {
      throw new ValidationException("time_window", "time_window must be positive");
    }
    long started = System.nanoTime();
    Instant now = writes.now();
    long nowMillis = now.toEpochMilli();
    List<Candidate> candidates = database.read(connection -> candidates(connection, nowMillis));
    candidates.sort(
        Comparator.comparingDouble(Candidate::importance)
            .reversed()
            .thenComparing(Comparator.comparingLong(Candidate::accessCount).reversed())
            .thenComparingLong(Candidate::seq));
    Map<Long, Candidate> bySeq = new HashMap<>();
    candidates.forEach(candidate -> bySeq.put(candidate.seq, candidate));
    Set<Long> taken = new HashSet<>();
    List<ConsolidationReport.Group> groups = new ArrayList<>();
    for (Candidate keeper : candidates) {
      if (!taken.add(keeper.seq)) {
        continue;
      }
      MemoryFilter filter =
          MemoryFilter.builder()
              .types(List.of(keeper.type))
              .userId(keeper.userId)
              .createdFrom(Instant.ofEpochMilli(keeper.createdAt).minus(window))
              .createdUntil(Instant.ofEpochMilli(keeper.createdAt).plus(window))
              .build();
      List<String> mergedIds = new ArrayList<>();
      List<Double> similarities = new ArrayList<>();
      for (Scored neighbour : neighboursAbove(keeper, filter, threshold, nowMillis)) {
        Candidate other = bySeq.get(neighbour.seq());
        // The filter's null user matches every user, so the user is checked here.
        if (other == null
            || !Objects.equals(other.userId, keeper.userId)
            || taken.contains(other.seq)) {
          continue;
        }
        taken.add(other.seq);
        mergedIds.add(other.id);
        similarities.add(neighbour.similarity());
      }
      if (!mergedIds.isEmpty()) {
        groups.add(new ConsolidationReport.Group(keeper.id, mergedIds, similarities));
      }
    }
    if (!dryRun) {
      for (ConsolidationReport.Group group : groups) {
        merge(group, now);
      }
    }
    int merged = groups.stream().mapToInt(group -> group.mergedIds().size()).sum();
    return new ConsolidationReport(
        groups, merged, threshold, window, dryRun, Duration.ofNanos(System.nanoTime() - started));
  }

  private List<Scored> neighboursAbove(
      Candidate keeper, MemoryFilter filter, double threshold, long now) {
    int wanted = 16;
    while (true) {
      List<Scored> found = neighbours.find(keeper.vector, filter, now, wanted);
      List<Scored> above =
          found.stream()
              .filter(hit -> hit.seq() != keeper.seq && hit.similarity() >= threshold)
              .toList();
      boolean exhausted =
          found.size() < wanted || found.get(found.size() - 1).similarity() < threshold;
      if (exhausted || wanted >= 4096) {
        return above;
      }
      wanted *= 4;
    }
  }

  /**
   * The memories that may merge: live, unsealed, and stating no keyed fact. A keyed fact never
   * merges: not with another key's fact (two facts, however alike their words), nor with another
   * value of its key (supersession keeps those apart in time), nor with a memory without a key
   * (which would take the fact's place unkeyed).
   */
  private static List<Candidate> candidates(Connection connection, long now) {
    return Sql.query(
        connection,
        """
        select m.seq, m.id, m.type, m.user_id, m.created_at, m.importance, m.access_count, e.vector
        from memories m join memory_embeddings e on e.memory_seq = m.seq
        where m.archived_at is null and (m.expires_at is null or m.expires_at > ?)
          and e.sealed = 0 and m.fact_key is null""",
        row -> {
          byte[] bytes = row.getBytes(8);
          float[] vector = new float[bytes.length / Float.BYTES];
          ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
          return new Candidate(
              row.getLong(1),
              row.getString(2),
              MemoryType.valueOf(row.getString(3).toUpperCase(Locale.ROOT)),
              row.getString(4),
              row.getLong(5),
              row.getDouble(6),
              row.getLong(7),
              vector);
        },
        now);
  }

  /** Merges one group in one transaction; skips what changed or vanished since the scan. */
  private void merge(ConsolidationReport.Group group, Instant now) {
    List<String> archived =
        database.write(
            connection -> {
              MemoryQueries.Row kept =
                  MemoryQueries.find(connection, group.keptId(), now.toEpochMilli());
              if (kept == null || kept.memory().archivedAt() != null) {
                return List.<String>of();
              }
              List<MemoryQueries.Row> merged =
                  MemoryQueries.findAll(connection, group.mergedIds(), now.toEpochMilli()).stream()
                      .filter(row -> row.memory().archivedAt() == null)
                      .toList();
              if (merged.isEmpty()) {
                return List.<String>of();
              }
              LinkedHashSet<String> tags = new LinkedHashSet<>(kept.memory().tags());
              double importance = kept.memory().importance();
              long accesses = kept.memory().accessCount();
              for (MemoryQueries.Row row : merged) {
                tags.addAll(row.memory().tags());
                importance = Math.max(importance, row.memory().importance());
                accesses += row.memory().accessCount();
              }
              Sql.update(
                  connection,
                  "update memories set importance = ?, access_count = ?, updated_at = ? where seq = ?",
                  importance,
                  accesses,
                  now.toEpochMilli(),
                  kept.seq());
              List<String> newTags = List.copyOf(tags);
              if (!newTags.equals(kept.memory().tags())) {
                MemoryQueries.replaceTags(connection, kept.seq(), newTags);
                MemoryQueries.replaceFullText(
                    connection, kept.seq(), kept.memory().content(), newTags);
              }
              MemoryQueries.logChange(connection, kept.seq());
              List<String> ids = new ArrayList<>();
              for (MemoryQueries.Row row : merged) {
                Sql.update(
                    connection,
                    """
                    update memories set archived_at = ?,
                      expires_at = case when ttl_seconds is null then null else expires_at end
                    where seq = ?""",
                    now.toEpochMilli(),
                    row.seq());
                MemoryQueries.logChange(connection, row.seq());
                Sql.update(
                    connection,
                    """
                    insert into relationships (source_id, target_id, type, strength, created_at)
                    values (?, ?, 'consolidated_from', 1, ?)
                    on conflict (source_id, target_id, type) do nothing""",
                    group.keptId(),
                    row.memory().id(),
                    now.toEpochMilli());
                HistoryQueries.add(
                    connection,
                    row.memory().id(),
                    HistoryEntry.Action.CONSOLIDATED,
                    now,
                    Map.of("consolidated_into", new HistoryEntry.Change(null, group.keptId())));
                ids.add(row.memory().id());
              }
              Map<String, HistoryEntry.Change> changes = new LinkedHashMap<>();
              changes.put("merged_ids", new HistoryEntry.Change(null, ids));
              if (importance != kept.memory().importance()) {
                changes.put(
                    "importance", new HistoryEntry.Change(kept.memory().importance(), importance));
              }
              if (!newTags.equals(kept.memory().tags())) {
                changes.put("tags", new HistoryEntry.Change(kept.memory().tags(), newTags));
              }
              HistoryQueries.add(
                  connection, group.keptId(), HistoryEntry.Action.CONSOLIDATED, now, changes);
              return ids;
            });
    if (!archived.isEmpty()) {
      events.publish(
          MemoryEvent.Type.CONSOLIDATED, group.keptId(), now, Map.of("merged_ids", archived));
      events.publishAll(MemoryEvent.Type.ARCHIVED, archived, now);
    }
  }
}
