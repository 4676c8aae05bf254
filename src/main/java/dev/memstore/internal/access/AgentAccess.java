package dev.memstore.internal.access;

import dev.memstore.AccessPolicy;
import dev.memstore.AgentPolicy;
import dev.memstore.MemoryStore;
import dev.memstore.PermissionDeniedException;
import dev.memstore.internal.audit.AuditTrail;
import dev.memstore.internal.store.ScopedReads;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agents of one open store: the policy they obey, the authentication of their secrets, their
 * rate limits and the audit trail, shared by the store of each agent ({@link AgentStore}, one per
 * agent, cached). The builder opens a store through {@link #open}; the protocol finds the store of
 * a request's {@code source_agent} through {@link #of} and {@link #store}. Thread-safe.
 */
public final class AgentAccess implements Agents {
  private final MemoryStore store;
  private final ScopedReads reads;
  private final AccessPolicy policy;
  private final Authenticator authenticator = new Authenticator();
  private final RateLimiter rateLimiter;
  private final AuditTrail auditTrail;
  private final Map<String, AgentStore> agents = new ConcurrentHashMap<>();

  /** How many agents' stores a store without a policy keeps for reuse. */
  private static final int MAX_TRUSTED_AGENTS = 256;

  /**
   * @param policy the policy, or null for none: then any named agent is trusted with every right
   */
  private AgentAccess(
      MemoryStore store, ScopedReads reads, AccessPolicy policy, AuditTrail auditTrail) {
    this.store = store;
    this.reads = reads;
    this.policy = policy;
    this.rateLimiter = new RateLimiter(store.config().clock());
    this.auditTrail = auditTrail;
  }

  /**
   * Returns the store as the builder hands it out: the agent's store when a policy applies (the
   * configured one, saved in the file, else the one saved there) or an agent is named; the store
   * itself otherwise, exactly as before policies existed. Closes the store when it refuses.
   *
   * @param store a store just opened by {@code StoreOpener}
   * @param configured the policy set on the builder or in the config file, or null
   * @param agentName the agent the store acts as, or null for the policy's default agent
   * @param secret the agent's secret, or null
   * @throws PermissionDeniedException naming the agent when it is unknown or its secret is missing
   *     or wrong
   */
  public static MemoryStore open(
      MemoryStore store, AccessPolicy configured, String agentName, char[] secret) {
    return open(store, configured, agentName, secret, ((ScopedReads) store).auditTrail());
  }

  /** As {@link #open(MemoryStore, AccessPolicy, String, char[])}, recording in this trail. */
  static MemoryStore open(
      MemoryStore store,
      AccessPolicy configured,
      String agentName,
      char[] secret,
      AuditTrail auditTrail) {
    try {
      ScopedReads reads = (ScopedReads) store;
      AccessPolicy policy = configured;
      if (configured != null) {
        String json = PolicyJson.write(configured);
        if (!store.config().readOnly() && !json.equals(reads.savedAccessPolicy())) {
          reads.saveAccessPolicy(json);
        }
      } else {
        String saved = reads.savedAccessPolicy();
        policy = saved == null ? null : PolicyJson.read(saved);
      }
      if (policy == null && agentName == null) {
        return store; // exactly as before policies existed: no guard, no audit trail
      }
      AgentAccess access = new AgentAccess(store, reads, policy, auditTrail);
      String name = agentName != null ? agentName : policy.defaultAgent();
      if (name == null) {
        return new AgentStore(
            access, new Guard(store, reads, null, access.rateLimiter, auditTrail), true);
      }
      return new AgentStore(
          access,
          new Guard(
              store,
              reads,
              access.authenticate(name, secret, "open"),
              access.rateLimiter,
              auditTrail),
          true);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * Returns the agents of the store: the guarded store's own, or for a store without a policy a set
   * in which any named agent is trusted; null for a store that is not memstore's own.
   */
  public static Agents of(MemoryStore store) {
    if (store instanceof AgentStore agentStore) {
      return agentStore.agents();
    }
    if (store instanceof ScopedReads reads) {
      return new AgentAccess(store, reads, null, reads.auditTrail());
    }
    return null;
  }

  /**
   * Returns the store as the named agent sees it, after checking its secret (a secret verified
   * before costs a digest, not PBKDF2).
   *
   * @param action what the agent asks, as a refusal names it
   * @throws PermissionDeniedException when the agent is unknown or its secret missing or wrong
   */
  @Override
  public MemoryStore store(String agentName, char[] secret, String action) {
    AgentPolicy agent = authenticate(agentName, secret, action);
    if (policy == null && agents.size() >= MAX_TRUSTED_AGENTS && !agents.containsKey(agentName)) {
      // Without a policy any name is accepted: a client naming new ones must not fill the heap.
      return new AgentStore(this, new Guard(store, reads, agent, rateLimiter, auditTrail), false);
    }
    return agents.computeIfAbsent(
        agent.name(),
        name ->
            new AgentStore(this, new Guard(store, reads, agent, rateLimiter, auditTrail), false));
  }

  @Override
  public AccessPolicy policy() {
    return policy;
  }

  /** Returns the named agent once its secret checks out; a refusal is recorded in the trail. */
  private AgentPolicy authenticate(String agentName, char[] secret, String action) {
    Objects.requireNonNull(agentName, "agentName");
    if (policy == null) {
      return AgentPolicy.trusted(agentName);
    }
    try {
      return authenticated(agentName, secret, action);
    } catch (PermissionDeniedException e) {
      auditTrail.record(agentName, action, List.of(), e.code().wireName());
      throw e;
    }
  }

  private AgentPolicy authenticated(String agentName, char[] secret, String action) {
    AgentPolicy agent =
        policy
            .agent(agentName)
            .orElseThrow(
                () ->
                    new PermissionDeniedException(
                        agentName,
                        action,
                        "agent "
                            + agentName
                            + " is not in the store's access policy (its agents: "
                            + String.join(
                                ", ", policy.agents().stream().map(AgentPolicy::name).toList())
                            + ")"));
    authenticator.authenticate(agent, secret, action);
    return agent;
  }
}
