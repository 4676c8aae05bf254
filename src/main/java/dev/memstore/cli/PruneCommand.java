package dev.memstore.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.internal.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description = {
      "Deletes the memories that meet every criterion given, never pinned ones, and prints them.",
      "--older-than, --below and --max-access-count are seed 003's cleanup_old_memories;"
          + " --below compares the effective (decayed) importance. --expired adds memories past"
          + " their expiry. The filter options narrow both. Children of deleted memories are"
          + " detached. Asks before deleting unless --yes; --dry-run only lists."
    })
final class PruneCommand extends StoreCommand {
  @Mixin private FilterOptions filterOptions;

  @Option(names = "--expired", description = "Memories past their expiry.")
  private boolean expired;

  @Option(
      names = "--older-than",
      paramLabel = "AGE",
      converter = Converters.Age.class,
      description = "Created more than AGE ago: 30d, 12h, 15m.")
  private Duration olderThan;

  @Option(
      names = "--below",
      paramLabel = "IMPORTANCE",
      description = "Effective importance below this, 0 to 1.")
  private Double below;

  @Option(names = "--max-access-count", paramLabel = "N", description = "Read at most N times.")
  private Long maxAccessCount;

  @Option(names = "--dry-run", description = "List what would be deleted; change nothing.")
  private boolean dryRun;

  @Option(
      names = {"-y", "--yes"},
      description = "Delete without asking.")
  private boolean yes;

  @Override
  public Integer call() throws IOException {
    boolean retention = olderThan != null || below != null || maxAccessCount != null;
    if (!expired && !retention) {
      throw new ParameterException(
          spec().commandLine(),
          "say what to prune: --expired, --older-than, --below or --max-access-count");
    }
    if (below != null && !(below >= 0 && below <= 1)) {
      throw new ParameterException(
          spec().commandLine(), "--below must be between 0 and 1, was " + below);
    }
    MemoryFilter.Builder filter = filterOptions.builder(spec());
    PrintWriter out = out();
    PrintWriter err = err();
    // A dry run opens the file read-only, so that it cannot change a byte of it.
    try (MemoryStore store = open(dryRun ? Access.READ_ONLY : Access.EXISTING)) {
      List<Memory> planned = plan(store, filter, retention);
      if (dryRun || planned.isEmpty()) {
        print(out, planned, store.config().clock().instant(), dryRun ? "would delete" : "deleted");
        return ExitCodes.OK;
      }
      if (!yes && !confirmed(err, planned.size())) {
        throw new CliException(
            ExitCodes.ERROR, "nothing deleted: not confirmed (--yes skips the question)");
      }
      List<String> deleted = new ArrayList<>();
      if (retention) {
        deleted.addAll(
            store.lifecycle().cleanup(filter.build(), olderThan, below, maxAccessCount, false));
      }
      if (expired) {
        List<String> expiredIds = expiredIds(store, filter);
        expiredIds.removeAll(deleted);
        if (!expiredIds.isEmpty()) {
          deleted.addAll(store.deleteAll(expiredIds, false));
        }
      }
      Map<String, Memory> byId =
          planned.stream().collect(Collectors.toMap(Memory::id, Function.identity()));
      List<Memory> removed = new ArrayList<>();
      for (String id : deleted) {
        if (byId.containsKey(id)) {
          removed.add(byId.get(id));
        }
      }
      print(out, removed, store.config().clock().instant(), "deleted");
    }
    return ExitCodes.OK;
  }

  /** What a run would delete: the cleanup's memories, then the expired ones. */
  private List<Memory> plan(MemoryStore store, MemoryFilter.Builder filter, boolean retention) {
    LinkedHashSet<String> ids = new LinkedHashSet<>();
    if (retention) {
      ids.addAll(store.lifecycle().cleanup(filter.build(), olderThan, below, maxAccessCount, true));
    }
    if (expired) {
      ids.addAll(expiredIds(store, filter));
    }
    Map<String, Memory> found = new HashMap<>();
    List<String> all = new ArrayList<>(ids);
    for (int from = 0; from < all.size(); from += 10_000) {
      MemoryFilter page =
          MemoryFilter.builder()
              .ids(all.subList(from, Math.min(all.size(), from + 10_000)))
              .includeExpired(true)
              .includeArchived(true)
              .includeSuperseded(true)
              .build();
      store
          .list(page, MemorySort.OLDEST_FIRST, 0, 10_000)
          .items()
          .forEach(memory -> found.put(memory.id(), memory));
    }
    return all.stream().map(found::get).filter(Objects::nonNull).toList();
  }

  private static List<String> expiredIds(MemoryStore store, MemoryFilter.Builder filter) {
    Instant now = store.config().clock().instant();
    List<String> ids = new ArrayList<>();
    MemoryFilter withExpired = filter.includeExpired(true).build();
    for (int offset = 0; ; offset += 10_000) {
      List<Memory> page = store.list(withExpired, MemorySort.OLDEST_FIRST, offset, 10_000).items();
      page.stream()
          .filter(memory -> memory.isExpiredAt(now) && !memory.pinned())
          .forEach(memory -> ids.add(memory.id()));
      if (page.size() < 10_000) {
        return ids;
      }
    }
  }

  private boolean confirmed(PrintWriter err, int count) throws IOException {
    err.print("Delete " + count + (count == 1 ? " memory" : " memories") + "? [y/N] ");
    err.flush();
    String answer =
        new BufferedReader(new InputStreamReader(memctl().input(), StandardCharsets.UTF_8))
            .readLine();
    return answer != null && List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT));
  }

  private void print(PrintWriter out, List<Memory> memories, Instant now, String verb) {
    if (json()) {
      ObjectNode json = Json.MAPPER.createObjectNode();
      json.put("dry_run", dryRun);
      json.put("deleted_count", memories.size());
      memories.forEach(memory -> json.withArray("memory_ids").add(memory.id()));
      printJson(json);
      return;
    }
    if (!memories.isEmpty()) {
      MemoryViews.table(memories, now, false).print(out, "");
    }
    out.println(verb + " " + memories.size() + (memories.size() == 1 ? " memory" : " memories"));
  }
}
