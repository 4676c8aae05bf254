package dev.memstore.cli;

import picocli.CommandLine.Option;

/** The paging options of every command that lists: --limit and --offset. */
final class PageOptions {
  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "20",
      description = "Show at most N. Default: ${DEFAULT-VALUE}.")
  int limit;

  @Option(
      names = "--offset",
      paramLabel = "N",
      defaultValue = "0",
      description = "Skip the first N. Default: ${DEFAULT-VALUE}.")
  int offset;
}
