package dev.memstore.internal.access;

import dev.memstore.Privacy;

/**
 * The privacy view as one agent sees it. Each method of {@link Privacy} passes through the guard
 * here, as the other views' do: forgetting needs the delete right (over the scope), reading the
 * audit trail and rotating the key the admin right. Thread-safe.
 */
final class AgentPrivacy implements Privacy {
  // Unused until forgetting, the audit trail and key rotation add their methods to Privacy.
  private final Guard guard;
  private final Privacy privacy;

  AgentPrivacy(Guard guard, Privacy privacy) {
    this.guard = guard;
    this.privacy = privacy;
  }
}
