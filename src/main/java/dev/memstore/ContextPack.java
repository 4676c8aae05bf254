package dev.memstore;

import java.util.List;

/**
 * What to put into a prompt for one turn: the session's recent conversation and the long-term
 * memories most relevant to the query, cut to a token budget. Immutable.
 *
 * <p>Tokens are estimated as one per 4 characters of content, rounded up, plus 4 per memory for its
 * line's framing: close to what BPE tokenizers give English text, and never tied to one model's
 * tokenizer. Leave a margin when the budget is a hard limit.
 *
 * @param recent the session's most recent memories that fit, oldest first
 * @param relevant the most relevant other memories that fit, best first
 * @param text both as prompt lines: "Relevant memories:" then "Recent conversation:"
 * @param estimatedTokens the estimate of {@code text}'s memories, at most the budget
 */
public record ContextPack(
    List<Memory> recent, List<SearchHit> relevant, String text, int estimatedTokens) {
  public ContextPack {
    recent = List.copyOf(recent);
    relevant = List.copyOf(relevant);
  }

  /** Returns the estimated tokens of a memory's line in a context pack. */
  public static int estimateTokens(String content) {
    return (content.length() + 3) / 4 + 4;
  }
}
