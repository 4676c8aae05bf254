package dev.memstore.internal.search;

import dev.memstore.MemoryFilter;
import java.util.List;

/**
 * What an index holds of each memory besides its vector, as a side of a search that finds its own
 * candidates (the keyword side) reads it: which of them a filter allows, and what ranking needs of
 * them. {@link VectorIndex} is the one implementation; the interface keeps that side from reaching
 * the vectors.
 */
public interface MetadataIndex {
  /**
   * Returns what ranking needs of the memories among {@code candidates} that the filter allows, in
   * the candidates' order, with similarity 0 (not computed); adds the row numbers the index does
   * not hold (memories without an embedding, or archived) to {@code unknown}.
   *
   * @throws IllegalArgumentException when the filter names a group or a metadata condition (resolve
   *     them to ids first)
   */
  List<Scored> allowed(long[] candidates, MemoryFilter filter, long now, List<Long> unknown);
}
