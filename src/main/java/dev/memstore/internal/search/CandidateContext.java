package dev.memstore.internal.search;

import dev.memstore.internal.json.Json;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.Sql;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what hybrid ranking needs about its candidates beyond their scores, in one indexed query:
 * each one's creation time and the memories just before and after it in its session (by creation
 * time, then by sequence), which a conversation's turn often needs to be understood. The neighbours
 * that are not candidates themselves come back as stand-ins, without scores, for the caller to
 * complete.
 */
final class CandidateContext {
  private CandidateContext() {}

  /**
   * Sets each candidate's creation time and neighbours; returns the stand-ins made for neighbours
   * that are not candidates.
   */
  static List<Candidate> attach(Database database, Map<Long, Candidate> candidates) {
    List<long[]> rows =
        database.read(
            connection ->
                Sql.query(
                    connection,
                    "select m.seq, m.created_at,"
                        + " (select p.seq from memories p where p.session_id = m.session_id"
                        + " and (p.created_at, p.seq) < (m.created_at, m.seq)"
                        + " order by p.created_at desc, p.seq desc limit 1),"
                        + " (select n.seq from memories n where n.session_id = m.session_id"
                        + " and (n.created_at, n.seq) > (m.created_at, m.seq)"
                        + " order by n.created_at, n.seq limit 1)"
                        + " from memories m where m.seq in (select value from json_each(?))",
                    row ->
                        new long[] {
                          row.getLong(1),
                          row.getLong(2),
                          row.getObject(3) == null ? -1 : row.getLong(3),
                          row.getObject(4) == null ? -1 : row.getLong(4)
                        },
                    Json.write(List.copyOf(candidates.keySet()))));
    Map<Long, Candidate> standIns = new HashMap<>();
    for (long[] row : rows) {
      Candidate candidate = candidates.get(row[0]);
      candidate.createdAt = row[1];
      candidate.previous = neighbour(row[2], candidates, standIns);
      candidate.next = neighbour(row[3], candidates, standIns);
    }
    return new ArrayList<>(standIns.values());
  }

  private static Candidate neighbour(
      long seq, Map<Long, Candidate> candidates, Map<Long, Candidate> standIns) {
    if (seq < 0) {
      return null;
    }
    Candidate known = candidates.get(seq);
    return known != null
        ? known
        : standIns.computeIfAbsent(seq, key -> new Candidate(key, null, 0, 0));
  }
}
