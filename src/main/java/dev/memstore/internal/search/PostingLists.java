package dev.memstore.internal.search;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The index's string columns coded as small integers, and for each column and code the slots that
 * hold it: filters compare ints, and a filter on a rare value starts from its few slots. Not
 * thread-safe; the {@link VectorIndex} guards it.
 */
final class PostingLists {
  /** The string columns that have posting lists, each with its own codes' lists. */
  enum Column {
    SESSION,
    USER,
    AGENT,
    PARENT,
    TAG
  }

  private final Map<String, Integer> codes = new HashMap<>();

  /** Per column, the slots that hold each code. */
  private final Map<Column, Map<Integer, Postings>> postings = new EnumMap<>(Column.class);

  PostingLists() {
    for (Column column : Column.values()) {
      postings.put(column, new HashMap<>());
    }
  }

  /** Returns a small integer for a string (0 for null), giving a new string the next one. */
  int code(String value) {
    return value == null ? 0 : codes.computeIfAbsent(value, key -> codes.size() + 1);
  }

  /** Returns the code of a value a filter asks for: 0 for null (no condition), -1 when unknown. */
  int lookup(String value) {
    return value == null ? 0 : known(value);
  }

  /** Returns the value's code, -1 when no slot has ever held it. */
  int known(String value) {
    return codes.getOrDefault(value, -1);
  }

  void post(Column column, int code, int slot) {
    if (code != 0) {
      postings.get(column).computeIfAbsent(code, key -> new Postings()).add(slot);
    }
  }

  void unpost(Column column, int code, int slot) {
    // Codes 0 (null) and -1 (unknown) never have a list.
    Postings list = postings.get(column).get(code);
    if (list != null) {
      list.remove(slot);
      if (list.size == 0) {
        postings.get(column).remove(code);
      }
    }
  }

  /** Returns a copy of the slots that hold the code in the column, in no order. */
  int[] slots(Column column, int code) {
    Postings list = postings.get(column).get(code);
    return list == null ? new int[0] : list.slots();
  }

  /** Forgets every code and list. */
  void clear() {
    codes.clear();
    postings.values().forEach(Map::clear);
  }

  /** The slots holding one code of one column, in no order. */
  private static final class Postings {
    private int[] slots = new int[4];
    private int size;

    void add(int slot) {
      if (size == slots.length) {
        slots = Arrays.copyOf(slots, size * 2);
      }
      slots[size++] = slot;
    }

    /** Removes one occurrence of the slot, if there is one. */
    void remove(int slot) {
      for (int index = 0; index < size; index++) {
        if (slots[index] == slot) {
          slots[index] = slots[--size];
          return;
        }
      }
    }

    int[] slots() {
      return Arrays.copyOf(slots, size);
    }
  }
}
