package dev.memstore.internal.search;

import dev.memstore.internal.json.Json;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.Sql;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what hybrid ranking needs about its leading candidates beyond their scores, in one indexed
 * query: each one's creation time, the short text values of its metadata (where names live), and
 * the memories just before and after it in its session (by creation time, then by sequence), which
 * a conversation's turn often needs to be understood. The neighbours that are not candidates
 * themselves come back as stand-ins, without scores, for the caller to complete.
 */
final class CandidateContext {
  private CandidateContext() {}

  /**
   * Sets the creation time and neighbours of the given candidates; returns the stand-ins made for
   * neighbours that are not among all the candidates.
   */
  static List<Candidate> attach(
      Database database, List<Candidate> given, Map<Long, Candidate> candidates) {
    List<Object[]> rows =
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
                        + " order by n.created_at, n.seq limit 1),"
                        + " (select json_group_array(j.value) from json_each(case when"
                        + " json_valid(m.metadata) then m.metadata else '{}' end) j"
                        + " where j.type = 'text' and length(j.value) <= 60)"
                        + " from memories m where m.seq in (select value from json_each(?))",
                    row ->
                        new Object[] {
                          row.getLong(1),
                          row.getLong(2),
                          row.getObject(3) == null ? null : row.getLong(3),
                          row.getObject(4) == null ? null : row.getLong(4),
                          row.getString(5)
                        },
                    Json.write(given.stream().map(candidate -> candidate.seq).toList())));
    Map<Long, Candidate> standIns = new HashMap<>();
    for (Object[] row : rows) {
      Candidate candidate = candidates.get((Long) row[0]);
      candidate.createdAt = (Long) row[1];
      candidate.previous = neighbour((Long) row[2], candidates, standIns);
      candidate.next = neighbour((Long) row[3], candidates, standIns);
      candidate.metadataTexts = Json.readStringList((String) row[4]);
    }
    return new ArrayList<>(standIns.values());
  }

  private static Candidate neighbour(
      Long seq, Map<Long, Candidate> candidates, Map<Long, Candidate> standIns) {
    if (seq == null) {
      return null;
    }
    Candidate known = candidates.get(seq);
    return known != null
        ? known
        : standIns.computeIfAbsent(seq, key -> new Candidate(key, null, 0, 0));
  }
}
