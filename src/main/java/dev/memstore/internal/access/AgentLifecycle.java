package dev.memstore.internal.access;

import dev.memstore.ConsolidationReport;
import dev.memstore.LearnedInteraction;
import dev.memstore.MaintenanceReport;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryLifecycle;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.Summary;
import dev.memstore.internal.access.Guard.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The lifecycle as one agent sees it: cleanup and summaries over its scope; maintenance and
 * consolidation, which work on every memory, need the admin right. Thread-safe.
 */
final class AgentLifecycle implements MemoryLifecycle {
  private final Guard guard;
  private final MemoryLifecycle lifecycle;

  AgentLifecycle(Guard guard, MemoryLifecycle lifecycle) {
    this.guard = guard;
    this.lifecycle = lifecycle;
  }

  @Override
  public MaintenanceReport runMaintenance() {
    return guard.run("run_maintenance", Kind.ADMIN_WRITE, lifecycle::runMaintenance, Guard::none);
  }

  @Override
  public List<String> cleanup(
      MemoryFilter filter,
      Duration maxAgeOrNull,
      Double minImportanceOrNull,
      Long maxAccessCountOrNull,
      boolean dryRun) {
    return guard.run(
        "prune",
        Kind.DELETE,
        () -> {
          MemoryFilter narrowed = guard.narrow(filter);
          return narrowed == null
              ? List.<String>of()
              : lifecycle.cleanup(
                  narrowed, maxAgeOrNull, minImportanceOrNull, maxAccessCountOrNull, dryRun);
        },
        deleted -> deleted);
  }

  @Override
  public Summary summarize(MemoryFilter filter) {
    return guard.run(
        "summarize",
        Kind.READ,
        () -> {
          MemoryFilter narrowed = guard.narrow(filter);
          return lifecycle.summarize(narrowed == null ? Guard.nothing() : narrowed);
        },
        Summary::memoryIds);
  }

  @Override
  public LearnedInteraction learnFromInteraction(
      String userInput, String assistantResponseOrNull, String sessionIdOrNull, Double feedback) {
    return guard.run(
        "learn_from_interaction",
        Kind.WRITE,
        () -> {
          if (!guard.unscoped()) {
            String userId =
                sessionIdOrNull == null
                    ? null
                    : guard.store.sessions().get(sessionIdOrNull).userId();
            guard.requireNewInScope(
                "learn_from_interaction", MemoryType.CONVERSATION, MemoryTier.SHORT_TERM, userId);
            // The facts found may be of any type, and are long-term.
            if (guard.scope.limitsTypesOrTiers()) {
              throw guard.outsideScope(
                  "learn_from_interaction", "learning facts, which may be of any type,");
            }
          }
          return lifecycle.learnFromInteraction(
              userInput, assistantResponseOrNull, sessionIdOrNull, feedback);
        },
        learned -> {
          List<String> ids = new ArrayList<>();
          ids.add(learned.exchange().id());
          learned.facts().stream().map(Memory::id).forEach(ids::add);
          return ids;
        });
  }

  @Override
  public ConsolidationReport consolidate(
      Duration windowOrNull, Double thresholdOrNull, boolean dryRun) {
    return guard.run(
        "consolidate",
        dryRun ? Kind.ADMIN_READ : Kind.ADMIN_WRITE,
        () -> lifecycle.consolidate(windowOrNull, thresholdOrNull, dryRun),
        report -> {
          List<String> ids = new ArrayList<>();
          for (ConsolidationReport.Group group : report.groups()) {
            ids.add(group.keptId());
            ids.addAll(group.mergedIds());
          }
          return ids;
        });
  }

  @Override
  public Memory restoreFact(String memoryId) {
    return guard.run(
        "restore_fact",
        Kind.WRITE,
        Collections.singletonList(memoryId),
        () -> lifecycle.restoreFact(memoryId),
        memory -> List.of(memory.id()));
  }
}
