package dev.memstore.internal.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java tokenizer and encoder give the bundled models exactly what the Hugging Face tokenizers
 * library (through DJL) and LangChain4j's encoder gave them, so vectors already in users' files
 * stay comparable with new ones. Compared on the README's paragraphs and thousands of generated
 * texts in many scripts, with control characters, emoji, special tokens, very long words and texts
 * longer than the models take.
 */
class WordPieceTokenizerTest {
  private static final String[] PIECES = {
    "the",
    "user",
    "drinks",
    "espresso",
    "every",
    "morning",
    "Sam's",
    "birthday",
    "March",
    "15th",
    "don't",
    "do",
    "not",
    "it's",
    "café",
    "naïve",
    "Ærøskøbing",
    "straße",
    "İstanbul",
    "ΣΊΣΥΦΟΣ",
    "Москва",
    "東京タワー",
    "北京",
    "서울",
    "ไทย",
    "مرحبا",
    "😀",
    "👩‍💻",
    "a\u0301",
    "\u200b",
    "\u00a0",
    "\u2028",
    "\u000b",
    "\u0001",
    "\ufffd",
    "\t",
    "\n",
    "[CLS]",
    "[UNK]",
    "x[SEP]y",
    "[MASK]",
    "e-mail",
    "C++",
    "$100",
    "50%",
    "<tag>",
    "^_^",
    "~/.cache",
    "U.S.A.",
    "...",
    "—",
    "«quoted»",
    "“smart”",
    "1,000.5",
    "unaffable",
    "antidisestablishmentarianism",
    "ﬁne",
    "Ⅻ",
    "x".repeat(101),
    "y".repeat(100),
    "\ud800",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "ﾊﾝｶｸ",
    "Ａ",
    "½",
    "²",
    "\u0301"
  };

  private static List<String> texts() throws IOException {
    List<String> texts = new ArrayList<>();
    for (String paragraph : Files.readString(Path.of("README.md")).split("\n\n")) {
      texts.add(paragraph);
    }
    Random random = new Random(13);
    for (int text = 0; text < 3000; text++) {
      StringBuilder builder = new StringBuilder();
      int words = random.nextInt(text % 100 == 0 ? 900 : 40);
      for (int word = 0; word < words; word++) {
        builder.append(PIECES[random.nextInt(PIECES.length)]);
        builder.append(random.nextInt(4) == 0 ? "" : " ");
      }
      texts.add(builder.toString());
    }
    texts.add("");
    texts.add("   ");
    return texts;
  }

  private static String escaped(String text) {
    StringBuilder escaped = new StringBuilder();
    text.codePoints()
        .forEach(
            c -> escaped.append(c < 0x20 || c > 0x7E ? String.format("\\u{%x}", c) : (char) c));
    return escaped.toString();
  }

  private static InputStream resource(String name) {
    return WordPieceTokenizerTest.class.getClassLoader().getResourceAsStream(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"all-minilm-l6-v2-q", "bge-small-en-v1.5-q"})
  void tokens_sameAsHuggingFaceTokenizers(String model) throws Exception {
    HuggingFaceTokenizer reference;
    WordPieceTokenizer tokenizer;
    try (InputStream first = resource(model + "-tokenizer.json");
        InputStream second = resource(model + "-tokenizer.json")) {
      reference = HuggingFaceTokenizer.newInstance(first, Map.of("padding", "false"));
      tokenizer = WordPieceTokenizer.read(second);
    }
    for (String text : texts()) {
      Encoding expected = reference.encode(text);
      List<String> tokens = tokenizer.tokenize(text);
      List<String> wanted = Arrays.asList(expected.getTokens());
      if (!wanted.equals(tokens)) {
        int at = 0;
        while (at < Math.min(wanted.size(), tokens.size())
            && wanted.get(at).equals(tokens.get(at))) {
          at++;
        }
        assertEquals(
            wanted.subList(Math.max(0, at - 3), Math.min(wanted.size(), at + 4)),
            tokens.subList(Math.max(0, at - 3), Math.min(tokens.size(), at + 4)),
            "first difference at token " + at + " of " + escaped(text));
      }
      assertArrayEquals(expected.getIds(), tokenizer.ids(tokens), text);
    }
  }

  @Test
  void count_longText_countsEveryTokenWithoutTheEnclosingOnes() throws Exception {
    WordPieceTokenizer tokenizer;
    try (InputStream json = resource(BundledEmbedder.DEFAULT_MODEL + "-tokenizer.json")) {
      tokenizer = WordPieceTokenizer.read(json);
    }
    assertEquals(tokenizer.tokenize("the cat sat").size() - 2, tokenizer.count("the cat sat"));
    assertEquals(0, tokenizer.count(""));
    String longText = "the cat sat on the mat. ".repeat(200);
    assertEquals(1400, tokenizer.count(longText), "not cut at the model's 512 tokens");
    assertEquals(
        tokenizer.count(longText),
        ((BundledEmbedder) BundledEmbedder.named(BundledEmbedder.DEFAULT_MODEL).orElseThrow())
            .countTokens(longText));
  }
}
