package dev.memstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.MemoryStore;
import dev.memstore.MemoryStoreException;
import dev.memstore.NewMemory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19.6: memctl printed stored text raw, so a memory could clear the screen, set the window
 * title or write the clipboard. Human output shows control characters escaped; --json keeps them.
 */
class TerminalTextTest {
  private static final String CLEAR_SCREEN = "\u001b[2J";
  private static final String WINDOW_TITLE = "\u001b]0;pwned\u0007";
  private static final String CLIPBOARD = "\u001b]52;c;ZWNobyBwd25lZA==\u0007";
  private static final String RIGHT_TO_LEFT = "\u202e";

  @TempDir Path folder;

  @Test
  void line_escapesControlsLikeGit() {
    assertEquals("a\\e[2Jb", TerminalText.line("a" + CLEAR_SCREEN + "b"));
    assertEquals("\\e]52;c;ZWNobyBwd25lZA==\\x07", TerminalText.line(CLIPBOARD));
    assertEquals("x\\ny\\tz\\r", TerminalText.line("x\ny\tz\r"));
    assertEquals(
        "\\x00\\x7f\\u009b\\u202e\\u2066\\u2028",
        TerminalText.line("\0\u007f\u009b\u202e\u2066\u2028"));
    assertEquals(
        "caf\u00e9 \u4e2d\u6587 \ud83d\ude00",
        TerminalText.line("caf\u00e9 \u4e2d\u6587 \ud83d\ude00"));
    assertEquals("\\ud800x", TerminalText.line("\ud800x"), "a lone surrogate");
  }

  @Test
  void lines_keepsLineBreaksAndTabs() {
    assertEquals("one\n\ttwo\\e[2J", TerminalText.lines("one\n\ttwo" + CLEAR_SCREEN));
  }

  @Test
  void humanOutput_ofHostileStrings_hasNoControlCharacters() throws Exception {
    Random random = new Random(19_6L);
    Supplier<String> hostile = () -> hostile(random);
    Path db = folder.resolve("memory.db");
    String parent;
    String child;
    String session;
    long group;
    try (MemoryStore store = MemoryStore.open(db)) {
      session =
          attempt(
              () ->
                  store
                      .sessions()
                      .create(hostile.get(), hostile.get(), Map.of(hostile.get(), hostile.get()))
                      .id(),
              () -> store.sessions().create(null, null, Map.of()).id());
      parent =
          store
              .create(
                  NewMemory.builder("findme " + hostile.get())
                      .metadata(Map.of(hostile.get(), hostile.get()))
                      .sessionId(session)
                      .build())
              .id();
      child =
          store
              .create(NewMemory.builder("findme child " + hostile.get()).parentId(parent).build())
              .id();
      for (int index = 0; index < 20; index++) {
        String text = "findme " + hostile.get();
        List<String> tags = List.of(hostile.get().replaceAll("\\p{Cntrl}", ""));
        attempt(
            () -> store.create(NewMemory.builder(text).tags(tags).build()).id(),
            () -> store.create(NewMemory.of(text)).id());
      }
      attempt(
          () -> store.links().add(child, parent, hostile.get(), 0.5).id(),
          () -> store.links().add(child, parent, "related_to", 0.5).id());
      group =
          attempt(
              () -> store.groups().create("g " + hostile.get(), hostile.get()).id(),
              () -> store.groups().create("g", null).id());
      store.groups().add(group, parent);
      store.update(
          parent, dev.memstore.MemoryUpdate.builder().content("findme " + hostile.get()).build());
    }
    List<String[]> commands =
        List.of(
            new String[] {"ls"},
            new String[] {"ls", "--full"},
            new String[] {"get", parent},
            new String[] {"get", child},
            new String[] {"search", "findme", "--mode", "keyword", "--full", "-k", "30"},
            new String[] {"children", parent, "--full"},
            new String[] {"related", parent},
            new String[] {"history", parent},
            new String[] {"session", "ls", "--all"},
            new String[] {"session", "show", session},
            new String[] {"session", "end", session, "--summary", hostile.get()},
            new String[] {"group", "ls"},
            new String[] {"group", "show", String.valueOf(group)},
            new String[] {"summarize"},
            new String[] {"prune", "--below", "1", "--dry-run"},
            new String[] {"consolidate", "--dry-run"},
            new String[] {"update", child, "--tag", "t", "--importance", "0.6"},
            new String[] {"stats"},
            new String[] {"add", "x", "--tag", hostile.get() + CLEAR_SCREEN},
            new String[] {"get", "mem-" + CLIPBOARD},
            new String[] {"ls", "--type", WINDOW_TITLE});
    StringBuilder everything = new StringBuilder();
    for (String[] command : commands) {
      List<String> args = new ArrayList<>(List.of("--db", db.toString()));
      args.addAll(List.of(command));
      CliRun run =
          CliRun.memctl(
              new StoreLocation(Map.<String, String>of()::get, "Linux", folder),
              "",
              args.toArray(String[]::new));
      assertSafe(run.out(), run);
      assertSafe(run.err(), run);
      everything.append(run.out()).append(run.err());
    }
    assertTrue(everything.toString().contains("\\e]52;"), "the hostile text was shown, escaped");
    CliRun json =
        CliRun.memctl(
            new StoreLocation(Map.<String, String>of()::get, "Linux", folder),
            "",
            "--db",
            db.toString(),
            "--json",
            "get",
            parent);
    assertTrue(json.out().contains("findme "), json::toString);
  }

