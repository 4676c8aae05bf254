package dev.memstore.internal.lifecycle;

import dev.memstore.CandidateFact;
import dev.memstore.ExtractedFact;
import dev.memstore.Extractor;
import dev.memstore.FactAction;
import dev.memstore.MemoryType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The default extractor: first-person statements in the user's words, one clause at a time. It
 * knows a few dozen English phrasings and nothing else; it does not resolve "it" or "that", read
 * negations other than the listed ones, or look at the assistant's answer.
 *
 * <p>Precision comes first, since a wrong key supersedes a true fact: a fact gets a key only when
 * its clause starts with the statement (after a greeting or "actually"), is no question, hypothesis
 * or joke, and its value has the expected shape (a capitalised place or name, a phone number with
 * seven digits, an address with an at sign). Anything else is stored without a key, as before keys
 * existed. Measured on src/test/resources/facts/statements.jsonl by ExtractorBenchmark.
 */
public final class RuleExtractor implements Extractor {
  /** The shape a rule's value must have for the fact to get a key. */
  private enum Shape {
    /** Anything not empty. */
    ANY,
    /** A capitalised name or place, cut to its capitalised words. */
    PROPER,
    /** A noun phrase of at most four words that does not start with a pronoun or "to". */
    OBJECT,
    /** At least seven digits. */
    PHONE,
    /** Something with an at sign and a dot after it. */
    EMAIL,
    /** A date: a digit or a month's name. */
    DATE,
    /** A place of work: not "home", "night" and the like. */
    WORKPLACE
  }

  /**
   * One phrasing. The attribute is the key's attribute, null for none, or ends with '*' to take the
   * normalised group {@code keyGroup}; the value group is the one whose shape is checked.
   */
  private record Rule(
      Pattern pattern,
      String template,
      MemoryType type,
      double importance,
      String attribute,
      int keyGroup,
      int valueGroup,
      Shape shape,
      boolean ends) {}

  private static final String REST = "(.+)";
  private static final Pattern SENTENCES = Pattern.compile("(?<=[.!?])\\s+|\\n+");
  private static final Pattern CLAUSES =
      Pattern.compile(
          "(?i)[!?;,\\n]+|\\.+(?=\\s|$)|\\s+(?:but|and|because|so|though|although)\\s+");

  /** A clause with one of these states no fact: it supposes, wishes, plans or asks. */
  private static final Pattern HYPOTHETICAL =
      Pattern.compile(
          "(?i)\\b(?:if|would|could|might|maybe|perhaps|someday|wish|hope|imagine|suppose|pretend"
              + "|planning|plan to|thinking (?:of|about)|considering|want to|wanna|going to|gonna"
              + "|should|whether|dream|dreamt|dreamed)\\b|\\b\\w+'d\\b");

  /** An input with one of these is not meant literally. */
  private static final Pattern JOKE =
      Pattern.compile("(?i)\\b(?:lol|lmao|rofl|haha\\w*|hehe\\w*|jk|just kidding|kidding)\\b");

  /** What may come before a keyed statement in its clause: greetings, "actually", "now". */
  private static final Pattern PREFIX =
      Pattern.compile(
          "(?i)\\s*(?:(?:hi|hello|hey|well|oh|ok|okay|so|also|and|but|actually|now|btw|by the way|please"
              + "|fyi|yes|yeah|no|recently|just|anyway|guess what|in fact|update|news|quick update"
              + "|as of (?:today|now|this week|this month)|these days|today|honestly|personally"
              + "|to be honest|for the record|oh and|since last (?:week|month|year)|last"
              + " (?:week|month|year)|this (?:week|month|year)|finally|officially)\\W*\\s*)*");

  /** Words after a value that say when, not what: "I moved to Berlin last year". */
  private static final Pattern TRAILING =
      Pattern.compile(
          "(?i)\\s+(?:now|anymore|any more|again|these days|recently|too|as well|for good|then"
              + "|either|at all|very much|so much|a lot|a bit|though|lately|already|today"
              + "|(?:last|this|next) (?:week|month|year|summer|winter|spring|autumn|fall)"
              + "|(?:a|one|two|three|four|five|six|\\d+) (?:days?|weeks?|months?|years?) ago"
              + "|a while ago|in \\d{4}|since \\d{4}|since (?:last )?\\w+)\\s*$");

