package dev.memstore.cli;

import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.Page;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "ls",
    mixinStandardHelpOptions = true,
    description = {
      "Lists memories, newest first, one page at a time.",
      "Every filter given must hold; a repeated filter matches any of its values."
    })
final class ListCommand extends StoreCommand {
  @Mixin private FilterOptions filterOptions;

  @Mixin private PageOptions paging;

  @Option(names = "--include-expired", description = "Include memories past their expiry.")
  private boolean includeExpired;

  @Option(
      names = "--include-archived",
      description = "Include archived memories (of ended sessions, or merged by consolidation).")
  private boolean includeArchived;

  @Option(
      names = "--sort",
      paramLabel = "FIELD",
      converter = Converters.SortField.class,
      completionCandidates = Converters.SortFieldNames.class,
      description = "Sort by ${COMPLETION-CANDIDATES}; largest first. Default: created_at.")
  private MemorySort.Field sort = MemorySort.Field.CREATED_AT;

  @Option(names = "--asc", description = "Sort smallest first.")
  private boolean ascending;

  @Option(names = "--full", description = "Show the whole text, not the first 60 characters.")
  private boolean fullText;

  @Override
  public Integer call() {
    MemoryFilter filter = filter();
    return showMemories(
        Access.READ_ONLY,
        store -> store.list(filter, new MemorySort(sort, !ascending), paging.offset, paging.limit),
        fullText);
  }

  private MemoryFilter filter() {
    return filterOptions
        .builder(spec())
        .includeExpired(includeExpired)
        .includeArchived(includeArchived)
        .build();
  }

  /** For example "20 of 134 memories (use --offset 20 for more)". */
  static String summary(Page<?> page) {
    if (page.totalCount() == 0) {
      return "no memories";
    }
    StringBuilder summary =
        new StringBuilder()
            .append(page.items().size())
            .append(" of ")
            .append(page.totalCount())
            .append(page.totalCount() == 1 ? " memory" : " memories");
    if (page.offset() > 0) {
      summary.append(" from offset ").append(page.offset());
    }
    if (page.hasMore()) {
      summary
          .append(" (use --offset ")
          .append(page.offset() + page.items().size())
          .append(" for more)");
    }
    return summary.toString();
  }
}
