package dev.memstore;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The order of a listing. Ties are broken by id in the same direction, so pages are stable.
 *
 * @param field the attribute to sort by
 * @param descending whether the largest value comes first
 */
public record MemorySort(Field field, boolean descending) {
  /** Newest first: the default order of listings (seed 001). */
  public static final MemorySort NEWEST_FIRST = new MemorySort(Field.CREATED_AT, true);

  /** Oldest first by creation time. */
  public static final MemorySort OLDEST_FIRST = new MemorySort(Field.CREATED_AT, false);

  /** The attributes a listing can be sorted by. */
  public enum Field {
    CREATED_AT,
    UPDATED_AT,
    LAST_ACCESSED_AT,
    EXPIRES_AT,
    IMPORTANCE,
    PRIORITY,
    ACCESS_COUNT;

    /** Returns the name on the wire, for example {@code created_at}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Returns the field a wire name denotes. */
    public static Optional<Field> fromName(String name) {
      for (Field field : values()) {
        if (field.wireName().equals(NameIndex.normalize(name))) {
          return Optional.of(field);
        }
      }
      return Optional.empty();
    }
  }

  public MemorySort {
    Objects.requireNonNull(field, "field");
  }
}
