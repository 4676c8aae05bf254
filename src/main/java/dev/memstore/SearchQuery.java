package dev.memstore;

import java.util.Locale;
import java.util.Objects;

/**
 * A search: the text (or a vector), how to match it, which memories may match, and how many hits to
 * return. Immutable; build with {@link #of(String)} or {@link #builder(String)}, or for a search by
 * a vector the caller computed, {@link #of(float[])} or {@link #builder(float[])}.
 *
 * <p>A search by vector finds the nearest neighbours of the vector among the memories' embeddings:
 * it is semantic (no words to match), and its hits come ordered by similarity alone, each scored
 * {@code max(0, similarity)}, since a caller who brings a vector from its own model asks for what
 * is nearest to it, not for the store's blend of importance and recency. The vector must come from
 * the store's model: its length must be the model's dimension.
 *
 * @param text what to look for, at most {@link #MAX_TEXT_LENGTH} characters; null for a search by
 *     vector
 * @param mode how to match it; {@link SearchMode#HYBRID} by default
 * @param filter which memories may be returned; every live memory by default (expired ones never
 *     are)
 * @param limit how many hits, 1 to 1,000; 10 by default
 * @param offset how many of the best hits to skip, for paging; 0 by default
 * @param minSimilarity the lowest cosine similarity of a hit to the query, in every mode; null for
 *     none, except in a semantic search by text, where null means the model's default. A memory
 *     whose similarity is unknown (it waits for its embedding, or the model failed and the search
 *     was degraded) does not pass a floor. In hybrid mode the floor leaves hits out after ranking,
 *     so it never reorders the others; in keyword mode it makes the search embed the query.
 * @param explain whether each hit carries its score parts
 * @param expansionDepth 0 to 3: how many steps the hits are expanded through relationships (either
 *     direction) and parent/child links, for contextual retrieval (seed 003); a memory reached in n
 *     steps scores the hit's score times the link's strength (1 for the hierarchy) times 0.5^n
 * @param vector the vector to search by, or null to search by the text; finite values, not copied
 *     (do not modify it afterwards)
 */
public record SearchQuery(
    String text,
    SearchMode mode,
    MemoryFilter filter,
    int limit,
    int offset,
    Double minSimilarity,
    boolean explain,
    int expansionDepth,
    float[] vector) {

  /** The most hits one search returns. */
  public static final int MAX_LIMIT = 1000;

  /**
   * The longest query text, in characters (UTF-16 units). The models read only a query's first 256
   * (MiniLM) or 512 (bge) word pieces, about 1,000 to 2,000 characters of English, so a longer text
   * adds nothing to the semantic side; 16,384 still takes a pasted page of text for the keyword
   * side, which scores it in milliseconds.
   */
  public static final int MAX_TEXT_LENGTH = 16_384;

  /** The deepest expansion a search may ask for. */
  public static final int MAX_EXPANSION_DEPTH = 3;

  /**
   * Checks every range here, so that a query that exists is one the store can run.
   *
   * @throws ValidationException naming the field, when the text is blank or too long, or a number
   *     is out of its range
   */
  public SearchQuery {
    if (vector != null) {
      checkVector(text, mode, vector);
      mode = SearchMode.SEMANTIC;
    } else {
      Objects.requireNonNull(text, "text");
    }
    mode = mode == null ? SearchMode.HYBRID : mode;
    filter = filter == null ? MemoryFilter.all() : filter;
    if (expansionDepth < 0 || expansionDepth > MAX_EXPANSION_DEPTH) {
      throw new ValidationException(
          "expansion_depth",
          "expansion_depth must be between 0 and "
              + MAX_EXPANSION_DEPTH
              + ", was "
              + expansionDepth);
    }
    if (text != null && text.length() > MAX_TEXT_LENGTH) {
      throw new ValidationException(
          "query",
          "query is "
              + text.length()
              + " characters long, more than the limit of "
              + MAX_TEXT_LENGTH
              + "; search with a shorter text");
    }
    if (text != null && text.isBlank()) {
      throw new ValidationException("query", "query must not be empty");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ValidationException(
          "limit", "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
    if (offset < 0 || offset > Page.MAX_OFFSET) {
      throw new ValidationException(
          "offset", "offset must be between 0 and " + Page.MAX_OFFSET + ", was " + offset);
    }
    if (minSimilarity != null && !(minSimilarity >= -1 && minSimilarity <= 1)) {
      throw new ValidationException(
          "min_similarity", "min_similarity must be between -1 and 1, was " + minSimilarity);
    }
  }

  private static void checkVector(String text, SearchMode mode, float[] vector) {
    if (text != null) {
      throw new ValidationException(
          "query", "a search is by text or by vector, not both; leave one of them out");
    }
    if (mode != null && mode != SearchMode.SEMANTIC) {
      throw new ValidationException(
          "mode",
          "a search by vector is semantic (it has no words to match), not "
              + mode.name().toLowerCase(Locale.ROOT));
    }
    if (vector.length == 0) {
      throw new ValidationException("vector", "vector must not be empty");
    }
    for (float value : vector) {
      if (!Float.isFinite(value)) {
        throw new ValidationException("vector", "vector must hold finite numbers, held " + value);
      }
    }
  }

  /** Returns a hybrid search for the text with the defaults. */
  public static SearchQuery of(String text) {
    return builder(text).build();
  }

  public static Builder builder(String text) {
    return new Builder(text, null);
  }

  /** Returns a search for the nearest neighbours of the vector, with the defaults. */
  public static SearchQuery of(float[] vector) {
    return builder(vector).build();
  }

  /**
   * Returns a builder of a search for the nearest neighbours of the vector (see the class comment).
   */
  public static Builder builder(float[] vector) {
    return new Builder(null, Objects.requireNonNull(vector, "vector"));
  }

  /** Builds a {@link SearchQuery}. Not thread-safe. */
  public static final class Builder {
    private final String text;
    private final float[] vector;
    private SearchMode mode;
    private MemoryFilter filter = MemoryFilter.all();
    private int limit = 10;
    private int offset;
    private Double minSimilarity;
    private boolean explain;
    private int expansionDepth;

    private Builder(String text, float[] vector) {
      this.text = text;
      this.vector = vector;
    }

    public Builder mode(SearchMode mode) {
      this.mode = mode;
      return this;
    }

    public Builder filter(MemoryFilter filter) {
      this.filter = filter;
      return this;
    }

    public Builder limit(int limit) {
      this.limit = limit;
      return this;
    }

    public Builder offset(int offset) {
      this.offset = offset;
      return this;
    }

    public Builder minSimilarity(double minSimilarity) {
      this.minSimilarity = minSimilarity;
      return this;
    }

    public Builder explain(boolean explain) {
      this.explain = explain;
      return this;
    }

    public Builder expansionDepth(int expansionDepth) {
      this.expansionDepth = expansionDepth;
      return this;
    }

    public SearchQuery build() {
      return new SearchQuery(
          text, mode, filter, limit, offset, minSimilarity, explain, expansionDepth, vector);
    }
  }
}
