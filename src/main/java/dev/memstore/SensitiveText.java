package dev.memstore;

/**
 * What the store does with new or changed content that looks like it holds a spoken secret: a PIN
 * or access code, a payment card number, a password or an IBAN. Set with {@link
 * MemoryStoreBuilder#sensitiveText} or {@code sensitive_text} in {@code memory_config.yaml}.
 * Detection is a heuristic tuned for few false alarms: it misses secrets said in unusual words, and
 * it checks a memory's content only (not its metadata or tags).
 */
public enum SensitiveText {
  /** Stores it as any other text. The default: nothing is checked. */
  ALLOW,
  /**
   * Refuses the create or update with a {@link ValidationException} on field {@code content} that
   * names the kind of secret found (never the text); nothing is written.
   */
  REFUSE,
  /** Stores the memory marked sensitive, so that its content is sealed at rest. */
  SEAL
}
