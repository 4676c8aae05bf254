package dev.memstore.internal.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.Sql;
import dev.memstore.internal.store.StoreInternals;
import dev.memstore.testing.MemoryStoreExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The context a hybrid search reads for its leading candidates, on a real file. */
class CandidateContextTest {
  @RegisterExtension final MemoryStoreExtension stores = MemoryStoreExtension.withoutModel();

  private final MemoryStore store = stores.store();
  private final Database database = StoreInternals.database(store);

  private long seqOf(Memory memory) {
    return database.read(
        connection ->
            Sql.queryLong(connection, "select seq from memories where id = ?", memory.id()));
  }

  private Candidate candidate(Memory memory) {
    return new Candidate(seqOf(memory), memory.id(), 0.5, 0);
  }

  @Test
  void attach_setsTimesNamesAndSessionNeighbours_standInsForTheOthers() {
    String session = store.sessions().create(null, null, Map.of()).id();
    List<Memory> turns = new ArrayList<>();
    for (int turn = 0; turn < 4; turn++) {
      stores.clock().advance(Duration.ofMinutes(1));
      turns.add(
          store.create(
              NewMemory.builder("turn " + turn)
                  .sessionId(session)
                  .metadata(Map.of("speaker", "Emi Tanaka", "turn", turn, "note", "x".repeat(61)))
                  .build()));
    }
    Memory alone = store.create(NewMemory.of("no session"));

    Candidate second = candidate(turns.get(1));
    Candidate third = candidate(turns.get(2));
    Candidate first = candidate(turns.get(0));
    Candidate outside = candidate(alone);
    Map<Long, Candidate> candidates = new HashMap<>();
    for (Candidate candidate : List.of(second, third, first, outside)) {
      candidates.put(candidate.seq, candidate);
    }
    List<Candidate> standIns =
        CandidateContext.attach(database, List.of(third, first, outside), candidates);

    // The fourth turn is no candidate: it comes back as a stand-in, once.
    assertEquals(1, standIns.size());
    Candidate fourth = standIns.get(0);
    assertEquals(seqOf(turns.get(3)), fourth.seq);
    assertNull(fourth.semantic);
    assertSame(second, third.previous);
    assertSame(fourth, third.next);
    assertNull(first.previous, "the session's first turn");
    assertSame(second, first.next);
    assertNull(outside.previous);
    assertNull(outside.next);

    assertEquals(turns.get(2).createdAt().toEpochMilli(), third.createdAt);
    assertEquals(alone.createdAt().toEpochMilli(), outside.createdAt);
    // Text values of up to 60 characters: a name, not a number or a long text.
    assertEquals(List.of("Emi Tanaka"), third.metadataTexts);
    assertEquals(List.of(), outside.metadataTexts);
    assertNull(second.metadataTexts, "not asked for");
    assertEquals(List.of(), CandidateContext.attach(database, List.of(), candidates));
  }
}
