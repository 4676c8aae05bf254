package dev.memstore.cli;

import dev.memstore.ContextGroup;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.Page;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.json.WireFormat;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "group",
    mixinStandardHelpOptions = true,
    description = "Creates context groups, adds and removes members, lists and shows them.",
    subcommands = {
      GroupCommand.Create.class,
      GroupCommand.Add.class,
      GroupCommand.Remove.class,
      GroupCommand.ListGroups.class,
      GroupCommand.Show.class
    })
final class GroupCommand implements Callable<Integer> {
  @ParentCommand Memctl memctl;
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "missing a command: create, add, rm, ls, show");
  }

  /**
   * Fails with "not found" when the group does not exist: the store calls it a refused value, but
   * to memctl it is an id that names nothing, like a missing memory or link.
   */
  private static void requireGroup(MemoryStore store, long groupId) {
    if (store.contextGroups().stream().noneMatch(group -> group.id() == groupId)) {
      throw new CliException(
          ExitCodes.NOT_FOUND, "context group " + groupId + " does not exist (memctl group ls)");
    }
  }

  /** Whether the memory exists, read without counting as an access. */
  private static boolean exists(MemoryStore store, String memoryId) {
    MemoryFilter filter =
        MemoryFilter.builder()
            .ids(List.of(memoryId))
            .includeExpired(true)
            .includeArchived(true)
            .build();
    return store.list(filter, MemorySort.OLDEST_FIRST, 0, 1).totalCount() > 0;
  }

  private static void printChange(
      Memctl memctl, PrintWriter out, long groupId, String memoryId, boolean changed, String verb) {
    if (memctl.json()) {
      var json = Json.MAPPER.createObjectNode();
      json.put("group_id", groupId);
      json.put("memory_id", memoryId);
      json.put("changed", changed);
      out.println(Json.write(json));
    } else {
      out.println(changed ? verb + " " + memoryId : "no change");
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Creates a group and prints its id.")
  static final class Create implements Callable<Integer> {
    @ParentCommand private GroupCommand parent;
    @Spec private CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "Its name, unique in the store.")
    private String name;

    @Option(names = "--description", paramLabel = "TEXT", description = "What it is for.")
    private String description;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (MemoryStore store = parent.memctl.openOrCreate()) {
        ContextGroup group = store.createContextGroup(name, description);
        out.println(
            parent.memctl.json()
                ? Json.write(WireFormat.group(group))
                : String.valueOf(group.id()));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Adds a memory to a group.")
  static final class Add implements Callable<Integer> {
    @ParentCommand private GroupCommand parent;
    @Spec private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "GROUP", description = "The group's id.")
    private long groupId;

    @Parameters(index = "1", paramLabel = "ID", description = "The memory's id.")
    private String memoryId;

    @Override
    public Integer call() {
      try (MemoryStore store = parent.memctl.openExisting()) {
        requireGroup(store, groupId);
        boolean added = store.addToGroup(groupId, memoryId);
        printChange(parent.memctl, spec.commandLine().getOut(), groupId, memoryId, added, "added");
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "rm",
      mixinStandardHelpOptions = true,
      description = "Removes a memory from a group.")
  static final class Remove implements Callable<Integer> {
    @ParentCommand private GroupCommand parent;
    @Spec private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "GROUP", description = "The group's id.")
    private long groupId;

    @Parameters(index = "1", paramLabel = "ID", description = "The memory's id.")
    private String memoryId;

    @Override
    public Integer call() {
      try (MemoryStore store = parent.memctl.openExisting()) {
        requireGroup(store, groupId);
        boolean removed = store.removeFromGroup(groupId, memoryId);
        if (!removed && !exists(store, memoryId)) {
          throw new CliException(ExitCodes.NOT_FOUND, "memory " + memoryId + " does not exist");
        }
        printChange(
            parent.memctl, spec.commandLine().getOut(), groupId, memoryId, removed, "removed");
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "Lists the groups.")
  static final class ListGroups implements Callable<Integer> {
    @ParentCommand private GroupCommand parent;
    @Spec private CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (MemoryStore store = parent.memctl.openReadOnly()) {
        List<ContextGroup> groups = store.contextGroups();
        if (parent.memctl.json()) {
          var json = Json.MAPPER.createObjectNode();
          var array = json.putArray("groups");
          groups.forEach(group -> array.add(WireFormat.group(group)));
          out.println(Json.write(json));
          return ExitCodes.OK;
        }
        TextTable table = new TextTable("ID", "NAME", "DESCRIPTION");
        groups.forEach(
            group ->
                table.add(
                    String.valueOf(group.id()),
                    group.name(),
                    group.description() == null ? "" : group.description()));
        if (!groups.isEmpty()) {
          table.print(out, "");
        }
        out.println(groups.size() + (groups.size() == 1 ? " group" : " groups"));
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Lists a group's members, newest first.")
  static final class Show implements Callable<Integer> {
    @ParentCommand private GroupCommand parent;
    @Spec private CommandSpec spec;

    @Mixin private PageOptions paging;

    @Parameters(paramLabel = "GROUP", description = "The group's id.")
    private long groupId;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (MemoryStore store = parent.memctl.openReadOnly()) {
        requireGroup(store, groupId);
        Page<Memory> page = store.groupMembers(groupId, paging.offset, paging.limit);
        if (parent.memctl.json()) {
          out.println(Json.write(WireFormat.page("memories", page, WireFormat::memory)));
          return ExitCodes.OK;
        }
        MemoryViews.printPage(out, page, store.config().clock().instant(), false);
      }
      return ExitCodes.OK;
    }
  }
}
