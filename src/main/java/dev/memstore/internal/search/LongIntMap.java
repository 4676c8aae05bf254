package dev.memstore.internal.search;

import java.util.Arrays;

/**
 * A map from long to int without boxing (open addressing, linear probing): the indexes map row
 * numbers to slots millions of times while they load and hundreds of times per search, where {@code
 * HashMap<Long, Integer>} spent most of its time allocating and comparing boxes.
 */
final class LongIntMap {
  private static final long EMPTY = Long.MIN_VALUE;

  private long[] keys;
  private int[] values;
  private int size;

  /** A map that holds {@code expected} keys without growing. */
  LongIntMap(int expected) {
    int capacity = Integer.highestOneBit(Math.max(8, expected) * 2 - 1) << 1;
    keys = new long[capacity];
    Arrays.fill(keys, EMPTY);
    values = new int[capacity];
  }

  int size() {
    return size;
  }

  /** Returns the value of the key, or -1 when it has none. Keys are never Long.MIN_VALUE. */
  int get(long key) {
    int mask = keys.length - 1;
    for (int at = hash(key) & mask; ; at = (at + 1) & mask) {
      if (keys[at] == key) {
        return values[at];
      }
      if (keys[at] == EMPTY) {
        return -1;
      }
    }
  }

  void put(long key, int value) {
    if (2 * (size + 1) > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    int at = hash(key) & mask;
    while (keys[at] != EMPTY && keys[at] != key) {
      at = (at + 1) & mask;
    }
    if (keys[at] == EMPTY) {
      keys[at] = key;
      size++;
    }
    values[at] = value;
  }

  /**
   * Removes the key, moving later entries of its probe run back so that lookups still find them.
   */
  void remove(long key) {
    int mask = keys.length - 1;
    int at = hash(key) & mask;
    while (keys[at] != key) {
      if (keys[at] == EMPTY) {
        return;
      }
      at = (at + 1) & mask;
    }
    size--;
    int gap = at;
    for (int next = (gap + 1) & mask; keys[next] != EMPTY; next = (next + 1) & mask) {
      int home = hash(keys[next]) & mask;
      // Move the entry into the gap when its home is not between the gap and its position.
      if (((next - home) & mask) >= ((next - gap) & mask)) {
        keys[gap] = keys[next];
        values[gap] = values[next];
        gap = next;
      }
    }
    keys[gap] = EMPTY;
  }

  void clear() {
    Arrays.fill(keys, EMPTY);
    size = 0;
  }

  /** Calls the action with every key and its value. */
  void forEach(Entries action) {
    for (int at = 0; at < keys.length; at++) {
      if (keys[at] != EMPTY) {
        action.accept(keys[at], values[at]);
      }
    }
  }

  /** Receives a map's entries. */
  interface Entries {
    void accept(long key, int value);
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    Arrays.fill(keys, EMPTY);
    values = new int[keys.length];
    size = 0;
    for (int at = 0; at < oldKeys.length; at++) {
      if (oldKeys[at] != EMPTY) {
        put(oldKeys[at], oldValues[at]);
      }
    }
  }

  private static int hash(long key) {
    long mixed = key * 0x9E3779B97F4A7C15L; // Fibonacci hashing spreads consecutive row numbers
    return (int) (mixed ^ (mixed >>> 32));
  }
}
