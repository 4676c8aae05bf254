package dev.memstore;

import java.time.Instant;
import java.util.Objects;

/**
 * One of the user's current facts, shown to {@link Extractor#decide} so that it can tell a new fact
 * from a changed or an ended one. Immutable.
 *
 * @param memoryId the id of the memory that holds the fact
 * @param factKey its fact key, {@code subject:attribute}, for example {@code user-12345:home_city}
 * @param content the fact as stored, for example "The user lives in Paris."
 * @param validFrom when it became true (the newest is the one the user spoke of last)
 */
public record CandidateFact(String memoryId, String factKey, String content, Instant validFrom) {
  public CandidateFact {
    Objects.requireNonNull(memoryId, "memoryId");
    ExtractedFact.requireFactKey(Objects.requireNonNull(factKey, "factKey"));
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(validFrom, "validFrom");
  }
}
