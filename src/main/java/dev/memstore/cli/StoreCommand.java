package dev.memstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.Page;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.json.WireFormat;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The skeleton that memctl's commands share: open the store as the command needs it, run, print the
 * result as text or, with {@code --json}, as one JSON document, close. Failures are not caught
 * here: {@link Memctl} turns every exception into its message and exit code.
 */
abstract class StoreCommand implements Callable<Integer> {
  /** How a command opens the store. */
  enum Access {
    /** Read-only: the command cannot change a byte of the file. */
    READ_ONLY,
    /** The file must exist; read-only with {@code --read-only}. */
    EXISTING,
    /** Created when missing; read-only with {@code --read-only}. */
    CREATE
  }

  /** Prints a command's result as text; {@code now} is the store's clock, for "3 h ago". */
  @FunctionalInterface
  interface TextView<T> {
    void print(PrintWriter out, T result, Instant now);
  }

  @Spec private CommandSpec spec;

  final CommandSpec spec() {
    return spec;
  }

  /** The top command, which holds the options every command inherits (--db, --json). */
  final Memctl memctl() {
    return (Memctl) spec.root().userObject();
  }

  final boolean json() {
    return memctl().json();
  }

  final PrintWriter out() {
    return spec.commandLine().getOut();
  }

  final PrintWriter err() {
    return spec.commandLine().getErr();
  }

  final MemoryStore open(Access access) {
    return switch (access) {
      case READ_ONLY -> memctl().openReadOnly();
      case EXISTING -> memctl().openExisting();
      case CREATE -> memctl().openOrCreate();
    };
  }

  /**
   * Opens the store, runs the work on it and prints its result while the store is still open (a
   * text view may show times relative to the store's clock); returns {@link ExitCodes#OK}.
   */
  final <T> int show(
      Access access,
      Function<MemoryStore, T> work,
      Function<? super T, ?> toJson,
      TextView<? super T> text) {
    try (MemoryStore store = open(access)) {
      T result = work.apply(store);
      if (json()) {
        printJson(toJson.apply(result));
      } else {
        text.print(out(), result, store.config().clock().instant());
      }
    }
    return ExitCodes.OK;
  }

  /**
   * Opens the store, runs the work on it and closes it: for a command that prints only after the
   * store closed cleanly.
   */
  final <T> T runOnStore(Access access, Function<MemoryStore, T> work) {
    try (MemoryStore store = open(access)) {
      return work.apply(store);
    }
  }

  /** Prints a result: as JSON with {@code --json}, else as text; returns {@link ExitCodes#OK}. */
  final <T> int print(
      T result, Function<? super T, ?> toJson, BiConsumer<PrintWriter, ? super T> text) {
    if (json()) {
      printJson(toJson.apply(result));
    } else {
      text.accept(out(), result);
    }
    return ExitCodes.OK;
  }

  /** Shows one memory: its protocol form, or its fields one per line. */
  final int showMemory(Access access, Function<MemoryStore, Memory> work) {
    return show(
        access,
        work,
        WireFormat::memory,
        (out, memory, now) -> MemoryViews.details(memory, now).print(out, ""));
  }

  /** Shows a page of memories: the protocol's page, or a table and its "N of M memories" line. */
  final int showMemories(
      Access access, Function<MemoryStore, Page<Memory>> work, boolean fullText) {
    return show(
        access,
        work,
        page -> WireFormat.page("memories", page, WireFormat::memory),
        (out, page, now) -> MemoryViews.printPage(out, page, now, fullText));
  }

  /** Prints a value as one line of JSON. */
  final void printJson(Object value) {
    out().println(Json.write(value));
  }

  /** A list as the protocol writes one: {@code {"name":[item, ...]}}. */
  static <T> ObjectNode listJson(String name, List<T> items, Function<T, ? extends JsonNode> item) {
    ObjectNode json = Json.MAPPER.createObjectNode();
    var array = json.putArray(name);
    items.forEach(each -> array.add(item.apply(each)));
    return json;
  }
}