  private static final Pattern PROPER_NAME =
      Pattern.compile(
          "(?:the )?\\p{Lu}[\\p{L}'.-]*(?:[ -](?:\\p{Lu}[\\p{L}'.-]*|de|del|da|do|am|an der|upon"
              + "|on|la|le|of|sur|en|im)(?= |$|-))*(?: \\p{Lu}[\\p{L}'.-]*)?");

  private static final Set<String> NOT_OBJECTS =
      Set.of(
          "it",
          "that",
          "this",
          "these",
          "those",
          "them",
          "him",
          "her",
          "you",
          "me",
          "us",
          "myself",
          "to",
          "when",
          "how",
          "what",
          "where",
          "why",
          "who",
          "being",
          "everything",
          "anything",
          "nothing",
          "something",
          "everyone",
          "anyone",
          "people",
          "some",
          "all",
          "your",
          "his",
          "their",
          "our",
          "one",
          "doing",
          "going",
          "having",
          "the way",
          "if",
          "hard",
          "much",
          "long",
          "well",
          "fast",
          "little",
          "best",
          "late",
          "often",
          "many");

  private static final Set<String> NOT_WORKPLACES =
      Set.of(
          "home",
          "night",
          "nights",
          "weekends",
          "the weekend",
          "weekend",
          "myself",
          "my desk",
          "a desk",
          "the moment",
          "all hours",
          "odd hours",
          "the same time",
          "times",
          "least",
          "once",
          "free",
          "no one",
          "nobody",
          "pleasure",
          "fun",
          "money",
          "food");

  private static final String MONTHS =
      "january|february|march|april|may|june|july|august|september|october|november|december"
          + "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec";

  private static final String PARTNERS =
      "wife|husband|partner|girlfriend|boyfriend|fianc[ée]e?|spouse";
  private static final String PETS =
      "dog|cat|puppy|kitten|rabbit|bunny|hamster|parrot|horse|bird|turtle|tortoise|snake|ferret"
          + "|guinea pig|goldfish|lizard";
  private static final String DIETS = "vegan|vegetarian|pescatarian|pescetarian|keto|paleo";

