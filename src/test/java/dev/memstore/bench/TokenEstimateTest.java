package dev.memstore.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.ContextPack;
import dev.memstore.internal.embed.BundledEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * How far the characters/4 estimate of a context pack's tokens is from the bundled model's own
 * tokenizer (issue 16), on the labelled statements and the README's prose lines; prints the
 * numbers.
 */
class TokenEstimateTest {
  @Test
  void estimate_againstTheBundledTokenizer_reportsItsError() throws IOException {
    List<String> statements = new ArrayList<>();
    FactSet.load().forEach(statement -> statements.add(statement.text()));
    List<String> readme = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("README.md"))) {
      if (line.length() >= 40 && !line.startsWith("|") && !line.startsWith("    ")) {
        readme.add(line.strip());
      }
    }
    List<String> all = new ArrayList<>(statements);
    all.addAll(readme);
    for (String model : BundledEmbedder.names()) {
      report(model, "statements", statements);
      report(model, "README lines", readme);
      report(model, "all", all);
      assertTrue(all.size() >= 300, "a few hundred texts, was " + all.size());
    }
    assertTrue(ContextPack.LINE_TOKENS > 0);
  }

  private static void report(String model, String set, List<String> texts) {
    {
      BundledEmbedder tokenizer = (BundledEmbedder) BundledEmbedder.named(model).orElseThrow();
      double sum = 0;
      double max = 0;
      long estimated = 0;
      long counted = 0;
      int under = 0;
      for (String text : texts) {
        int characters = (text.length() + 3) / 4;
        int tokens = Math.max(1, tokenizer.countTokens(text));
        double error = Math.abs(characters - tokens) / (double) tokens;
        sum += error;
        max = Math.max(max, error);
        estimated += characters;
        counted += tokens;
        under += characters < tokens ? 1 : 0;
      }
      System.out.printf(
          Locale.ROOT,
          "%s, %s: %d texts, characters/4 against the tokenizer: mean relative error %.3f, max %.3f,"
              + " total %d estimated against %d counted, %d texts underestimated%n",
          model,
          set,
          texts.size(),
          sum / texts.size(),
          max,
          estimated,
          counted,
          under);
    }
  }
}
