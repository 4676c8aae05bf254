package dev.memstore;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The state of the circuit breaker that guards the embedding model (seed 002). Immutable.
 *
 * @param state closed (the model is called), open (it is not, until the cool-down ends) or
 *     half-open (one trial call decides)
 * @param consecutiveFailures failures since the last success
 * @param failureThreshold failures in a row that open the breaker
 * @param coolDown how long an open breaker waits before a trial
 * @param openedAt when it opened, or null when not open
 * @param retryAt when the next trial may run, or null when not open
 * @param lastError the last failure's message, or null
 */
public record CircuitBreakerStatus(
    State state,
    int consecutiveFailures,
    int failureThreshold,
    Duration coolDown,
    Instant openedAt,
    Instant retryAt,
    String lastError) {

  /** The breaker's states. */
  public enum State {
    CLOSED,
    OPEN,
    HALF_OPEN;

    /** Returns the name on the wire, for example {@code half_open}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
