package dev.memstore;

import java.util.List;

/**
 * What to put into a prompt for one turn: a compact profile of the user, the long-term memories
 * most relevant to the query and the session's recent conversation, cut to a token budget.
 * Immutable.
 *
 * <p>Where the store's embedding model is loaded, tokens are counted with that model's own
 * tokenizer, plus 4 per memory for its line's framing. Without a model they are estimated as one
 * per 4 characters of content, rounded up, plus the same 4 ({@link #estimateTokens}): close to what
 * BPE tokenizers give English text, and never tied to one model's tokenizer. Leave a margin when
 * the budget is a hard limit and the prompt's model tokenizes differently.
 *
 * @param profile the current facts of the session's user that fit the profile's share of the
 *     budget, most important first, then the newest
 * @param recent the session's most recent memories that fit, oldest first
 * @param relevant the most relevant other memories that fit, best first
 * @param text all three as prompt lines: {@value #PROFILE_HEADING}, then "Relevant memories:", then
 *     "Recent conversation:"
 * @param estimatedTokens the tokens of {@code text}'s memories, counted as above, at most the
 *     budget
 */
public record ContextPack(
    List<Memory> profile,
    List<Memory> recent,
    List<SearchHit> relevant,
    String text,
    int estimatedTokens) {

  /** The heading of the profile's lines in {@link #text()}. */
  public static final String PROFILE_HEADING = "What I know about the user:";

  /** The tokens a memory's line costs besides its content: the dash, spaces and line break. */
  public static final int LINE_TOKENS = 4;

  public ContextPack {
    profile = List.copyOf(profile);
    recent = List.copyOf(recent);
    relevant = List.copyOf(relevant);
  }

  /** Returns a pack without a profile, as packs were before profiles. */
  public ContextPack(List<Memory> recent, List<SearchHit> relevant, String text, int tokens) {
    this(List.of(), recent, relevant, text, tokens);
  }

  /** Returns the estimated tokens of a memory's line in a context pack, without a tokenizer. */
  public static int estimateTokens(String content) {
    return (content.length() + 3) / 4 + LINE_TOKENS;
  }
}
