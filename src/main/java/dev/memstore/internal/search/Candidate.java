package dev.memstore.internal.search;

import dev.memstore.RetentionPolicy;

/** One search candidate with what each side said about it and what ranking needs. */
final class Candidate {
  final long seq;
  final String id;
  Double semantic;
  Double keyword;
  double importance;
  long lastUsed;
  boolean namesTag;
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
