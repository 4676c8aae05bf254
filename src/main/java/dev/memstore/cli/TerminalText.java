package dev.memstore.cli;

/**
 * Makes stored text safe to print on a terminal: control characters are shown escaped, as git shows
 * them, so that a memory cannot clear the screen, set the window title, write the clipboard (OSC
 * 52) or reorder what follows it (bidirectional overrides). Every human-readable output of memctl
 * goes through here: {@link TextTable}, {@link KeyValues} and the few lines printed directly.
 * {@code --json} output does not: JSON escapes what it must and keeps the text as stored.
 */
final class TerminalText {
  private TerminalText() {}

  /** The text on one line: line breaks and tabs are escaped too. */
  static String line(String text) {
    return escape(text, false);
  }

  /** The text with its line breaks and tabs kept, for output that spans lines. */
  static String lines(String text) {
    return escape(text, true);
  }

  private static String escape(String text, boolean keepLines) {
    StringBuilder escaped = null;
    for (int index = 0; index < text.length(); ) {
      int codePoint = text.codePointAt(index);
      String replacement = replacement(codePoint, keepLines);
      if (replacement != null && escaped == null) {
        escaped = new StringBuilder(text.length() + 16).append(text, 0, index);
      }
      if (escaped != null) {
        if (replacement == null) {
          escaped.appendCodePoint(codePoint);
        } else {
          escaped.append(replacement);
        }
      }
      index += Character.charCount(codePoint);
    }
    return escaped == null ? text : escaped.toString();
  }

  private static String replacement(int codePoint, boolean keepLines) {
    switch (codePoint) {
      case '\n':
        return keepLines ? null : "\\n";
      case '\t':
        return keepLines ? null : "\\t";
      case '\r':
        return "\\r";
      case 0x1b:
        return "\\e";
      default:
        break;
    }
    if (codePoint < 0x20 || codePoint == 0x7f) {
      return String.format("\\x%02x", codePoint);
    }
    boolean c1 = codePoint >= 0x80 && codePoint <= 0x9f;
    if (c1 || isFormatting(codePoint) || Character.isSurrogate((char) codePoint)) {
      return String.format("\\u%04x", codePoint);
    }
    return null;
  }

  /**
   * Bidirectional marks, embeddings, overrides and isolates, which reorder the text shown after
   * them ("Trojan Source"), and the Unicode line and paragraph separators.
   */
  private static boolean isFormatting(int codePoint) {
    return codePoint == 0x061c
        || codePoint == 0x200e
        || codePoint == 0x200f
        || (codePoint >= 0x202a && codePoint <= 0x202e)
        || (codePoint >= 0x2066 && codePoint <= 0x2069)
        || codePoint == 0x2028
        || codePoint == 0x2029;
  }
}
