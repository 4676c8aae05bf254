package dev.memstore.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memstore.CandidateFact;
import dev.memstore.ExtractedFact;
import dev.memstore.Extractor;
import dev.memstore.FactAction;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The labelled statements of src/test/resources/facts/statements.jsonl and how an {@link Extractor}
 * scores on them. Each statement is decided against the facts its prior statements left current
 * (each prior decided in turn against those before it), with the subject {@code user}.
 *
 * <p>Key assignment: a key the extractor gives that the statement expects is a true positive, one
 * it does not expect a false positive, an expected key not given a false negative. Supersession: a
 * fact decided UPDATE or DELETE is right when the statement expects that decision, for that key,
 * against the prior fact of that key; an expected UPDATE or DELETE without a right one is missed.
 */
final class FactSet {
  /** One labelled statement. */
  record Statement(
      String text, Set<String> keys, FactAction decision, List<String> prior, String group) {}

  /** Counts of one measure. */
  record Counts(int truePositives, int falsePositives, int falseNegatives) {
    double precision() {
      int predicted = truePositives + falsePositives;
      return predicted == 0 ? 1 : (double) truePositives / predicted;
    }

    double recall() {
      int expected = truePositives + falseNegatives;
      return expected == 0 ? 1 : (double) truePositives / expected;
    }
  }

  /** The scores of one extractor on the set, with a line for each mistake. */
  record Scores(
      int statements,
      Counts keys,
      Counts supersessions,
      int decisionsRight,
      int decisionsExpected,
      List<String> mistakes) {}

  static List<Statement> load() {
    ObjectMapper json = new ObjectMapper();
    List<Statement> statements = new ArrayList<>();
    try (InputStream in = FactSet.class.getResourceAsStream("/facts/statements.jsonl")) {
      if (in == null) {
        throw new IllegalStateException("facts/statements.jsonl is not on the test class path");
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = json.readTree(line);
        Set<String> keys = new HashSet<>();
        if (!node.path("key").isNull() && !node.path("key").isMissingNode()) {
          keys.add(node.get("key").asText());
        }
        node.path("other_keys").forEach(key -> keys.add(key.asText()));
        List<String> prior = new ArrayList<>();
        node.path("prior").forEach(text -> prior.add(text.asText()));
        statements.add(
            new Statement(
                node.get("text").asText(),
                Set.copyOf(keys),
                FactAction.valueOf(node.get("decision").asText()),
                List.copyOf(prior),
                node.path("group").asText("")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return statements;
  }

  static Scores score(Extractor extractor, List<Statement> statements) {
    int keyTrue = 0;
    int keyFalse = 0;
    int keyMissed = 0;
    int supersessionTrue = 0;
    int supersessionFalse = 0;
    int supersessionMissed = 0;
    int decisionsRight = 0;
    int decisionsExpected = 0;
    List<String> mistakes = new ArrayList<>();
    for (Statement statement : statements) {
      List<CandidateFact> current = new ArrayList<>();
      int[] ids = {0};
      for (String prior : statement.prior()) {
        apply(
            extractor.decide(prior, null, Extractor.USER_SUBJECT, List.copyOf(current)),
            current,
            ids);
      }
      List<ExtractedFact> facts =
          extractor.decide(statement.text(), null, Extractor.USER_SUBJECT, List.copyOf(current));
      Set<String> given = new HashSet<>();
      facts.stream()
          .filter(fact -> fact.factKey() != null)
          .forEach(fact -> given.add(fact.factKey()));
      for (String key : given) {
        if (statement.keys().contains(key)) {
          keyTrue++;
        } else {
          keyFalse++;
          mistakes.add("wrong key " + key + ": " + describe(statement));
        }
      }
      for (String key : statement.keys()) {
        if (!given.contains(key)) {
          keyMissed++;
          mistakes.add("missed key " + key + ": " + describe(statement));
        }
      }
      String mainKey = statement.keys().size() == 1 ? statement.keys().iterator().next() : null;
      String target =
          current.stream()
              .filter(candidate -> candidate.factKey().equals(mainKey))
              .map(CandidateFact::memoryId)
              .findFirst()
              .orElse(null);
      boolean expectsSupersession =
          statement.decision() == FactAction.UPDATE || statement.decision() == FactAction.DELETE;
      boolean found = false;
      for (ExtractedFact fact : facts) {
        if (fact.action() != FactAction.UPDATE && fact.action() != FactAction.DELETE) {
          continue;
        }
        boolean right =
            expectsSupersession
                && fact.action() == statement.decision()
                && fact.factKey() != null
                && fact.factKey().equals(mainKey)
                && target != null
                && target.equals(fact.targetMemoryId());
        if (right && !found) {
          supersessionTrue++;
          found = true;
        } else {
          supersessionFalse++;
          mistakes.add(
              "wrong " + fact.action() + " of " + fact.factKey() + ": " + describe(statement));
        }
      }
      if (expectsSupersession && !found) {
        supersessionMissed++;
        mistakes.add("missed " + statement.decision() + ": " + describe(statement));
      }
      if (mainKey != null) {
        decisionsExpected++;
        FactAction decided =
            facts.stream()
                .filter(fact -> mainKey.equals(fact.factKey()))
                .map(ExtractedFact::action)
                .findFirst()
                .orElse(null);
        if (decided == statement.decision()) {
          decisionsRight++;
        }
      }
    }
    return new Scores(
        statements.size(),
        new Counts(keyTrue, keyFalse, keyMissed),
        new Counts(supersessionTrue, supersessionFalse, supersessionMissed),
        decisionsRight,
        decisionsExpected,
        List.copyOf(mistakes));
  }

  /** Makes the facts stored current, as a store that supersedes by key would. */
  private static void apply(List<ExtractedFact> facts, List<CandidateFact> current, int[] ids) {
    for (ExtractedFact fact : facts) {
      if (fact.factKey() == null || fact.action() == FactAction.NONE) {
        continue;
      }
      current.removeIf(candidate -> candidate.factKey().equals(fact.factKey()));
      ids[0]++;
      current.add(
          0,
          new CandidateFact(
              "memory-" + ids[0], fact.factKey(), fact.content(), Instant.ofEpochSecond(ids[0])));
    }
  }

  private static String describe(Statement statement) {
    return (statement.prior().isEmpty() ? "" : String.join(" / ", statement.prior()) + " -> ")
        + statement.text();
  }

  /** Returns the scores as a Markdown table. */
  static List<String> table(Scores scores) {
    List<String> lines = new ArrayList<>();
    lines.add("| measure | precision | recall | right | wrong | missed |");
    lines.add("|---|---|---|---|---|---|");
    lines.add(row("key assignment", scores.keys()));
    lines.add(row("supersession (UPDATE, DELETE)", scores.supersessions()));
    lines.add("");
    lines.add(
        String.format(
            "Decisions right on statements with a key: %d of %d.",
            scores.decisionsRight(), scores.decisionsExpected()));
    return lines;
  }

  private static String row(String name, Counts counts) {
    return String.format(
        "| %s | %.3f | %.3f | %d | %d | %d |",
        name,
        counts.precision(),
        counts.recall(),
        counts.truePositives(),
        counts.falsePositives(),
        counts.falseNegatives());
  }

  private FactSet() {}
}
