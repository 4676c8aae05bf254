package dev.memstore.cli;

import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.json.WireFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
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
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    throw Memctl.missingCommand(spec);
  }

  /**
   * Fails with "not found" when the group does not exist: the store calls it a refused value, but
   * to memctl it is an id that names nothing, like a missing memory or link.
   */
  private static void requireGroup(MemoryStore store, long groupId) {
    if (store.groups().list().stream().noneMatch(group -> group.id() == groupId)) {
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
            .includeSuperseded(true)
            .build();
    return store.list(filter, MemorySort.OLDEST_FIRST, 0, 1).totalCount() > 0;
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Creates a group and prints its id.")
  static final class Create extends StoreCommand {
    @Parameters(paramLabel = "NAME", description = "Its name, unique in the store.")
    private String name;

    @Option(names = "--description", paramLabel = "TEXT", description = "What it is for.")
    private String description;

    @Override
    public Integer call() {
      return show(
          Access.CREATE,
          store -> store.groups().create(name, description),
          WireFormat::group,
          (out, group, now) -> out.println(group.id()));
    }
  }

  /** Adds a memory to a group or removes it, and prints whether that changed the group. */
  abstract static class Membership extends StoreCommand {
    @Parameters(index = "0", paramLabel = "GROUP", description = "The group's id.")
    long groupId;

    @Parameters(index = "1", paramLabel = "ID", description = "The memory's id.")
    String memoryId;

    /** Changes the group; returns whether it changed. */
    abstract boolean change(MemoryStore store);

    /** What the text output says of a change: "added", "removed". */
    abstract String verb();

    @Override
    public final Integer call() {
      return show(
          Access.EXISTING,
          store -> {
            requireGroup(store, groupId);
            return change(store);
          },
          changed ->
              Json.MAPPER
                  .createObjectNode()
                  .put("group_id", groupId)
                  .put("memory_id", memoryId)
                  .put("changed", changed),
          (out, changed, now) -> out.println(changed ? verb() + " " + memoryId : "no change"));
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Adds a memory to a group.")
  static final class Add extends Membership {
    @Override
    boolean change(MemoryStore store) {
      return store.groups().add(groupId, memoryId);
    }

    @Override
    String verb() {
      return "added";
    }
  }

  @Command(
      name = "rm",
      mixinStandardHelpOptions = true,
      description = "Removes a memory from a group.")
  static final class Remove extends Membership {
    @Override
    boolean change(MemoryStore store) {
      boolean removed = store.groups().remove(groupId, memoryId);
      if (!removed && !exists(store, memoryId)) {
        throw new CliException(ExitCodes.NOT_FOUND, "memory " + memoryId + " does not exist");
      }
      return removed;
    }

    @Override
    String verb() {
      return "removed";
    }
  }

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "Lists the groups.")
  static final class ListGroups extends StoreCommand {
    @Override
    public Integer call() {
      return show(
          Access.READ_ONLY,
          store -> store.groups().list(),
          groups -> listJson("groups", groups, WireFormat::group),
          (out, groups, now) -> {
            TextTable table = new TextTable("ID", "NAME", "DESCRIPTION");
            groups.forEach(
                group ->
                    table.add(
                        String.valueOf(group.id()),
                        group.name(),
                        group.description() == null ? "" : group.description()));
            table.printUnlessEmpty(out);
            out.println(MemoryViews.count(groups.size(), "group", "groups"));
          });
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Lists a group's members, newest first.")
  static final class Show extends StoreCommand {
    @Mixin private PageOptions paging;

    @Parameters(paramLabel = "GROUP", description = "The group's id.")
    private long groupId;

    @Override
    public Integer call() {
      return showMemories(
          Access.READ_ONLY,
          store -> {
            requireGroup(store, groupId);
            return store.groups().members(groupId, paging.offset, paging.limit);
          },
          false);
    }
  }
}
