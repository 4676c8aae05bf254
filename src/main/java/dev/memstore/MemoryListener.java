package dev.memstore;

/**
 * Receives the store's events. Events are delivered in commit order on one background thread of the
 * store, never on the thread that wrote, so a slow listener delays only later events and a listener
 * that throws is logged and kept; neither affects a write. A listener that falls more than {@value
 * #MAX_PENDING} events behind loses the oldest ones, and the store's stats count them.
 */
@FunctionalInterface
public interface MemoryListener {
  /** How many undelivered events the store keeps before it drops the oldest. */
  int MAX_PENDING = 10_000;

  void onEvent(MemoryEvent event);
}
