package dev.memstore.internal.search;

import dev.memstore.RetentionPolicy;
import java.util.List;

/** One search candidate with what each side said about it and what ranking needs. */
final class Candidate {
  final long seq;
  final String id;
  Double semantic;
  Double keyword;
  double importance;
  long lastUsed;
  boolean namesTag;

  /** When the memory was made; set for hybrid candidates by {@link CandidateContext}. */
  long createdAt;

  /** The short text values of its metadata, read with its context; null when not read. */
  List<String> metadataTexts;

  /** Whether the memory was made within a time the query names. */
  boolean inNamedTime;

  /**
   * The turns before and after it in its session, with their own scores (a candidate itself or a
   * stand-in for one that is not); null outside a session or at its ends.
   */
  Candidate previous;

  Candidate next;
  double relevance;
  double recency;
  double score;

  Candidate(long seq, String id, double importance, long lastUsed) {
    this.seq = seq;
    this.id = id;
    this.importance = importance;
    this.lastUsed = lastUsed;
  }

  /** A candidate from what the vector index holds of the memory, its sides' scores not yet set. */
  static Candidate of(Scored hit, RetentionPolicy retention, long now) {
    long lastUsed = Math.max(hit.createdAt(), hit.lastAccessedAt());
    return new Candidate(
        hit.seq(),
        hit.id(),
        retention.effectiveImportance(
            hit.importance(), hit.type(), hit.tier(), hit.pinned(), lastUsed, now),
        lastUsed);
  }
}
