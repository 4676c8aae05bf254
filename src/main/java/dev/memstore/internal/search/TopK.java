package dev.memstore.internal.search;

/**
 * The best slots seen so far by exact score, best first; a later slot with an equal score ranks
 * after an earlier one. Primitive arrays and insertion in place: a search adds hundreds of scores
 * and keeps ten. Not thread-safe: each thread of a search fills its own.
 */
final class TopK {
  final int[] slots;
  final float[] scores;
  int filled;

  TopK(int capacity) {
    slots = new int[capacity];
    scores = new float[capacity];
  }

  void add(int slot, float score) {
    int keep = slots.length;
    if (keep == 0 || (filled == keep && !(score > scores[keep - 1]))) {
      return;
    }
    int position = filled < keep ? filled++ : keep - 1;
    while (position > 0 && scores[position - 1] < score) {
      scores[position] = scores[position - 1];
      slots[position] = slots[position - 1];
      position--;
    }
    scores[position] = score;
    slots[position] = slot;
  }

  /** Adds another's slots, which all come after those added so far in candidate order. */
  void addAll(TopK later) {
    for (int index = 0; index < later.filled; index++) {
      add(later.slots[index], later.scores[index]);
    }
  }
}
