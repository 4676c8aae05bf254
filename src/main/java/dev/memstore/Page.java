package dev.memstore;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items the items of this page, at most {@code limit}
 * @param totalCount how many items match in all, counted in the same snapshot as the page
 * @param offset how many matching items come before this page
 * @param limit the page size asked for
 * @param <T> the kind of item
 */
public record Page<T>(List<T> items, long totalCount, int offset, int limit) {
  /**
   * The largest offset a listing or search accepts (1,000,000); beyond it a {@link
   * ValidationException} names the range.
   */
  public static final int MAX_OFFSET = 1_000_000;

  public Page {
    items = List.copyOf(items);
  }

  /** Returns whether more matching items follow this page. */
  public boolean hasMore() {
    return offset + (long) items.size() < totalCount;
  }
}