  private static final List<Rule> RULES =
      List.of(
          // Changes and ends before the statements they change, so that the first match wins.
          rule(
              "\\bi changed my name to " + REST,
              "The user's name is %s.",
              "name",
              Shape.PROPER,
              0.9),
          rule("\\bmy new name is " + REST, "The user's name is %s.", "name", Shape.PROPER, 0.9),
          rule(
              "\\bmy (?:new )?(?:phone|mobile|cell)(?: phone)? number is " + REST,
              "The user's phone number is %s.",
              "phone",
              Shape.PHONE,
              0.8),
          rule(
              "\\bmy (?:new )?number is " + REST,
              "The user's phone number is %s.",
              "phone",
              Shape.PHONE,
              0.8),
          rule(
              "\\bmy (?:new )?e-?mail(?: address)? is " + REST,
              "The user's email address is %s.",
              "email",
              Shape.EMAIL,
              0.8),
          rule(
              "\\b(?:i|we) (?:just |recently |finally )?(?:moved|relocated) to " + REST,
              "The user lives in %s.",
              "home_city",
              Shape.PROPER,
              0.8),
          ends(
              "\\bi (?:don't|do not) live in (.+?) any ?more\\b",
              "The user no longer lives in %s.",
              "home_city",
              Shape.PROPER),
          ends(
              "\\bi (?:no longer|don't|do not) work (?:at|for) (.+?)(?: any ?more)?$",
              "The user no longer works at %s.",
              "employer",
              Shape.WORKPLACE),
          ends("\\bi (?:just )?quit my job(?: at .+)?$", "The user quit their job.", "employer"),
          ends(
              "^\\s*i (?:just )?quit(?:\\s+(?:yesterday|today|last \\w+|this \\w+|on \\w+))?$",
              "The user quit their job.",
              "employer"),
          ends(
              "\\bi (?:got|was|have been|'ve been) (?:fired|laid off|let go)\\b",
              "The user lost their job.",
              "employer"),
          ends("\\bi lost my job\\b", "The user lost their job.", "employer"),
          ends("\\bi(?: just)?(?: have|'ve)? retired\\b", "The user is retired.", "employer"),
          ends(
              "\\b(?:we (?:just )?(?:broke up|split up|separated|got divorced)|i (?:just )?(?:broke"
                  + " up with|split up with|left|divorced) (?:my (?:"
                  + PARTNERS
                  + ")|him|her|them)|i(?:'m| am) (?:now )?(?:single|divorced)(?: now)?$|i got"
                  + " divorced)",
              "The user is no longer with their partner.",
              "partner"),
          rule(
              "\\bi (?:just )?(?:started|began) (?:working|a new job) (?:at|for) " + REST,
              "The user works at %s.",
              "employer",
              Shape.WORKPLACE,
              0.8),
          rule(
              "\\bi (?:just )?got a (?:new )?job (?:at|with) " + REST,
              "The user works at %s.",
              "employer",
              Shape.WORKPLACE,
              0.8),
          rule(
              "\\bi switched (?:jobs|companies|employers)(?: and now work)? (?:to|at|for) " + REST,
              "The user works at %s.",
              "employer",
              Shape.WORKPLACE,
              0.8),
          rule(
              "\\bmy (?:new )?employer is " + REST,
              "The user works at %s.",
              "employer",
              Shape.WORKPLACE,
              0.8),
          rule(
              "\\bi(?: got promoted to| am now working as|'m now working as| now work as) (?:an? )?"
                  + REST,
              "The user works as %s.",
              "job",
              Shape.ANY,
              0.8),
          rule(
              "\\bi (?:really |still )?(?:don't|do not|no longer) (?:really )?(?:like|love|enjoy)"
                  + " (.+?)(?: any ?more)\\s*$",
              "The user no longer likes %s.",
              "preference:*",
              Shape.OBJECT,
              0.7),
          rule(
              "\\bi(?:'m| am) (?:no longer|not) into (.+?)(?: any ?more)\\s*$",
              "The user no longer likes %s.",
              "preference:*",
              Shape.OBJECT,
              0.7),
          rule(
              "\\bi (?:no longer) (?:like|love|enjoy) " + REST,
              "The user no longer likes %s.",
              "preference:*",
              Shape.OBJECT,
              0.7),
          rule(
              "\\bi(?:'m| am) (?:no longer (?=\\w+\\s*$)|not (?=\\w+ any ?more))(" + DIETS + ")",
              "The user is no longer %s.",
              "diet",
              Shape.ANY,
              0.7),
          rule(
              "\\bi (?:eat|am eating|'m eating) meat again\\b",
              "The user eats meat again.",
              "diet",
              Shape.ANY,
              0.7),
          rule(
              "\\bi(?: went| have gone|'ve gone| switched to(?: being| a| an)?) (" + DIETS + ")",
              "The user is %s.",
              "diet",
              Shape.ANY,
              0.7),
          rule(
              "\\bi(?:'m| am) (?:now |a |an |strictly |fully )*(" + DIETS + ")(?: now)?\\s*$",
              "The user is %s.",
              "diet",
              Shape.ANY,
              0.7),
          new Rule(
              pattern("\\bmy (" + PETS + ") (?:died|passed away|passed)\\b"),
              "The user's %s died.",
              MemoryType.SEMANTIC,
              0.7,
              "pet:*",
              1,
              1,
              Shape.ANY,
              true),
          // Statements.
          rule("\\bmy name(?: is|'s) " + REST, "The user's name is %s.", "name", Shape.PROPER, 0.9),
          rule(
              "\\bi(?:'m| am) called " + REST, "The user's name is %s.", "name", Shape.PROPER, 0.9),
          rule(
              "\\bcall me " + REST,
              "The user wants to be called %s.",
              MemoryType.PREFERENCE,
              "preferred_name",
              Shape.PROPER,
              0.8),
          rule(
              "\\bi(?: am|'m) (\\d{1,3}) years old",
              "The user is %s years old.",
              "age",
              Shape.ANY,
              0.7),
          rule(
              "^\\W*i(?:'m| am) (\\d{1,2})\\s*$",
              "The user is %s years old.",
              "age",
              Shape.ANY,
              0.7),
          rule(
              "\\bi (?:just )?turned (\\d{1,3})(?: today| this \\w+| last \\w+| on \\w+)?\\s*$",
              "The user is %s years old.",
              "age",
              Shape.ANY,
              0.7),
          rule(
              "\\bi(?: am|'m) allergic to " + REST,
              "The user is allergic to %s.",
              "allergy:*",
              Shape.OBJECT,
              0.9),
          rule(
              "\\bi(?: work as| am working as|'m working as) (?:an? )?" + REST,
              "The user works as %s.",
              "job",
              Shape.OBJECT,
              0.8),
          rule(
              "\\bi(?:'m| am) an? (.+?) by (?:profession|trade)",
              "The user works as %s.",
              "job",
              Shape.OBJECT,
              0.8),
          rule(
              "\\bi (?:currently |still |now )?work (?:at|for) " + REST,
              "The user works at %s.",
              "employer",
              Shape.WORKPLACE,
              0.8),
          rule(
              "\\b(?:i|we) (?:currently |still |now )?live in " + REST,
              "The user lives in %s.",
              "home_city",
              Shape.PROPER,
              0.8),
          rule(
              "\\b(?:my home is in|i(?:'ve| have) lived in (?=.+ for ))" + REST,
              "The user lives in %s.",
              "home_city",
              Shape.PROPER,
              0.8),
          rule(
              "\\bi(?:'m| am) (?:currently )?employed (?:by|at) " + REST,
              "The user works at %s.",
              "employer",
              Shape.WORKPLACE,
              0.8),
          rule(
              "\\bi(?:'m| am) (?:now |currently )?(?:based|living) in " + REST,
              "The user lives in %s.",
              "home_city",
              Shape.PROPER,
              0.8),
          rule(
              "\\bi(?:'m| am) originally from " + REST,
              "The user is originally from %s.",
              "origin",
              Shape.PROPER,
              0.7),
          rule("\\bi come from " + REST, "The user comes from %s.", "origin", Shape.PROPER, 0.7),
          rule("\\bi grew up in " + REST, "The user grew up in %s.", "origin", Shape.PROPER, 0.7),
          rule(
              "\\bi was born on " + REST,
              "The user's birthday is %s.",
              "birthday",
              Shape.DATE,
              0.8),
          rule(
              "\\bmy birthday(?: is|'s) (?:on )?" + REST,
              "The user's birthday is %s.",
              "birthday",
              Shape.DATE,
              0.8),
          rule(
              "\\bi was born in (\\d{4})\\b",
              "The user was born in %s.", "birth_year", Shape.ANY, 0.7),
          rule(
              "\\bi was born in (?!(?:" + MONTHS + ")\\b)" + REST,
              "The user was born in %s.",
              "birthplace",
              Shape.PROPER,
              0.7),
          new Rule(
              pattern("\\bmy (" + PARTNERS + ")(?:'s name)? is (?:called |named )?" + REST),
              "The user's %s is %s.",
              MemoryType.SEMANTIC,
              0.8,
              "partner",
              0,
              2,
              Shape.PROPER,
              false),
          rule(
              "\\bi(?:'m| am) (?:married to|engaged to|dating) " + REST,
              "The user's partner is %s.",
              "partner",
              Shape.PROPER,
              0.8),
          new Rule(
              pattern("\\bmy (" + PETS + ")(?:'s name)? is (?:called |named )?" + REST),
              "The user's %s is called %s.",
              MemoryType.SEMANTIC,
              0.7,
              "pet:*",
              1,
              2,
              Shape.PROPER,
              false),
          new Rule(
              pattern("\\bi have an? (" + PETS + ") (?:called|named) " + REST),
              "The user's %s is called %s.",
              MemoryType.SEMANTIC,
              0.7,
              "pet:*",
              1,
              2,
              Shape.PROPER,
              false),
          rule(
              "\\bi speak (?:fluent |some |a little |a bit of )?(\\p{Lu}\\p{L}+)(?: fluently)?\\s*$",
              "The user speaks %s.",
              "language:*",
              Shape.PROPER,
              0.6),
          rule(
              "\\bi(?:'m| am) fluent in (\\p{Lu}\\p{L}+)\\s*$",
              "The user speaks %s.",
              "language:*",
              Shape.PROPER,
              0.6),
          rule(
              "\\bmy (?:native language|mother tongue|first language) is " + REST,
              "The user's native language is %s.",
              "native_language",
              Shape.PROPER,
              0.6),
          rule(
              "\\bi(?:'m| am) (?:currently )?learning (\\p{Lu}\\p{L}+)\\s*$",
              "The user is learning %s.",
              "learning:*",
              Shape.PROPER,
              0.5),
          new Rule(
              pattern("\\bmy (?:new )?favou?rite ([a-z ]+?)(?: is|'s) (?:now )?" + REST),
              "The user's favorite %s is %s.",
              MemoryType.PREFERENCE,
              0.7,
              "favorite:*",
              1,
              2,
              Shape.ANY,
              false),
          rule(
              "\\bi (?:really )?(?:don't|do not) (?:really )?like " + REST,
              "The user dislikes %s.",
              MemoryType.PREFERENCE,
              "preference:*",
              Shape.OBJECT,
              0.7),
          rule(
              "\\bi (?:really |absolutely |truly )?(?:hate|dislike|can't stand|cannot stand|detest) "
                  + REST,
              "The user dislikes %s.",
              MemoryType.PREFERENCE,
              "preference:*",
              Shape.OBJECT,
              0.7),
          rule(
              "\\bi (?:really |absolutely |still |actually )?(?:love|adore) " + REST,
              "The user loves %s.",
              MemoryType.PREFERENCE,
              "preference:*",
              Shape.OBJECT,
              0.7),
          rule(
              "\\bi (?:really |still |now |actually )?(?:like|enjoy) " + REST,
              "The user likes %s.",
              MemoryType.PREFERENCE,
              "preference:*",
              Shape.OBJECT,
              0.6),
          rule(
              "\\bi(?:'m| am) (?:a )?(?:big |huge )?fan of " + REST,
              "The user likes %s.",
              MemoryType.PREFERENCE,
              "preference:*",
              Shape.OBJECT,
              0.6),
          // No key: what is preferred, or switched to, has no attribute the rules can name.
          unkeyed("\\bi prefer " + REST, "The user prefers %s.", MemoryType.PREFERENCE, 0.7),
          unkeyed(
              "\\bi switched to " + REST, "The user switched to %s.", MemoryType.SEMANTIC, 0.6));

