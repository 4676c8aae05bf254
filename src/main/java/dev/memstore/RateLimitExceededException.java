package dev.memstore;

import java.time.Duration;
import java.util.Map;

/**
 * The acting agent made more requests (or writes) per second than its policy allows. Nothing was
 * done; the request may be retried after {@link #retryAfter()}.
 */
public final class RateLimitExceededException extends MemoryStoreException {
  private static final long serialVersionUID = 1L;

  private final String agent;
  private final transient Duration retryAfter;

  /**
   * Creates the refusal.
   *
   * @param agent the agent over its limit
   * @param limit the limit it went over, such as {@code 10 writes per second}
   * @param retryAfter how long until the request would be allowed
   */
  public RateLimitExceededException(String agent, String limit, Duration retryAfter) {
    super(
        ErrorCode.RATE_LIMIT_EXCEEDED,
        "agent "
            + agent
            + " is over its limit of "
            + limit
            + "; nothing was done, retry after "
            + retryAfter.toMillis()
            + " ms",
        Map.of("agent", agent, "limit", limit, "retry_after_ms", retryAfter.toMillis()),
        null);
    this.agent = agent;
    this.retryAfter = retryAfter;
  }

  /** Returns the agent over its limit. */
  public String agent() {
    return agent;
  }

  /** Returns how long until the request would be allowed. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
