package dev.memstore;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds facts and preferences worth remembering in one exchange between the user and the assistant,
 * for {@link MemoryLifecycle#learnFromInteraction}, and decides what each does to the facts already
 * known. The default is rule-based: it matches first-person statements such as "my name is ...", "I
 * love ...", "I moved to ..." in the user's words and nothing else (no inference, no coreference,
 * English only), and keys only the phrasings whose attribute it is sure of. Implementations must be
 * thread-safe.
 *
 * <p>An implementation that only finds facts implements {@link #extract}; one that can also tell a
 * change from a new fact (a language model, say) overrides {@link #decide}, which is what {@code
 * learnFromInteraction} calls.
 */
@FunctionalInterface
public interface Extractor {
  /** The subject of the keys that {@link #extract} gives facts about the user. */
  String USER_SUBJECT = "user";

  /**
   * Returns the facts found, possibly none. A fact about the user that has a key has the subject
   * {@value #USER_SUBJECT} ({@code user:home_city}); {@link #decide} puts the user's id in its
   * place.
   *
   * @param userInput what the user said
   * @param assistantResponse what the assistant answered, or null
   */
  List<ExtractedFact> extract(String userInput, String assistantResponse);

  /**
   * Returns the facts found in an exchange, each with what to do against the user's current facts:
   * {@link FactAction#ADD} a new fact, {@link FactAction#UPDATE} or {@link FactAction#DELETE} a
   * candidate (named by {@link ExtractedFact#targetMemoryId()} and sharing its key), or {@link
   * FactAction#NONE} when it is already known. {@code learnFromInteraction} stores the facts to
   * add, update and delete, each with its key so that it supersedes the current fact of that key,
   * and stores nothing for NONE.
   *
   * <p>The candidates are the user's current keyed facts, newest first (at most a few hundred). An
   * implementation backed by a language model shows them to the model with the exchange, asks for
   * one decision per fact, and answers facts whose key is one of theirs (or a new key, {@code
   * subject:attribute}, with the given subject). It must not invent a target: a target that is not
   * a candidate's id makes the decision ADD.
   *
   * <p>The default calls {@link #extract}, puts the subject in place of {@value #USER_SUBJECT} in
   * the keys, and compares each keyed fact with the candidate of its key: the same content is NONE,
   * another is UPDATE (a DELETE from extract stays DELETE), none is ADD (a DELETE of nothing known
   * is stored as the state it describes, "The user is no longer with their partner.").
   *
   * @param userInput what the user said
   * @param assistantResponse what the assistant answered, or null
   * @param subject the subject of the user's keys: the user's id, or {@value #USER_SUBJECT}
   * @param candidates the user's current keyed facts, newest first
   */
  default List<ExtractedFact> decide(
      String userInput, String assistantResponse, String subject, List<CandidateFact> candidates) {
    List<ExtractedFact> decided = new ArrayList<>();
    for (ExtractedFact fact : extract(userInput, assistantResponse)) {
      ExtractedFact keyed = fact;
      if (fact.factKey() != null && fact.factKey().startsWith(USER_SUBJECT + ":")) {
        keyed = fact.withFactKey(subject + fact.factKey().substring(USER_SUBJECT.length()));
      }
      decided.add(decideAgainst(keyed, candidates));
    }
    return List.copyOf(decided);
  }

  /**
   * Returns a keyed fact with its action against the candidate of its key, as {@link #decide}
   * describes; a fact without a key, or with a decision of its own (a target), unchanged.
   */
  private static ExtractedFact decideAgainst(ExtractedFact fact, List<CandidateFact> candidates) {
    if (fact.factKey() == null
        || fact.targetMemoryId() != null
        || fact.action() == FactAction.NONE) {
      return fact;
    }
    CandidateFact current = null;
    for (CandidateFact candidate : candidates) {
      if (candidate.factKey().equals(fact.factKey())) {
        current = candidate;
        break; // newest first
      }
    }
    if (current == null) {
      return fact.withAction(FactAction.ADD, null);
    }
    if (current
        .content()
        .strip()
        .toLowerCase(Locale.ROOT)
        .equals(fact.content().strip().toLowerCase(Locale.ROOT))) {
      return fact.withAction(FactAction.NONE, current.memoryId());
    }
    return fact.withAction(
        fact.action() == FactAction.DELETE ? FactAction.DELETE : FactAction.UPDATE,
        current.memoryId());
  }
}
