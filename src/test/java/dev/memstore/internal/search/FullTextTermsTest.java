package dev.memstore.internal.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryTier;
import dev.memstore.NewMemory;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.Sql;
import dev.memstore.internal.store.StoreInternals;
import dev.memstore.testing.MemoryStoreExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The keyword index as FullTextTerms fills it: archived memories (a session's turns once it ends)
 * stay in FTS5's statistics but never match, whether they were archived before a load or between
 * updates.
 */
class FullTextTermsTest {
  @RegisterExtension
  final MemoryStoreExtension stores = MemoryStoreExtension.withWordHashModel("word-hash", 32);

  private final MemoryStore store = stores.store();
  private final Database database = StoreInternals.database(store);

  private Memory turn(String session, String text) {
    return store.create(
        NewMemory.builder(text).sessionId(session).tier(MemoryTier.SHORT_TERM).build());
  }

  private long seq(Memory memory) {
    return database.read(
        connection ->
            Sql.queryLong(connection, "select seq from memories where id = ?", memory.id()));
  }

  private int matches(KeywordIndex index, String word) {
    List<String> terms =
        database.read(connection -> FullTextTerms.terms(connection, List.of(word))).get(0);
    return index.match(terms).count();
  }

  @Test
  void archivedMemories_neverMatch_whetherArchivedBeforeTheLoadOrAfter() {
    String ended = store.sessions().create(null, null, Map.of()).id();
    turn(ended, "apple in a turn");
    store.create(NewMemory.of("apple kept"));
    // Its short-term turns are archived; the summary given holds no apple.
    store.sessions().end(ended, "a short talk", true);
    String open = store.sessions().create(null, null, Map.of()).id();
    Memory later = turn(open, "apple in a later turn");

    KeywordIndex index = new KeywordIndex();
    FullTextTerms.load(database, index);
    assertEquals(4, index.size(), "the archived turn stays in the statistics, beside the summary");
    assertEquals(2, matches(index, "apple"), "the memory kept and the open session's turn");

    store.sessions().end(open, "another short talk", true);
    database.read(
        connection -> {
          FullTextTerms.update(connection, index, List.of(seq(later)));
          return null;
        });
    assertEquals(1, matches(index, "apple"));
  }
}
