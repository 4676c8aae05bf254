package dev.memstore.internal.lifecycle;

import dev.memstore.Memory;
import dev.memstore.Summarizer;
import dev.memstore.internal.search.KeywordQuery;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The default summarizer: counts and time span, then up to {@value #POINTS} memories quoted in
 * their original order, chosen by maximal marginal relevance over word counts: each next one is the
 * most similar to the whole set (representative) minus its similarity to those already chosen (not
 * redundant). Deterministic, no model.
 */
public final class ExtractiveSummarizer implements Summarizer {
  static final int POINTS = 5;
  private static final int QUOTE_LIMIT = 200;
  private static final double REDUNDANCY_WEIGHT = 0.7;
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  @Override
  public String summarize(List<Memory> memories) {
    List<Map<String, Integer>> words = new ArrayList<>();
    Map<String, Integer> all = new HashMap<>();
    for (Memory memory : memories) {
      Map<String, Integer> counts = wordsOf(memory.content());
      words.add(counts);
      counts.forEach((word, count) -> all.merge(word, count, Integer::sum));
    }
    List<Integer> chosen = new ArrayList<>();
    Set<Integer> left = new HashSet<>();
    for (int index = 0; index < memories.size(); index++) {
      if (!words.get(index).isEmpty()) {
        left.add(index);
      }
    }
    while (chosen.size() < POINTS && !left.isEmpty()) {
      int best = -1;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int candidate : left) {
        double redundancy = 0;
        for (int picked : chosen) {
          redundancy = Math.max(redundancy, cosine(words.get(candidate), words.get(picked)));
        }
        double score = cosine(words.get(candidate), all) - REDUNDANCY_WEIGHT * redundancy;
        if (score > bestScore || (score == bestScore && candidate < best)) {
          best = candidate;
          bestScore = score;
        }
      }
      chosen.add(best);
      left.remove(best);
    }
    chosen.sort(Integer::compare);
    Memory first = memories.get(0);
    Memory last = memories.get(memories.size() - 1);
    StringBuilder text = new StringBuilder();
    text.append(memories.size())
        .append(memories.size() == 1 ? " memory" : " memories")
        .append(" from ")
        .append(TIME.format(first.createdAt()))
        .append(" to ")
        .append(TIME.format(last.createdAt()))
        .append('.');
    if (!chosen.isEmpty()) {
      text.append(" Key points:");
      for (int index : chosen) {
        text.append(' ').append(quote(memories.get(index).content()));
      }
    }
    return text.toString();
  }

  private static String quote(String content) {
    String line = content.strip().replaceAll("\\s+", " ");
    if (line.length() > QUOTE_LIMIT) {
      line = line.substring(0, QUOTE_LIMIT - 1).strip() + "\u2026";
    }
    return line.matches(".*[.!?\u2026]$") ? line : line + ".";
  }

  private static Map<String, Integer> wordsOf(String text) {
    Map<String, Integer> counts = new HashMap<>();
    var matcher = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (matcher.find()) {
      String word = matcher.group();
      if (word.length() > 2 && !KeywordQuery.isStopWord(word)) {
        counts.merge(word, 1, Integer::sum);
      }
    }
    return counts;
  }

  private static double cosine(Map<String, Integer> left, Map<String, Integer> right) {
    double dot = 0;
    for (Map.Entry<String, Integer> entry : left.entrySet()) {
      Integer other = right.get(entry.getKey());
      if (other != null) {
        dot += entry.getValue() * (double) other;
      }
    }
    return dot == 0 ? 0 : dot / (norm(left) * norm(right));
  }

  private static double norm(Map<String, Integer> counts) {
    double sum = 0;
    for (int count : counts.values()) {
      sum += (double) count * count;
    }
    return Math.sqrt(sum);
  }
}
