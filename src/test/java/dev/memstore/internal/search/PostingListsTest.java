package dev.memstore.internal.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.memstore.internal.search.PostingLists.Column;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The index's string codes and posting lists, which every filtered search starts from. */
class PostingListsTest {
  private static int[] sorted(int[] slots) {
    int[] copy = slots.clone();
    Arrays.sort(copy);
    return copy;
  }

  @Test
  void code_nullIsZero_newValuesGetTheNextCode_knownValuesKeepTheirs() {
    PostingLists lists = new PostingLists();
    assertEquals(0, lists.code(null));
    assertEquals(1, lists.code("alice"));
    assertEquals(2, lists.code("bob"));
    assertEquals(1, lists.code("alice"));
    assertEquals(1, lists.lookup("alice"));
    assertEquals(0, lists.lookup(null), "no condition");
    assertEquals(-1, lists.lookup("carol"), "a value no slot ever held");
    assertEquals(-1, lists.known("carol"));
    assertEquals(2, lists.known("bob"));
  }

  @Test
  void post_manySlots_growsAndKeepsEachOnce() {
    PostingLists lists = new PostingLists();
    int tag = lists.code("music");
    int[] expected = new int[100];
    for (int slot = 0; slot < 100; slot++) {
      lists.post(Column.TAG, tag, slot);
      expected[slot] = slot;
    }
    assertArrayEquals(expected, sorted(lists.slots(Column.TAG, tag)));
    assertArrayEquals(new int[0], lists.slots(Column.USER, tag), "columns keep their own lists");
  }

  @Test
  void post_codeZero_postsNothing() {
    PostingLists lists = new PostingLists();
    lists.post(Column.SESSION, 0, 7);
    assertArrayEquals(new int[0], lists.slots(Column.SESSION, 0));
  }

  @Test
  void unpost_removesOneOccurrence_andAnEmptyListGoes() {
    PostingLists lists = new PostingLists();
    int user = lists.code("alice");
    lists.post(Column.USER, user, 3);
    lists.post(Column.USER, user, 5);
    lists.post(Column.USER, user, 9);
    lists.unpost(Column.USER, user, 5);
    assertArrayEquals(new int[] {3, 9}, sorted(lists.slots(Column.USER, user)));
    lists.unpost(Column.USER, user, 42);
    assertArrayEquals(new int[] {3, 9}, sorted(lists.slots(Column.USER, user)), "not posted");
    lists.unpost(Column.USER, user, 9);
    lists.unpost(Column.USER, user, 9);
    assertArrayEquals(new int[] {3}, lists.slots(Column.USER, user), "removed once, not again");
    lists.post(Column.USER, user, 9);
    lists.unpost(Column.USER, user, 3);
    lists.unpost(Column.USER, user, 9);
    assertArrayEquals(new int[0], lists.slots(Column.USER, user));
    lists.unpost(Column.USER, user, 9);
    lists.unpost(Column.USER, 0, 9);
    lists.post(Column.USER, user, 9);
    assertArrayEquals(new int[] {9}, lists.slots(Column.USER, user), "a list can start again");
  }

  @Test
  void slots_unknownOrNoCode_empty_andACopy() {
    PostingLists lists = new PostingLists();
    int agent = lists.code("planner");
    lists.post(Column.AGENT, agent, 1);
    assertArrayEquals(new int[0], lists.slots(Column.AGENT, -1));
    assertArrayEquals(new int[0], lists.slots(Column.AGENT, 0));
    lists.slots(Column.AGENT, agent)[0] = 99;
    assertArrayEquals(new int[] {1}, lists.slots(Column.AGENT, agent));
  }

  @Test
  void clear_forgetsCodesAndLists() {
    PostingLists lists = new PostingLists();
    int parent = lists.code("mem-1");
    lists.post(Column.PARENT, parent, 4);
    lists.clear();
    assertEquals(-1, lists.known("mem-1"));
    assertArrayEquals(new int[0], lists.slots(Column.PARENT, parent));
    assertEquals(1, lists.code("other"), "codes start again at 1");
  }
}
