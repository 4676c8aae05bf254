package dev.memstore;

import java.util.Map;

/**
 * The acting agent may not do what it asked, or the memory is sealed and the store has no key for
 * it. Nothing was changed. The message and {@link #details()} name the agent, the action and the
 * rule that refused it.
 */
public final class PermissionDeniedException extends MemoryStoreException {
  private static final long serialVersionUID = 1L;

  private final String agent;
  private final String action;
  private final String rule;

  /**
   * Creates the refusal.
   *
   * @param agent the agent that asked (or {@code null} when none was named)
   * @param action what it asked to do, such as {@code delete} or {@code read}
   * @param rule the rule that refused it, in words a person can act on
   */
  public PermissionDeniedException(String agent, String action, String rule) {
    super(
        ErrorCode.PERMISSION_DENIED,
        (agent == null ? "no agent" : "agent " + agent)
            + " may not "
            + action
            + ": "
            + rule
            + "; nothing was changed",
        details(agent, action, rule),
        null);
    this.agent = agent;
    this.action = action;
    this.rule = rule;
  }

  private static Map<String, Object> details(String agent, String action, String rule) {
    return agent == null
        ? Map.of("action", action, "rule", rule)
        : Map.of("agent", agent, "action", action, "rule", rule);
  }

  /** Returns the agent that asked, or null when none was named. */
  public String agent() {
    return agent;
  }

  /** Returns what the agent asked to do. */
  public String action() {
    return action;
  }

  /** Returns the rule that refused it. */
  public String rule() {
    return rule;
  }
}
