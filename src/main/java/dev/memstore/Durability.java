package dev.memstore;

/** How hard the store works to keep committed writes through a power loss. */
public enum Durability {
  /**
   * Every commit is synced to disk before it returns ({@code synchronous=FULL}): an acknowledged
   * write survives a crash of the process and of the machine. The default.
   */
  FULL,
  /**
   * Commits are synced at checkpoints only ({@code synchronous=NORMAL}): faster writes; an
   * acknowledged write survives a crash of the process but the last ones may be lost if the machine
   * loses power. The file is never corrupted either way.
   */
  NORMAL
}
