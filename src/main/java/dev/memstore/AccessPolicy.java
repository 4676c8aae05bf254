package dev.memstore;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which agents may use a store and what each may do (see {@link AgentPolicy}), plus the agent a
 * store opened without naming one acts as. Set with {@link MemoryStoreBuilder#accessPolicy} or the
 * {@code agents:} and {@code default_agent:} keys of {@code memory_config.yaml}; a store opened
 * with a policy saves it in its file (secret hashes, never secrets), and a process that opens the
 * file without one obeys the saved policy. Without any policy a store has one trusted agent with
 * every right, as before policies existed.
 *
 * <p>This guards against agents that go through memstore: a misbehaving agent inside the assistant,
 * or another process using memctl or the protocol. Anyone who can write the file, and any code in
 * the process, can bypass it. Immutable and thread-safe.
 */
public final class AccessPolicy {
  private final Map<String, AgentPolicy> agents;
  private final String defaultAgent;

  private AccessPolicy(Map<String, AgentPolicy> agents, String defaultAgent) {
    this.agents = Collections.unmodifiableMap(new LinkedHashMap<>(agents));
    this.defaultAgent = defaultAgent;
  }

  /** Returns a builder of a policy with no agents. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the agents, in the order they were added. */
  public List<AgentPolicy> agents() {
    return List.copyOf(agents.values());
  }

  /** Returns the agent of this name, or empty when the policy has none. */
  public Optional<AgentPolicy> agent(String name) {
    return Optional.ofNullable(name == null ? null : agents.get(name));
  }

  /**
   * Returns the name of the agent that a store opened without naming one acts as, or null when such
   * a store may do nothing.
   */
  public String defaultAgent() {
    return defaultAgent;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AccessPolicy that
        && agents.equals(that.agents)
        && Objects.equals(defaultAgent, that.defaultAgent);
  }

  @Override
  public int hashCode() {
    return Objects.hash(agents, defaultAgent);
  }

  @Override
  public String toString() {
    return "AccessPolicy[agents " + agents.values() + ", default " + defaultAgent + "]";
  }

  /** Builds an {@link AccessPolicy}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, AgentPolicy> agents = new LinkedHashMap<>();
    private String defaultAgent;

    private Builder() {}

    /**
     * Adds an agent.
     *
     * @throws IllegalArgumentException when an agent of that name was already added
     */
    public Builder agent(AgentPolicy agent) {
      Objects.requireNonNull(agent, "agent");
      if (agents.putIfAbsent(agent.name(), agent) != null) {
        throw new IllegalArgumentException("agent " + agent.name() + " is named twice");
      }
      return this;
    }

    /** The agent a store opened without naming one acts as; null (the default) for none. */
    public Builder defaultAgent(String name) {
      this.defaultAgent = name;
      return this;
    }

    /**
     * Returns the policy.
     *
     * @throws IllegalArgumentException when the policy has no agent, or the default agent is not
     *     one of its agents
     */
    public AccessPolicy build() {
      if (agents.isEmpty()) {
        throw new IllegalArgumentException("an access policy needs at least one agent");
      }
      if (defaultAgent != null && !agents.containsKey(defaultAgent)) {
        throw new IllegalArgumentException(
            "the default agent "
                + defaultAgent
                + " is not one of the policy's agents: "
                + String.join(", ", new ArrayList<>(agents.keySet())));
      }
      return new AccessPolicy(agents, defaultAgent);
    }
  }
}
