package dev.memstore.internal.access;

import dev.memstore.AuditEntry;
import dev.memstore.AuditQuery;
import dev.memstore.ForgetPreview;
import dev.memstore.ForgetReceipt;
import dev.memstore.ForgetRequest;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.Privacy;
import dev.memstore.internal.access.Guard.Kind;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * The privacy view as one agent sees it: previewing a forget needs the read right and forgetting
 * the delete right, both over the agent's scope only (a forget that would reach a memory outside
 * it, derived summaries included, is refused); reading the audit trail, letting forgotten memories
 * back and rotating the key need the admin right. Thread-safe.
 */
final class AgentPrivacy implements Privacy {
  private final Guard guard;
  private final Privacy privacy;

  AgentPrivacy(Guard guard, Privacy privacy) {
    this.guard = guard;
    this.privacy = privacy;
  }

  @Override
  public List<AuditEntry> audit(AuditQuery query) {
    return guard.run("audit", Kind.ADMIN_READ, () -> privacy.audit(query), Guard::none);
  }

  @Override
  public ForgetPreview previewForget(ForgetRequest request) {
    return guard.run(
        "preview_forget",
        Kind.READ,
        request.ids(),
        () -> privacy.previewForget(withinScope(request)),
        ForgetPreview::ids);
  }

  @Override
  public ForgetReceipt forget(ForgetRequest request) {
    return guard.run(
        "forget",
        Kind.DELETE,
        request.ids(),
        () -> {
          ForgetRequest scoped = withinScope(request);
          if (!guard.unscoped()) {
            // Derived summaries may quote memories of other scopes: forgetting them is not ours.
            ForgetPreview preview = privacy.previewForget(scoped);
            guard.requireInScope("forget", preview.derived().stream().map(Memory::id).toList());
          }
          return guard.reads.forget(scoped, guard.agentName());
        },
        ForgetReceipt::removedIds);
  }

  @Override
  public List<ForgetReceipt> forgetReceipts() {
    return guard.run("forget_receipts", Kind.ADMIN_READ, privacy::forgetReceipts, Guard::none);
  }

  @Override
  public int allowForgotten(Collection<String> memoryIds) {
    return guard.run(
        "allow_forgotten",
        Kind.ADMIN_WRITE,
        () -> privacy.allowForgotten(memoryIds),
        count -> List.copyOf(memoryIds));
  }

  @Override
  public long rotateKey(Path newKeyFile) {
    return guard.run(
        "rotate_key", Kind.ADMIN_WRITE, () -> privacy.rotateKey(newKeyFile), Guard::none);
  }

  /** The request narrowed to the agent's scope; a scope that holds nothing selects nothing. */
  private ForgetRequest withinScope(ForgetRequest request) {
    if (guard.unscoped()) {
      return request;
    }
    MemoryFilter narrowed =
        guard.narrow(request.filter() == null ? MemoryFilter.all() : request.filter());
    ForgetRequest.Builder scoped =
        ForgetRequest.builder().filter(narrowed == null ? Guard.nothing() : narrowed);
    if (!request.ids().isEmpty()) {
      scoped.ids(request.ids());
    }
    if (request.userId() != null) {
      scoped.userId(request.userId());
    }
    if (request.sessionId() != null) {
      scoped.sessionId(request.sessionId());
    }
    if (!request.tags().isEmpty()) {
      scoped.tags(request.tags());
    }
    if (request.text() != null) {
      scoped.text(request.text()).limit(request.limit());
      if (request.minScore() != null) {
        scoped.minScore(request.minScore());
      }
    }
    return scoped.build();
  }
}
