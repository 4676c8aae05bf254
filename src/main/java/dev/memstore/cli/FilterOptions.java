package dev.memstore.cli;

import dev.memstore.MemoryFilter;
import dev.memstore.MemoryStoreException;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.MetadataFilter;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.json.MetadataFilterJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The filter options that every command selecting memories shares (ls, search, prune, forget). */
final class FilterOptions {
  @Option(
      names = "--type",
      paramLabel = "TYPE",
      converter = Converters.Type.class,
      completionCandidates = Converters.TypeNames.class,
      description = "Only this type: ${COMPLETION-CANDIDATES}.")
  private List<MemoryType> types = new ArrayList<>();

  @Option(
      names = "--tier",
      paramLabel = "TIER",
      converter = Converters.Tier.class,
      completionCandidates = Converters.TierNames.class,
      description = "Only this tier: ${COMPLETION-CANDIDATES}.")
  private List<MemoryTier> tiers = new ArrayList<>();

  @Option(names = "--tag", paramLabel = "TAG", description = "Only memories with this tag.")
  private List<String> tags = new ArrayList<>();

  @Option(names = "--all-tags", description = "Only memories with every --tag, not any of them.")
  private boolean allTags;

  @Option(names = "--session", paramLabel = "ID", description = "Only this session's memories.")
  private String sessionId;

  @Option(names = "--user", paramLabel = "ID", description = "Only this user's memories.")
  private String userId;

  @Option(names = "--agent", paramLabel = "ID", description = "Only this agent's memories.")
  private String agentId;

  @Option(names = "--parent", paramLabel = "ID", description = "Only the children of this memory.")
  private String parentId;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      converter = Converters.Time.class,
      description = "Only memories created at or after this ISO-8601 time (a date: 00:00 UTC).")
  private Instant since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      converter = Converters.Time.class,
      description = "Only memories created at or before this ISO-8601 time (a date: 00:00 UTC).")
  private Instant until;

  @Option(names = "--group", paramLabel = "ID", description = "Only members of this context group.")
  private Long groupId;

  @Option(
      names = "--min-importance",
      paramLabel = "X",
      description = "Only memories at least this important, 0 to 1.")
  private Double minImportance;

  @Option(
      names = "--meta",
      paramLabel = "EXPR",
      description = {
        "Only memories whose metadata meets this condition; repeat for several (all must hold):",
        "FIELD=V, FIELD!=V, FIELD<V, FIELD<=V, FIELD>V, FIELD>=V, 'FIELD in A,B',",
        "'FIELD !in A,B', 'FIELD exists', 'FIELD !exists'. FIELD may be a dotted path (a.b);",
        "V is a number, true/false, or a string (\"42\" in double quotes stays a string)."
      })
  private List<String> metaExpressions = new ArrayList<>();

  @Option(
      names = "--meta-json",
      paramLabel = "JSON",
      description =
          "Only memories whose metadata meets this MongoDB-style condition, as the protocol's"
              + " filters.metadata: {\"priority\": {\"$gte\": 3}}, {\"$or\": [...]}.")
  private String metaJson;

  @Option(
      names = "--as-of",
      paramLabel = "TIME",
      converter = Converters.Time.class,
      description =
          "What was valid at this ISO-8601 time (a date: 00:00 UTC): facts valid then, other"
              + " memories created by then.")
  private Instant asOf;

  @Option(
      names = "--include-superseded",
      description = "Include facts that a newer fact of their key superseded.")
  private boolean includeSuperseded;

  /** Returns a filter builder with every option given; a bad combination is a usage error. */
  MemoryFilter.Builder builder(CommandSpec spec) {
    if (allTags && tags.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--all-tags needs at least one --tag");
    }
    if (minImportance != null && !(minImportance >= 0 && minImportance <= 1)) {
      throw new ParameterException(
          spec.commandLine(), "--min-importance must be between 0 and 1, was " + minImportance);
    }
    MemoryFilter.Builder filter =
        MemoryFilter.builder()
            .types(types)
            .tiers(tiers)
            .sessionId(sessionId)
            .userId(userId)
            .agentId(agentId)
            .parentId(parentId)
            .createdFrom(since)
            .createdUntil(until)
            .asOf(asOf)
            .includeSuperseded(includeSuperseded);
    if (groupId != null) {
      filter.groupId(groupId);
    }
    if (allTags) {
      filter.tagsAll(tags);
    } else {
      filter.tagsAny(tags);
    }
    if (minImportance != null) {
      filter.minImportance(minImportance);
    }
    filter.metadata(metadata(spec));
    return filter;
  }

  /** The metadata conditions of --meta and --meta-json, all of them; null for none. */
  private MetadataFilter metadata(CommandSpec spec) {
    List<MetadataFilter> conditions = new ArrayList<>();
    try {
      for (String expression : metaExpressions) {
        conditions.add(MetadataExpressions.parse(expression));
      }
      if (metaJson != null) {
        MetadataFilter fromJson =
            MetadataFilterJson.read(
                Json.readInput(metaJson, "--meta-json", "--meta-json"), "--meta-json");
        if (fromJson != null) {
          conditions.add(fromJson);
        }
      }
      if (conditions.isEmpty()) {
        return null;
      }
      return conditions.size() == 1 ? conditions.get(0) : MetadataFilter.and(conditions);
    } catch (IllegalArgumentException | MemoryStoreException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
