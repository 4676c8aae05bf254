package dev.memstore;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which memories {@link Privacy#forget} removes for good. Every criterion given must hold (AND), as
 * in a {@link MemoryFilter}: ids, a filter, a user, a session, tags (any of them), and a text
 * query, which selects the best matches of a hybrid search (at most {@link #limit()}, each scoring
 * at least {@link #minScore()} or, unset, half the best match's score) among the memories the other
 * criteria leave. Unlike a filter, a forget also reaches expired and archived memories. Immutable;
 * build with {@link #builder()}.
 */
public final class ForgetRequest {
  /** How many matches of a text query are forgotten unless the request says otherwise. */
  public static final int DEFAULT_LIMIT = 10;

  /**
   * Unless a request sets a minimum score, a match of its text query must score at least this share
   * of the best match's score: it leaves out the hits that merely come next, whatever the search
   * mode's scale. The best match of any search passes, so look at {@link Privacy#previewForget}
   * first.
   */
  public static final double DEFAULT_SHARE_OF_BEST = 0.5;

  private final Set<String> ids;
  private final MemoryFilter filter;
  private final String userId;
  private final String sessionId;
  private final Set<String> tags;
  private final String text;
  private final int limit;
  private final Double minScore;

  private ForgetRequest(Builder builder) {
    this.ids = Set.copyOf(builder.ids);
    this.filter = builder.filter;
    this.userId = builder.userId;
    this.sessionId = builder.sessionId;
    this.tags = Set.copyOf(builder.tags);
    this.text = builder.text;
    this.limit = builder.limit;
    this.minScore = builder.minScore;
  }

  /** Returns a builder with no criteria. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a request for exactly these memories. */
  public static ForgetRequest ofIds(Collection<String> ids) {
    return builder().ids(ids).build();
  }

  /** Returns the memory ids the request names; empty: any. */
  public Set<String> ids() {
    return ids;
  }

  /** Returns the filter, or null when none was given. */
  public MemoryFilter filter() {
    return filter;
  }

  /** Returns the user whose memories are forgotten, or null. */
  public String userId() {
    return userId;
  }

  /** Returns the session whose memories are forgotten, or null. */
  public String sessionId() {
    return sessionId;
  }

  /** Returns the tags, any of which a memory must carry; empty: no condition. */
  public Set<String> tags() {
    return tags;
  }

  /** Returns the text query, or null. */
  public String text() {
    return text;
  }

  /** Returns how many matches of the text query are forgotten at most. */
  public int limit() {
    return limit;
  }

  /**
   * Returns the lowest search score of a match of the text query, 0 to 1; null when unset: then a
   * match must score at least {@link #DEFAULT_SHARE_OF_BEST} of the best match's score.
   */
  public Double minScore() {
    return minScore;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ForgetRequest request
        && ids.equals(request.ids)
        && Objects.equals(filter, request.filter)
        && Objects.equals(userId, request.userId)
        && Objects.equals(sessionId, request.sessionId)
        && tags.equals(request.tags)
        && Objects.equals(text, request.text)
        && limit == request.limit
        && Objects.equals(minScore, request.minScore);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ids, filter, userId, sessionId, tags, text, limit, minScore);
  }

  /** Never the text query itself, which may be as private as what it finds. */
  @Override
  public String toString() {
    return "ForgetRequest[ids="
        + ids.size()
        + ", filter="
        + (filter != null)
        + ", userId="
        + userId
        + ", sessionId="
        + sessionId
        + ", tags="
        + tags.size()
        + ", text="
        + (text != null)
        + "]";
  }

  /** Builds a {@link ForgetRequest}. Not thread-safe. */
  public static final class Builder {
    private final Set<String> ids = new LinkedHashSet<>();
    private MemoryFilter filter;
    private String userId;
    private String sessionId;
    private final Set<String> tags = new LinkedHashSet<>();
    private String text;
    private int limit = DEFAULT_LIMIT;
    private Double minScore;

    private Builder() {}

    /** Adds memories by id. */
    public Builder ids(Collection<String> ids) {
      for (String id : Objects.requireNonNull(ids, "ids")) {
        this.ids.add(Objects.requireNonNull(id, "ids holds null"));
      }
      return this;
    }

    /** Adds memories by id. */
    public Builder ids(String... ids) {
      return ids(List.of(ids));
    }

    /** Forgets only memories the filter selects (expired and archived ones included). */
    public Builder filter(MemoryFilter filter) {
      this.filter = Objects.requireNonNull(filter, "filter");
      return this;
    }

    /** Forgets only this user's memories. */
    public Builder userId(String userId) {
      this.userId = requireText("userId", userId);
      return this;
    }

    /** Forgets only this session's memories. */
    public Builder sessionId(String sessionId) {
      this.sessionId = requireText("sessionId", sessionId);
      return this;
    }

    /** Forgets only memories with any of these tags. */
    public Builder tags(Collection<String> tags) {
      for (String tag : Objects.requireNonNull(tags, "tags")) {
        this.tags.add(requireText("tags", tag));
      }
      return this;
    }

    /** Forgets only memories with any of these tags. */
    public Builder tags(String... tags) {
      return tags(List.of(tags));
    }

    /**
     * Forgets the best matches of a hybrid search for the text ("what I said about my sister").
     *
     * @throws IllegalArgumentException if the text is blank or longer than {@link
     *     SearchQuery#MAX_TEXT_LENGTH}
     */
    public Builder text(String text) {
      requireText("text", text);
      if (text.length() > SearchQuery.MAX_TEXT_LENGTH) {
        throw new IllegalArgumentException(
            "text must be at most " + SearchQuery.MAX_TEXT_LENGTH + " characters");
      }
      this.text = text;
      return this;
    }

    /**
     * Sets how many matches of the text query are forgotten at most.
     *
     * @throws IllegalArgumentException if not between 1 and {@link SearchQuery#MAX_LIMIT}
     */
    public Builder limit(int limit) {
      if (limit < 1 || limit > SearchQuery.MAX_LIMIT) {
        throw new IllegalArgumentException(
            "limit must be between 1 and " + SearchQuery.MAX_LIMIT + ", was " + limit);
      }
      this.limit = limit;
      return this;
    }

    /**
     * Sets the lowest search score a match of the text query needs (unset: {@link
     * #DEFAULT_SHARE_OF_BEST} of the best match's).
     *
     * @throws IllegalArgumentException if not between 0 and 1
     */
    public Builder minScore(double minScore) {
      if (!(minScore >= 0 && minScore <= 1)) {
        throw new IllegalArgumentException("minScore must be between 0 and 1, was " + minScore);
      }
      this.minScore = minScore;
      return this;
    }

    /**
     * Returns the request.
     *
     * @throws ValidationException if it names no criterion (it would forget every memory)
     */
    public ForgetRequest build() {
      boolean filtered = filter != null && !filter.isUnrestricted();
      if (ids.isEmpty()
          && !filtered
          && userId == null
          && sessionId == null
          && tags.isEmpty()
          && text == null) {
        throw new ValidationException(
            "criteria",
            "a forget needs at least one criterion (ids, a filter, a user, a session, tags or a"
                + " text); none would forget every memory");
      }
      return new ForgetRequest(this);
    }

    private static String requireText(String name, String value) {
      Objects.requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return value;
    }
  }
}
