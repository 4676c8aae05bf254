package dev.memstore.internal.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The BERT tokenizer of the bundled models (a Hugging Face {@code tokenizer.json} with a {@code
 * BertNormalizer}, {@code BertPreTokenizer} and {@code WordPiece} model), in Java. It replaces the
 * Hugging Face tokenizers library that LangChain4j loads through DJL, whose native library needs
 * glibc 2.34 or newer, is written to {@code ~/.djl.ai}, probes for CUDA through JNA (which writes
 * to {@code ~/.cache/JNA} and sets system properties) and logs through SLF4J. A test compares its
 * tokens with that library's on thousands of texts.
 *
 * <p>Steps, as the Hugging Face library runs them: special tokens in the raw text are kept whole;
 * the rest is cleaned (control characters dropped, every white space a space), CJK ideographs are
 * set apart, accents are stripped (decomposed, marks dropped) and letters lower-cased; words are
 * split at white space and around each punctuation character; each word becomes its longest
 * vocabulary prefixes ({@code ##} marks a continuation), or {@code [UNK]} if that fails or it is
 * longer than 100 characters. {@code [CLS]} and {@code [SEP]} enclose the result.
 *
 * <p>Immutable and thread-safe.
 */
final class WordPieceTokenizer {
  static final String CLASSIFICATION = "[CLS]";
  static final String SEPARATOR = "[SEP]";
  private static final String CONTINUATION = "##";

  private final Map<String, Integer> vocabulary;
  private final List<String> specialTokens;
  private final String unknown;
  private final int maxWordCharacters;
  private final int maxTokens;

  private WordPieceTokenizer(
      Map<String, Integer> vocabulary,
      List<String> specialTokens,
      String unknown,
      int maxWordCharacters,
      int maxTokens) {
    this.vocabulary = vocabulary;
    this.specialTokens = specialTokens;
    this.unknown = unknown;
    this.maxWordCharacters = maxWordCharacters;
    this.maxTokens = maxTokens;
  }

  /**
   * Reads a {@code tokenizer.json} of the BERT kind. A text keeps at most the file's truncation
   * length of tokens, or 512 (BERT's length) where it sets none, as DJL's tokenizer kept.
   */
  static WordPieceTokenizer read(InputStream json) throws IOException {
    JsonNode root = new ObjectMapper().readTree(json);
    JsonNode model = root.path("model");
    if (!"WordPiece".equals(model.path("type").asText())
        || !"BertNormalizer".equals(root.path("normalizer").path("type").asText())
        || !"BertPreTokenizer".equals(root.path("pre_tokenizer").path("type").asText())) {
      throw new IOException("not a BERT WordPiece tokenizer");
    }
    Map<String, Integer> vocabulary = new HashMap<>();
    for (Map.Entry<String, JsonNode> entry : model.path("vocab").properties()) {
      vocabulary.put(entry.getKey(), entry.getValue().asInt());
    }
    List<String> special = new ArrayList<>();
    for (JsonNode added : root.path("added_tokens")) {
      special.add(added.path("content").asText());
      vocabulary.put(added.path("content").asText(), added.path("id").asInt());
    }
    // Longest first, so that a special token that contains another is matched whole.
    special.sort(Comparator.comparingInt(String::length).reversed());
    return new WordPieceTokenizer(
        Map.copyOf(vocabulary),
        List.copyOf(special),
        model.path("unk_token").asText("[UNK]"),
        model.path("max_input_chars_per_word").asInt(100),
        root.path("truncation").path("max_length").asInt(512));
  }

  /**
   * Returns the text's tokens between {@code [CLS]} and {@code [SEP]}, those beyond the most a text
   * keeps left out.
   */
  List<String> tokenize(String text) {
    List<String> tokens = allTokens(text);
    if (tokens.size() <= maxTokens) {
      return tokens;
    }
    List<String> kept = new ArrayList<>(tokens.subList(0, maxTokens - 1));
    kept.add(SEPARATOR);
    return kept;
  }

  /** Returns how many tokens the text has, all of them, without {@code [CLS]} and {@code [SEP]}. */
  int count(String text) {
    return allTokens(text).size() - 2;
  }

  private List<String> allTokens(String text) {
    text = asTheLibrarySawIt(text);
    List<String> tokens = new ArrayList<>();
    tokens.add(CLASSIFICATION);
    int start = 0;
    while (start <= text.length()) {
      int next = text.length();
      String special = null;
      for (String candidate : specialTokens) {
        int at = text.indexOf(candidate, start);
        if (at >= 0 && (at < next || (at == next && special == null))) {
          next = at;
          special = candidate;
        }
      }
      wordPieces(text.substring(start, next), tokens);
      if (special == null) {
        break;
      }
      tokens.add(special);
      start = next + special.length();
    }
    tokens.add(SEPARATOR);
    return tokens;
  }

  /**
   * Java handed the Hugging Face library its strings in modified UTF-8, which it decoded exactly
   * unless the string held an unpaired surrogate; then it read every surrogate as U+FFFD, which
   * cleaning drops. Such strings lose their characters beyond the Basic Multilingual Plane here
   * too.
   */
  private static String asTheLibrarySawIt(String text) {
    boolean unpaired = false;
    for (int index = 0; index < text.length() && !unpaired; index++) {
      char c = text.charAt(index);
      if (Character.isHighSurrogate(c)
          && index + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(index + 1))) {
        index++;
      } else {
        unpaired = Character.isSurrogate(c);
      }
    }
    if (!unpaired) {
      return text;
    }
    StringBuilder replaced = new StringBuilder(text.length());
    for (int index = 0; index < text.length(); index++) {
      char c = text.charAt(index);
      replaced.append(Character.isSurrogate(c) ? '\uFFFD' : c);
    }
    return replaced.toString();
  }

  /** Returns the vocabulary ids of tokens. */
  long[] ids(List<String> tokens) {
    long[] ids = new long[tokens.size()];
    for (int index = 0; index < ids.length; index++) {
      Integer id = vocabulary.get(tokens.get(index));
      ids[index] = id == null ? vocabulary.get(unknown) : id;
    }
    return ids;
  }

  private void wordPieces(String text, List<String> tokens) {
    for (String word : words(normalize(text))) {
      int[] characters = word.codePoints().toArray();
      if (characters.length > maxWordCharacters) {
        tokens.add(unknown);
        continue;
      }
      List<String> pieces = new ArrayList<>();
      int start = 0;
      while (start < characters.length) {
        String found = null;
        int end = characters.length;
        for (; end > start; end--) {
          String piece = new String(characters, start, end - start);
          if (start > 0) {
            piece = CONTINUATION + piece;
          }
          if (vocabulary.containsKey(piece)) {
            found = piece;
            break;
          }
        }
        if (found == null) {
          pieces = List.of(unknown);
          break;
        }
        pieces.add(found);
        start = end;
      }
      tokens.addAll(pieces);
    }
  }

  /** Cleans, sets CJK ideographs apart, strips accents and lower-cases. */
  static String normalize(String text) {
    StringBuilder cleaned = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (c == 0 || c == 0xFFFD || isControl(c)) {
                return;
              }
              if (isWhitespace(c)) {
                cleaned.append(' ');
              } else if (isChinese(c)) {
                cleaned.append(' ').appendCodePoint(c).append(' ');
              } else {
                cleaned.appendCodePoint(c);
              }
            });
    String decomposed = Normalizer.normalize(cleaned, Normalizer.Form.NFD);
    StringBuilder normalized = new StringBuilder(decomposed.length());
    decomposed
        .codePoints()
        .forEach(
            c -> {
              if (Character.getType(c) != Character.NON_SPACING_MARK) {
                normalized.append(new String(Character.toChars(c)).toLowerCase(Locale.ROOT));
              }
            });
    return normalized.toString();
  }

  /** Splits at white space and sets each punctuation character apart. */
  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    text.codePoints()
        .forEach(
            c -> {
              if (isWhitespace(c) || isPunctuation(c)) {
                if (!word.isEmpty()) {
                  words.add(word.toString());
                  word.setLength(0);
                }
                if (isPunctuation(c)) {
                  words.add(new String(Character.toChars(c)));
                }
              } else {
                word.appendCodePoint(c);
              }
            });
    if (!word.isEmpty()) {
      words.add(word.toString());
    }
    return words;
  }

  /** Unicode's White_Space property, as Rust's {@code char::is_whitespace}. */
  private static boolean isWhitespace(int c) {
    return c == ' '
        || (c >= 0x09 && c <= 0x0D)
        || c == 0x85
        || c == 0xA0
        || c == 0x1680
        || (c >= 0x2000 && c <= 0x200A)
        || c == 0x2028
        || c == 0x2029
        || c == 0x202F
        || c == 0x205F
        || c == 0x3000;
  }

  /** Unicode's "other" categories, tab, line feed and carriage return aside. */
  private static boolean isControl(int c) {
    if (c == '\t' || c == '\n' || c == '\r') {
      return false;
    }
    int type = Character.getType(c);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.SURROGATE
        || type == Character.PRIVATE_USE
        || type == Character.UNASSIGNED;
  }

  private static boolean isPunctuation(int c) {
    if (c < 0x80) {
      return (c >= 33 && c <= 47)
          || (c >= 58 && c <= 64)
          || (c >= 91 && c <= 96)
          || (c >= 123 && c <= 126);
    }
    return switch (Character.getType(c)) {
      case Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION ->
          true;
      default -> false;
    };
  }

  private static boolean isChinese(int c) {
    return (c >= 0x4E00 && c <= 0x9FFF)
        || (c >= 0x3400 && c <= 0x4DBF)
        || (c >= 0x20000 && c <= 0x2A6DF)
        || (c >= 0x2A700 && c <= 0x2B73F)
        || (c >= 0x2B740 && c <= 0x2B81F)
        || (c >= 0x2B920 && c <= 0x2CEAF)
        || (c >= 0xF900 && c <= 0xFAFF)
        || (c >= 0x2F800 && c <= 0x2FA1F);
  }
}