  /** "Actually, it's X": a correction of the fact the user stated last. */
  private static final Pattern CORRECTION =
      Pattern.compile(
          "(?i)^\\s*(?:actually|sorry|oops|no wait|wait|correction|my mistake|my bad)\\W+"
              + "(?:no\\W+)?(?:it's|it is|it was|i meant|i mean|make that|that's|that should be)"
              + "\\s+(.+?)(?:,? not .+?)?\\s*[.!]*\\s*$");

  /** The content of a corrected fact, by attribute, for "actually, it's X". */
  private static final Map<String, Shaped> CORRECTABLE =
      Map.of(
          "home_city", new Shaped("The user lives in %s.", Shape.PROPER),
          "name", new Shaped("The user's name is %s.", Shape.PROPER),
          "phone", new Shaped("The user's phone number is %s.", Shape.PHONE),
          "email", new Shaped("The user's email address is %s.", Shape.EMAIL),
          "employer", new Shaped("The user works at %s.", Shape.WORKPLACE),
          "birthday", new Shaped("The user's birthday is %s.", Shape.DATE),
          "age", new Shaped("The user is %s years old.", Shape.ANY),
          "origin", new Shaped("The user is originally from %s.", Shape.PROPER));

  private record Shaped(String template, Shape shape) {}