  private static void assertSafe(String output, CliRun run) {
    for (int index = 0; index < output.length(); index++) {
      char c = output.charAt(index);
      boolean control =
          (c < 0x20 && c != '\n' && c != '\t')
              || (c >= 0x7f && c <= 0x9f)
              || c == 0x061c
              || c == 0x200e
              || c == 0x200f
              || (c >= 0x202a && c <= 0x202e)
              || (c >= 0x2066 && c <= 0x2069)
              || c == 0x2028
              || c == 0x2029
              || Character.isSurrogate(c) && !validPair(output, index);
      int at = index;
      assertTrue(!control, () -> String.format("U+%04X at %d in%n%s", (int) c, at, run));
    }
  }

  private static boolean validPair(String text, int index) {
    char c = text.charAt(index);
    return Character.isHighSurrogate(c)
        ? index + 1 < text.length() && Character.isLowSurrogate(text.charAt(index + 1))
        : index > 0 && Character.isHighSurrogate(text.charAt(index - 1));
  }

  /** Runs a store call that may refuse its hostile value, then the plain one. */
  private static <T> T attempt(Supplier<T> hostile, Supplier<T> plain) {
    try {
      return hostile.get();
    } catch (MemoryStoreException | IllegalArgumentException refused) {
      return plain.get();
    }
  }

  /** Text mixed from escape sequences, single control characters and ordinary text. */
  private static String hostile(Random random) {
    String[] pieces = {
      CLEAR_SCREEN,
      WINDOW_TITLE,
      CLIPBOARD,
      RIGHT_TO_LEFT,
      "\u2066",
      "\u200f",
      "\u2028",
      "\r",
      "\n",
      "\t",
      "\u007f",
      "plain",
      "caf\u00e9",
      "\ud83d\ude00",
      " "
    };
    StringBuilder text = new StringBuilder("h");
    int length = 1 + random.nextInt(8);
    for (int piece = 0; piece < length; piece++) {
      switch (random.nextInt(4)) {
        case 0 -> text.append((char) random.nextInt(0x20));
        case 1 -> text.append((char) (0x80 + random.nextInt(0x20)));
        default -> text.append(pieces[random.nextInt(pieces.length)]);
      }
    }
    return text.append('z').toString();
  }
}
