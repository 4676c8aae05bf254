package dev.memstore;

import java.time.Instant;
import java.util.Objects;

/**
 * Which entries of the audit trail to read (see {@link Privacy#audit}): every filter given must
 * hold. The newest {@link #limit()} matching entries are returned, oldest first, as a log's tail
 * is. Immutable; build with {@link #builder()}.
 */
public final class AuditQuery {
  /** The default number of entries returned. */
  public static final int DEFAULT_LIMIT = 100;

  /** The most entries one query returns. */
  public static final int MAX_LIMIT = 1_000_000;

  private final String agent;
  private final String action;
  private final Instant since;
  private final Instant until;
  private final String memoryId;
  private final String outcome;
  private final int limit;

  private AuditQuery(Builder builder) {
    this.agent = builder.agent;
    this.action = builder.action;
    this.since = builder.since;
    this.until = builder.until;
    this.memoryId = builder.memoryId;
    this.outcome = builder.outcome;
    this.limit = builder.limit;
  }

  /** Returns a builder of a query with no filter and the default limit. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the newest {@value #DEFAULT_LIMIT} entries, whatever they are. */
  public static AuditQuery latest() {
    return builder().build();
  }

  /** Returns the agent whose entries are read, or null for every agent. */
  public String agent() {
    return agent;
  }

  /** Returns the action whose entries are read, or null for every action. */
  public String action() {
    return action;
  }

  /** Returns the earliest time read (inclusive), or null. */
  public Instant since() {
    return since;
  }

  /** Returns the latest time read (inclusive), or null. */
  public Instant until() {
    return until;
  }

  /** Returns the memory that read entries touched, or null for any. */
  public String memoryId() {
    return memoryId;
  }

  /** Returns the outcome read ({@code ok} or an error code), or null for any. */
  public String outcome() {
    return outcome;
  }

  /** Returns the most entries returned. */
  public int limit() {
    return limit;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AuditQuery that
        && Objects.equals(agent, that.agent)
        && Objects.equals(action, that.action)
        && Objects.equals(since, that.since)
        && Objects.equals(until, that.until)
        && Objects.equals(memoryId, that.memoryId)
        && Objects.equals(outcome, that.outcome)
        && limit == that.limit;
  }

  @Override
  public int hashCode() {
    return Objects.hash(agent, action, since, until, memoryId, outcome, limit);
  }

  @Override
  public String toString() {
    return "AuditQuery[agent="
        + agent
        + ", action="
        + action
        + ", since="
        + since
        + ", until="
        + until
        + ", memoryId="
        + memoryId
        + ", outcome="
        + outcome
        + ", limit="
        + limit
        + "]";
  }

  /**
   * Builds an {@link AuditQuery}. Each filter may be set once; a bad value fails at once with an
   * {@link IllegalArgumentException} naming it. Not thread-safe.
   */
  public static final class Builder {
    private String agent;
    private String action;
    private Instant since;
    private Instant until;
    private String memoryId;
    private String outcome;
    private int limit = DEFAULT_LIMIT;

    private Builder() {}

    /** Reads only this agent's entries. */
    public Builder agent(String agent) {
      this.agent = text("agent", this.agent, agent);
      return this;
    }

    /** Reads only entries of this action, such as {@code search}. */
    public Builder action(String action) {
      this.action = text("action", this.action, action);
      return this;
    }

    /** Reads only entries at or after this time. */
    public Builder since(Instant since) {
      requireUnset("since", this.since);
      this.since = Objects.requireNonNull(since, "since");
      return this;
    }

    /** Reads only entries at or before this time. */
    public Builder until(Instant until) {
      requireUnset("until", this.until);
      this.until = Objects.requireNonNull(until, "until");
      return this;
    }

    /** Reads only entries that touched this memory. */
    public Builder memoryId(String memoryId) {
      this.memoryId = text("memoryId", this.memoryId, memoryId);
      return this;
    }

    /** Reads only entries with this outcome: {@code ok}, or an error code's wire name. */
    public Builder outcome(String outcome) {
      this.outcome = text("outcome", this.outcome, outcome);
      return this;
    }

    /** Returns at most this many entries, the newest, 1 to {@value #MAX_LIMIT}. Default: 100. */
    public Builder limit(int limit) {
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new IllegalArgumentException(
            "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
      }
      this.limit = limit;
      return this;
    }

    /**
     * Returns the query.
     *
     * @throws IllegalArgumentException when {@code since} is after {@code until}
     */
    public AuditQuery build() {
      if (since != null && until != null && since.isAfter(until)) {
        throw new IllegalArgumentException(
            "since (" + since + ") must not be after until (" + until + ")");
      }
      return new AuditQuery(this);
    }

    private static String text(String name, String current, String value) {
      requireUnset(name, current);
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank, was '" + value + "'");
      }
      return value.strip();
    }

    private static void requireUnset(String name, Object current) {
      if (current != null) {
        throw new IllegalStateException(name + " was already set to " + current);
      }
    }
  }
}
