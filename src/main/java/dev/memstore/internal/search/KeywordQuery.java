package dev.memstore.internal.search;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what a user typed into an FTS5 query: its words, lower-cased, without English stop words,
 * each quoted (so no character of user text is ever read as query syntax) and joined with OR, which
 * BM25 then ranks. Raw user text would break the parser ({@code user's dog} is a syntax error) or
 * change the query's meaning.
 */
public final class KeywordQuery {
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

  /** Common English function words; they match nearly every memory and only dilute BM25. */
  private static final Set<String> STOP_WORDS =
      Set.of(
          "a",
          "about",
          "above",
          "after",
          "again",
          "against",
          "all",
          "am",
          "an",
          "and",
          "any",
          "are",
          "as",
          "at",
          "be",
          "because",
          "been",
          "before",
          "being",
          "below",
          "between",
          "both",
          "but",
          "by",
          "can",
          "could",
          "did",
          "do",
          "does",
          "doing",
          "down",
          "during",
          "each",
          "few",
          "for",
          "from",
          "further",
          "had",
          "has",
          "have",
          "having",
          "he",
          "her",
          "here",
          "hers",
          "herself",
          "him",
          "himself",
          "his",
          "how",
          "i",
          "if",
          "in",
          "into",
          "is",
          "it",
          "its",
          "itself",
          "just",
          "me",
          "more",
          "most",
          "my",
          "myself",
          "no",
          "nor",
          "not",
          "now",
          "of",
          "off",
          "on",
          "once",
          "only",
          "or",
          "other",
          "our",
          "ours",
          "ourselves",
          "out",
          "over",
          "own",
          "s",
          "same",
          "she",
          "should",
          "so",
          "some",
          "such",
          "t",
          "than",
          "that",
          "the",
          "their",
          "theirs",
          "them",
          "themselves",
          "then",
          "there",
          "these",
          "they",
          "this",
          "those",
          "through",
          "to",
          "too",
          "under",
          "until",
          "up",
          "very",
          "was",
          "we",
          "were",
          "what",
          "when",
          "where",
          "which",
          "while",
          "who",
          "whom",
          "why",
          "will",
          "with",
          "would",
          "you",
          "your",
          "yours",
          "yourself",
          "yourselves",
          "d",
          "ll",
          "m",
          "o",
          "re",
          "ve",
          "y",
          "don",
          "didn",
          "doesn",
          "isn",
          "wasn",
          "weren",
          "won",
          "wouldn");

  private KeywordQuery() {}

  /**
   * Returns the text's searchable words: its runs of letters and digits, lower-cased, without
   * English stop words, in order of first occurrence.
   */
  public static Set<String> words(String text) {
    Set<String> words = new LinkedHashSet<>();
    Matcher matcher = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (matcher.find()) {
      String word = matcher.group();
      if (!STOP_WORDS.contains(word)) {
        words.add(word);
      }
    }
    return words;
  }

  /** Returns whether the lower-case word is an English stop word that searches leave out. */
  public static boolean isStopWord(String word) {
    return STOP_WORDS.contains(word);
  }

  /**
   * Returns the FTS5 query for the text, or null when it holds no searchable word. Each word is
   * quoted, though it holds only letters and digits: no word is ever read as an FTS5 keyword such
   * as {@code NOT} or {@code NEAR}.
   */
  public static String of(String text) {
    Set<String> terms = words(text);
    if (terms.isEmpty()) {
      return null;
    }
    StringBuilder query = new StringBuilder();
    for (String term : terms) {
      if (query.length() > 0) {
        query.append(" OR ");
      }
      query.append('"').append(term).append('"');
    }
    return query.toString();
  }
}
