package dev.memstore.internal.access;

import dev.memstore.Privacy;

/**
 * The privacy view as one agent sees it. Each method of {@link Privacy} passes through the guard
 * here, as the other views' do: forgetting needs the delete right (over the scope), reading the
 * audit trail and rotating the key the admin right. Thread-safe.
 */
final class AgentPrivacy implements Privacy {
  @SuppressWarnings("unused") // the methods that forgetting, audit and key rotation add use it
  private final Guard guard;

  @SuppressWarnings("unused")
  private final Privacy privacy;

  AgentPrivacy(Guard guard, Privacy privacy) {
    this.guard = guard;
    this.privacy = privacy;
  }
}
