package dev.memstore.internal.access;

import dev.memstore.AgentPolicy;
import dev.memstore.AgentRight;
import dev.memstore.ErrorCode;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryStoreException;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.Page;
import dev.memstore.PermissionDeniedException;
import dev.memstore.internal.audit.AuditTrail;
import dev.memstore.internal.store.ScopedReads;
import dev.memstore.internal.write.Validator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one path every call of an agent's store takes ({@link #run}): take from the agent's rate
 * allowance, check its right and that the memories it names lie in its scope, call the real store,
 * record the outcome in the audit trail. The store and its views are thin classes that say, per
 * method, which right it needs, which memories it names and what it touched. Thread-safe.
 */
final class Guard {
  /** What a call needs: a right, and whether it counts against the write allowance. */
  enum Kind {
    READ(AgentRight.READ, false),
    WRITE(AgentRight.WRITE, true),
    DELETE(AgentRight.DELETE, true),
    EXPORT(AgentRight.EXPORT, false),
    ADMIN_READ(AgentRight.ADMIN, false),
    ADMIN_WRITE(AgentRight.ADMIN, true);

    final AgentRight right;
    final boolean write;

    Kind(AgentRight right, boolean write) {
      this.right = right;
      this.write = write;
    }
  }

  /** The rule of a store opened without an agent under a policy that has no default agent. */
  static final String NAME_AN_AGENT =
      "the access policy has no default agent; name one (builder agent(name, secret), memctl"
          + " --as-agent or MEMSTORE_AGENT, or the request's source_agent)";

  final MemoryStore store;
  final ScopedReads reads;
  final AgentPolicy agent;
  final Scope scope;
  private final RateLimiter rateLimiter;
  private final AuditTrail auditTrail;

  /**
   * @param agent the acting agent, or null when none was named and the policy has no default: then
   *     every call is refused
   */
  Guard(
      MemoryStore store,
      ScopedReads reads,
      AgentPolicy agent,
      RateLimiter rateLimiter,
      AuditTrail auditTrail) {
    this.store = store;
    this.reads = reads;
    this.agent = agent;
    this.scope = agent == null ? null : new Scope(agent);
    this.rateLimiter = rateLimiter;
    this.auditTrail = auditTrail;
  }

  String agentName() {
    return agent == null ? null : agent.name();
  }

  /** Whether the agent sees every memory, so calls need no scope. */
  boolean unscoped() {
    return scope == null || scope.isAll();
  }

  /**
   * Runs one call of the agent: takes from its rate allowance, checks the right and that each named
   * memory lies in its scope (refusing with {@link PermissionDeniedException} before anything
   * changed), calls, and records the outcome with the ids the call touched, or the named ids when
   * it failed.
   */
  <T> T run(
      String action,
      Kind kind,
      Collection<String> namedIds,
      Supplier<T> call,
      Function<? super T, ? extends Collection<String>> touched) {
    String name = agentName();
    try {
      if (agent == null) {
        throw new PermissionDeniedException(null, action, NAME_AN_AGENT);
      }
      rateLimiter.acquire(name, agent.requestsPerSecond(), agent.writesPerSecond(), kind.write);
      if (!agent.has(kind.right)) {
        throw denied(
            action,
            "agent "
                + name
                + " lacks the "
                + kind.right.wireName()
                + " right (it has: "
                + rightsOf(agent)
                + ")");
      }
      requireInScope(action, namedIds);
      T result = call.get();
      auditTrail.record(name, action, touched.apply(result), "ok");
      return result;
    } catch (MemoryStoreException e) {
      auditTrail.record(name, action, idsOf(namedIds), e.code().wireName());
      throw e;
    } catch (IllegalArgumentException e) {
      auditTrail.record(name, action, idsOf(namedIds), ErrorCode.VALIDATION_ERROR.wireName());
      throw e;
    } catch (RuntimeException e) {
      auditTrail.record(name, action, idsOf(namedIds), ErrorCode.INTERNAL_ERROR.wireName());
      throw e;
    }
  }

  /** As {@link #run}, for a call that names no memory. */
  <T> T run(
      String action,
      Kind kind,
      Supplier<T> call,
      Function<? super T, ? extends Collection<String>> touched) {
    return run(action, kind, List.of(), call, touched);
  }

  /** An id no memory can have (not of the id pattern): a filter of it matches nothing. */
  static final List<String> NO_ID = List.of("mem-!none");

  /** Returns a filter that matches no memory. */
  static MemoryFilter nothing() {
    return MemoryFilter.builder().ids(NO_ID).build();
  }

  /** An empty page, after the same checks of offset and limit as the store's. */
  static <T> Page<T> emptyPage(int offset, int limit) {
    Validator.page(offset, limit);
    return new Page<>(List.of(), 0, offset, limit);
  }

  /** Returns the ids of a page of memories. */
  static List<String> pageIds(Page<Memory> page) {
    return page.items().stream().map(Memory::id).toList();
  }

  /** Returns no ids: for calls that touch no memory. */
  static <T> List<String> none(T result) {
    return List.of();
  }

  private static List<String> idsOf(Collection<String> ids) {
    List<String> list = new ArrayList<>(ids.size());
    ids.forEach(id -> list.add(Objects.toString(id)));
    return list;
  }

  private static String rightsOf(AgentPolicy agent) {
    return agent.rights().isEmpty()
        ? "none"
        : String.join(", ", agent.rights().stream().sorted().map(AgentRight::wireName).toList());
  }

  PermissionDeniedException denied(String action, String rule) {
    return new PermissionDeniedException(agentName(), action, rule);
  }

  /** Refuses when a named memory that exists lies outside the scope; unknown ids pass on. */
  void requireInScope(String action, Collection<String> ids) {
    if (unscoped() || ids.isEmpty()) {
      return;
    }
    for (String id : ids) {
      if (id == null) {
        return; // the store answers the bad id
      }
    }
    for (Memory memory : reads.peek(ids)) {
      if (!scope.contains(memory)) {
        throw outsideScope(action, "memory " + memory.id());
      }
    }
  }

  /** Refuses a memory that would lie outside the scope once written. */
  void requireNewInScope(String action, MemoryType type, MemoryTier tier, String userId) {
    if (!unscoped() && !scope.contains(type, tier, userId)) {
      throw outsideScope(
          action,
          "a "
              + (type == null ? "" : type.wireName() + " ")
              + "memory"
              + (tier == null ? "" : " of tier " + tier.wireName())
              + (userId == null ? " without a user" : " of user " + userId));
    }
  }

  PermissionDeniedException outsideScope(String action, String what) {
    return denied(
        action,
        what
            + " lies outside the scope of agent "
            + agentName()
            + " ("
            + agent.describeScope()
            + ")");
  }

  /** Returns the filter narrowed to the scope, or null when nothing in the scope matches it. */
  MemoryFilter narrow(MemoryFilter filter) {
    Objects.requireNonNull(filter, "filter");
    return unscoped() ? filter : scope.narrow(filter, reads);
  }

  /** Returns the whole scope as a filter, or null when the scope holds no memory. */
  MemoryFilter within() {
    return narrow(MemoryFilter.all());
  }
}