  private static Pattern pattern(String regex) {
    return Pattern.compile("(?i)" + regex);
  }

  private static Rule rule(
      String regex, String template, String attribute, Shape shape, double importance) {
    return rule(regex, template, MemoryType.SEMANTIC, attribute, shape, importance);
  }

  private static Rule rule(
      String regex,
      String template,
      MemoryType type,
      String attribute,
      Shape shape,
      double importance) {
    return new Rule(
        pattern(regex),
        template,
        type,
        importance,
        attribute,
        attribute != null && attribute.endsWith("*") ? 1 : 0,
        1,
        shape,
        false);
  }

  private static Rule unkeyed(String regex, String template, MemoryType type, double importance) {
    return new Rule(pattern(regex), template, type, importance, null, 0, 1, Shape.ANY, false);
  }

  private static Rule ends(String regex, String template, String attribute, Shape shape) {
    return new Rule(
        pattern(regex), template, MemoryType.SEMANTIC, 0.8, attribute, 0, 1, shape, true);
  }

  private static Rule ends(String regex, String template, String attribute) {
    return new Rule(
        pattern(regex), template, MemoryType.SEMANTIC, 0.8, attribute, 0, 0, Shape.ANY, true);
  }

  @Override
  public List<ExtractedFact> extract(String userInput, String assistantResponse) {
    Map<String, ExtractedFact> facts = new LinkedHashMap<>();
    boolean joking = JOKE.matcher(userInput).find();
    for (String sentence : SENTENCES.split(userInput.strip())) {
      if (sentence.strip().endsWith("?")) {
        continue; // a question states nothing
      }
      for (String clause : CLAUSES.split(sentence)) {
        if (clause.isBlank() || HYPOTHETICAL.matcher(clause).find()) {
          continue;
        }
        ExtractedFact fact = match(clause, joking);
        if (fact != null) {
          facts.putIfAbsent(fact.content().toLowerCase(Locale.ROOT), fact);
        }
      }
    }
    return List.copyOf(facts.values());
  }

