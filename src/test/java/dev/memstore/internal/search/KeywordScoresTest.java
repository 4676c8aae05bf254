package dev.memstore.internal.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.memstore.RetentionPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How hybrid fusion gives a semantic candidate that the keyword pool left out its BM25 score: from
 * every match of the keyword side, 0 when it matched none of the words.
 */
class KeywordScoresTest {
  private final KeywordSearch keywordSearch =
      new KeywordSearch(null, null, RetentionPolicy.DEFAULT);

  @Test
  void completeScores_givesTheMissingScoresFromTheMatches_andKeepsKnownOnes() {
    Candidate outsideThePool = new Candidate(5, "five", 0.5, 0);
    Candidate inThePool = new Candidate(7, "seven", 0.5, 0);
    inThePool.keyword = 4.0;
    Candidate noMatch = new Candidate(9, "nine", 0.5, 0);
    // Only the first three entries are matches: the arrays are longer, as a growing read leaves
    // them.
    KeywordIndex.Matches matches =
        new KeywordIndex.Matches(new long[] {7, 5, 3, 9}, new double[] {2.0, 1.5, 3.0, 8.0}, 3);

    keywordSearch.completeScores(
        List.of(outsideThePool, inThePool, noMatch), new KeywordSearch.Side(List.of(), matches));

    assertEquals(1.5, outsideThePool.keyword);
    assertEquals(4.0, inThePool.keyword, "a score the pool gave is kept");
    assertEquals(0.0, noMatch.keyword, "no match within the count: no word of the query");
  }
}
