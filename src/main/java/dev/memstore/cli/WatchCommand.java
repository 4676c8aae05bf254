package dev.memstore.cli;

import dev.memstore.MemoryEvent;
import dev.memstore.MemoryStore;
import dev.memstore.internal.json.Json;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Prints what other processes do to the store as it happens, one line per event, until"
          + " interrupted.",
      "Opens the store read-only and reads its change history every second: stored, updated,"
          + " reinforced, promoted, archived, consolidated, deleted, expired, pruned and evicted"
          + " memories. Reads are not in the history and are not shown."
    })
final class WatchCommand extends StoreCommand {
  @Option(names = "--count", paramLabel = "N", description = "Stop after N events. Default: never.")
  private Integer count;

  @Option(
      names = "--timeout",
      paramLabel = "AGE",
      converter = Converters.Age.class,
      description = "Stop after this long, such as 30s or 5m. Default: never.")
  private Duration timeout;

  @Override
  public Integer call() throws InterruptedException {
    if (count != null && count < 1) {
      throw new CliException(ExitCodes.USAGE, "--count must be at least 1, was " + count);
    }
    PrintWriter out = out();
    BlockingQueue<MemoryEvent> events = new LinkedBlockingQueue<>();
    try (MemoryStore store = open(Access.READ_ONLY)) {
      store.addListener(events::add);
      PrintWriter err = err();
      err.println("Watching " + memctl().storePath() + " for changes by other processes.");
      err.flush();
      // No deadline without a timeout: nanoTime may be negative, and MAX_VALUE minus it overflows.
      long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
      int printed = 0;
      while (count == null || printed < count) {
        MemoryEvent event;
        if (timeout == null) {
          event = events.take();
        } else {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          event = events.poll(left, TimeUnit.NANOSECONDS);
        }
        if (event != null) {
          out.println(json() ? json(event) : TerminalText.line(text(event)));
          out.flush();
          printed++;
        }
      }
    }
    return ExitCodes.OK;
  }

  private static String json(MemoryEvent event) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("event", event.type().wireName());
    line.put("memory_id", event.memoryId());
    line.put("at", Json.formatInstant(event.at()));
    line.put("details", event.details());
    return Json.write(line);
  }

  private static String text(MemoryEvent event) {
    Map<String, Object> details = new LinkedHashMap<>(event.details());
    details.remove("other_store"); // every event shown here is another store's
    return Json.formatInstant(event.at())
        + "  "
        + event.type().wireName()
        + "  "
        + event.memoryId()
        + (details.isEmpty() ? "" : "  " + Json.write(details));
  }
}