  /**
   * Returns the facts with their decisions against the candidates (see {@link Extractor#decide}),
   * and reads "actually, it's X" as a new value of the fact the user stated last.
   */
  @Override
  public List<ExtractedFact> decide(
      String userInput, String assistantResponse, String subject, List<CandidateFact> candidates) {
    List<ExtractedFact> decided =
        Extractor.super.decide(userInput, assistantResponse, subject, candidates);
    if (!decided.isEmpty() || candidates.isEmpty() || JOKE.matcher(userInput).find()) {
      return decided;
    }
    Matcher correction = CORRECTION.matcher(userInput);
    if (!correction.matches()) {
      return decided;
    }
    CandidateFact last = candidates.get(0);
    String prefix = subject + ":";
    if (!last.factKey().startsWith(prefix)) {
      return decided;
    }
    Shaped shaped = CORRECTABLE.get(last.factKey().substring(prefix.length()));
    String value = shaped == null ? null : value(clean(correction.group(1)), shaped.shape());
    if (value == null) {
      return decided;
    }
    String content = String.format(shaped.template(), value);
    if (content.equalsIgnoreCase(last.content())) {
      return decided;
    }
    return List.of(
        new ExtractedFact(
            content, MemoryType.SEMANTIC, 0.8, last.factKey(), FactAction.UPDATE, last.memoryId()));
  }

