package dev.memstore.internal.lifecycle;

import dev.memstore.ExtractedFact;
import dev.memstore.Extractor;
import dev.memstore.MemoryType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The default extractor: first-person statements in the user's words, one clause at a time. It
 * knows a dozen English phrasings and nothing else; it does not resolve "it" or "that", read
 * negations other than the listed ones, or look at the assistant's answer.
 */
final class RuleExtractor implements Extractor {
  private record Rule(Pattern pattern, String template, MemoryType type, double importance) {}

  private static final String REST = "(.+)";
  private static final Pattern CLAUSES =
      Pattern.compile("(?i)[.!?;,\\n]+|\\s+(?:but|and|because|so|though|although)\\s+");

  private static final List<Rule> RULES =
      List.of(
          rule("\\bmy name is " + REST, "The user's name is %s.", MemoryType.SEMANTIC, 0.9),
          rule("\\bcall me " + REST, "The user wants to be called %s.", MemoryType.PREFERENCE, 0.8),
          rule(
              "\\bi am (\\d{1,3}) years old",
              "The user is %s years old.",
              MemoryType.SEMANTIC,
              0.7),
          rule(
              "\\bi(?: am|'m) allergic to " + REST,
              "The user is allergic to %s.",
              MemoryType.SEMANTIC,
              0.9),
          rule(
              "\\bi (?:work as|am working as|'m working as) (?:an? )?" + REST,
              "The user works as %s.",
              MemoryType.SEMANTIC,
              0.8),
          rule("\\bi work (?:at|for) " + REST, "The user works at %s.", MemoryType.SEMANTIC, 0.8),
          rule("\\bi live in " + REST, "The user lives in %s.", MemoryType.SEMANTIC, 0.8),
          rule(
              "\\bmy favou?rite ([a-z ]+?) is " + REST,
              "The user's favorite %s is %s.",
              MemoryType.PREFERENCE,
              0.7),
          rule(
              "\\bi (?:really )?(?:don't|do not) like " + REST,
              "The user dislikes %s.",
              MemoryType.PREFERENCE,
              0.7),
          rule(
              "\\bi (?:really )?(?:hate|dislike|can't stand|cannot stand) " + REST,
              "The user dislikes %s.",
              MemoryType.PREFERENCE,
              0.7),
          rule(
              "\\bi (?:really )?(?:love|adore) " + REST,
              "The user loves %s.",
              MemoryType.PREFERENCE,
              0.7),
          rule(
              "\\bi (?:really )?(?:like|enjoy) " + REST,
              "The user likes %s.",
              MemoryType.PREFERENCE,
              0.6),
          rule("\\bi prefer " + REST, "The user prefers %s.", MemoryType.PREFERENCE, 0.7));

  private static Rule rule(String regex, String template, MemoryType type, double importance) {
    return new Rule(Pattern.compile("(?i)" + regex), template, type, importance);
  }

  @Override
  public List<ExtractedFact> extract(String userInput, String assistantResponse) {
    Map<String, ExtractedFact> facts = new LinkedHashMap<>();
    for (String clause : CLAUSES.split(userInput)) {
      for (Rule rule : RULES) {
        Matcher matcher = rule.pattern().matcher(clause);
        if (!matcher.find()) {
          continue;
        }
        List<Object> parts = new ArrayList<>();
        for (int group = 1; group <= matcher.groupCount(); group++) {
          parts.add(matcher.group(group).strip());
        }
        if (parts.stream().anyMatch(part -> ((String) part).isEmpty())) {
          continue;
        }
        String content = String.format(rule.template(), parts.toArray());
        facts.putIfAbsent(
            content.toLowerCase(Locale.ROOT),
            new ExtractedFact(content, rule.type(), rule.importance()));
        break; // one fact per clause: the first, most specific rule wins
      }
    }
    return List.copyOf(facts.values());
  }
}
