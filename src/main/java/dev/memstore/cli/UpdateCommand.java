package dev.memstore.cli;

import dev.memstore.MemoryUpdate;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "update",
    mixinStandardHelpOptions = true,
    resourceBundle = TypeAndTierOptions.Descriptions.NAME,
    description = {
      "Changes what the options say and nothing else, then prints the memory.",
      "A new text is embedded again; --ttl 0 removes the expiry."
    })
final class UpdateCommand extends StoreCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "The memory's id.")
  private String memoryId;

  @Option(names = "--text", paramLabel = "TEXT", description = "The new text.")
  private String text;

  @Mixin private TypeAndTierOptions typeAndTier;

  @Option(
      names = "--tag",
      paramLabel = "TAG",
      description = "Replaces the tags; repeat for more. --tag '' leaves none.")
  private List<String> tags;

  @Option(names = "--importance", paramLabel = "X", description = "The new importance, 0 to 1.")
  private Double importance;

  @Option(
      names = "--ttl",
      paramLabel = "SECONDS",
      description = "Expire this many seconds from now; 0 removes the expiry.")
  private Long ttlSeconds;

  @Option(
      names = "--pin",
      negatable = true,
      description = "Pin (exempt from decay, pruning and eviction), or --no-pin to unpin.")
  private Boolean pinned;

  @Option(
      names = "--sensitive",
      negatable = true,
      description =
          "Seal its text and metadata with the store key (--key-file), leaving no clear copy, or"
              + " --no-sensitive to open it again.")
  private Boolean sensitive;

  @Override
  public Integer call() {
    MemoryUpdate.Builder update = MemoryUpdate.builder();
    if (text != null) {
      update.content(text);
    }
    if (typeAndTier.type != null) {
      update.type(typeAndTier.type);
    }
    if (typeAndTier.tier != null) {
      update.tier(typeAndTier.tier);
    }
    if (tags != null) {
      update.tags(tags.stream().filter(tag -> !tag.isEmpty()).toList());
    }
    if (importance != null) {
      update.importance(importance);
    }
    if (ttlSeconds != null) {
      update.ttl(ttlSeconds == 0 ? null : Duration.ofSeconds(ttlSeconds));
    }
    if (sensitive != null) {
      update.sensitive(sensitive);
    }
    if (pinned != null) {
      update.pinned(pinned);
    }
    return showMemory(Access.EXISTING, store -> store.update(memoryId, update.build()));
  }
}