  private static ExtractedFact match(String clause, boolean joking) {
    for (Rule rule : RULES) {
      Matcher matcher = rule.pattern().matcher(clause);
      if (!matcher.find()) {
        continue;
      }
      List<String> parts = new ArrayList<>();
      for (int group = 1; group <= matcher.groupCount(); group++) {
        parts.add(clean(matcher.group(group)));
      }
      if (parts.stream().anyMatch(String::isEmpty)) {
        continue;
      }
      String key = null;
      boolean keyable =
          rule.attribute() != null
              && !joking
              && PREFIX.matcher(clause.substring(0, matcher.start())).matches();
      if (rule.valueGroup() > 0 && rule.valueGroup() <= parts.size()) {
        String value = value(parts.get(rule.valueGroup() - 1), rule.shape());
        if (value != null && rule.shape() == Shape.PROPER) {
          parts.set(rule.valueGroup() - 1, value); // "Berlin", not "Berlin with my wife"
        }
        keyable &= value != null;
      }
      if (keyable) {
        key = attribute(rule, parts);
      }
      if (rule.attribute() != null && rule.attribute().startsWith("favorite:")) {
        parts.set(0, american(parts.get(0))); // one content for "colour" and "color"
      }
      String content = String.format(rule.template(), parts.toArray());
      ExtractedFact fact = new ExtractedFact(content, rule.type(), rule.importance(), key);
      return rule.ends() && key != null ? fact.withAction(FactAction.DELETE, null) : fact;
    }
    return null;
  }

  private static String attribute(Rule rule, List<String> parts) {
    String attribute = rule.attribute();
    if (attribute.endsWith("*")) {
      String name = normalise(parts.get(rule.keyGroup() - 1));
      if (name.isEmpty()) {
        return null;
      }
      attribute = attribute.substring(0, attribute.length() - 1) + name;
    }
    return USER_SUBJECT + ":" + attribute;
  }

  /** Lower case, no articles, British spellings made American, words joined by underscores. */
  private static String normalise(String words) {
    String name =
        words
            .toLowerCase(Locale.ROOT)
            .replaceAll("^(?:the|a|an|some|my) ", "")
            .transform(RuleExtractor::american)
            .replaceAll("[^\\p{L}\\p{N}]+", "_")
            .replaceAll("^_+|_+$", "");
    return name;
  }

  private static String american(String words) {
    return words.replace("colour", "color").replace("flavour", "flavor");
  }

  /** Strips the words that say when and the punctuation around a value. */
  private static String clean(String value) {
    String cleaned = value.strip().replaceAll("^[\"'“]+|[\"'”.!]+$", "").strip();
    for (String previous = null; !cleaned.equals(previous); ) {
      previous = cleaned;
      cleaned = TRAILING.matcher(cleaned).replaceFirst("").strip();
    }
    return cleaned;
  }

  /**
   * Returns the value if it has the shape (a proper name cut to its capitalised words), or null.
   */
  private static String value(String value, Shape shape) {
    String lower = value.toLowerCase(Locale.ROOT);
    return switch (shape) {
      case ANY -> value.isEmpty() ? null : value;
      case PROPER -> {
        Matcher name = PROPER_NAME.matcher(value);
        yield name.lookingAt() && !name.group().startsWith("I ") && !name.group().equals("I")
            ? name.group()
            : null;
      }
      case OBJECT -> {
        String[] words = lower.split("\\s+");
        boolean pronoun =
            NOT_OBJECTS.contains(words[0])
                || words.length > 1 && NOT_OBJECTS.contains(words[0] + " " + words[1]);
        yield words.length <= 4
                && !pronoun
                && !lower.matches(
                    ".*\\b(?:when|if|that|because|in|at|on|with|for|during|before|after)\\b.*")
            ? value
            : null;
      }
      case PHONE ->
          value.replaceAll("\\D", "").length() >= 7 && value.matches("[+()\\d\\s.-]+")
              ? value
              : null;
      case EMAIL -> value.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+") ? value : null;
      case DATE -> value.matches("(?i).*(?:\\d|\\b(?:" + MONTHS + ")\\b).*") ? value : null;
      case WORKPLACE ->
          NOT_WORKPLACES.contains(lower)
                  || lower.matches("(?:home|night|the weekend|weekends|my own|my)\\b.*")
                  || lower.split("\\s+").length > 5
              ? null
              : value;
    };
  }
}
