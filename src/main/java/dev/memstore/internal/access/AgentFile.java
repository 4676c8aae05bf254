package dev.memstore.internal.access;

import dev.memstore.MemoryFilter;
import dev.memstore.OptimizeReport;
import dev.memstore.StoreActivity;
import dev.memstore.StoreFile;
import dev.memstore.StoreHealth;
import dev.memstore.StoreStats;
import dev.memstore.TransferReport;
import dev.memstore.internal.access.Guard.Kind;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * The file as one agent sees it: statistics over its scope; activity, health, repair, optimize,
 * import, backup and checkpoints need the admin right; an export the export right, and holds the
 * memories of the scope only. Thread-safe.
 */
final class AgentFile implements StoreFile {
  private final Guard guard;
  private final StoreFile file;

  AgentFile(Guard guard, StoreFile file) {
    this.guard = guard;
    this.file = file;
  }

  @Override
  public StoreStats stats() {
    return guard.run(
        "stats",
        Kind.READ,
        () -> {
          if (guard.unscoped()) {
            return file.stats();
          }
          MemoryFilter within = guard.within();
          return guard.reads.stats(within == null ? Guard.nothing() : within, guard.scope.users());
        },
        Guard::none);
  }

  @Override
  public StoreActivity activity() {
    return guard.run("activity", Kind.ADMIN_READ, file::activity, Guard::none);
  }

  @Override
  public StoreHealth health() {
    return guard.run("health", Kind.ADMIN_READ, file::health, Guard::none);
  }

  @Override
  public StoreHealth health(boolean full) {
    return guard.run("health", Kind.ADMIN_READ, () -> file.health(full), Guard::none);
  }

  @Override
  public StoreHealth repair() {
    return guard.run("repair", Kind.ADMIN_WRITE, file::repair, Guard::none);
  }

  @Override
  public OptimizeReport optimize(boolean forceVacuum) {
    return guard.run("optimize", Kind.ADMIN_WRITE, () -> file.optimize(forceVacuum), Guard::none);
  }

  @Override
  public TransferReport exportTo(Writer out, LongConsumer progress) {
    return guard.run(
        "export",
        Kind.EXPORT,
        () -> {
          if (guard.unscoped()) {
            return file.exportTo(out, progress);
          }
          MemoryFilter within = guard.within();
          return guard.reads.exportWithin(out, progress, within == null ? Guard.nothing() : within);
        },
        Guard::none);
  }

  @Override
  public TransferReport importFrom(
      Reader in, boolean skipBadLines, boolean allowForgotten, LongConsumer progress) {
    return guard.run(
        "import",
        Kind.ADMIN_WRITE,
        () -> file.importFrom(in, skipBadLines, allowForgotten, progress),
        Guard::none);
  }

  @Override
  public void backup(Path target) {
    guard.run(
        "backup",
        Kind.ADMIN_READ,
        () -> {
          file.backup(target);
          return null;
        },
        Guard::none);
  }

  @Override
  public void checkpoint() {
    guard.run(
        "checkpoint",
        Kind.ADMIN_WRITE,
        () -> {
          file.checkpoint();
          return null;
        },
        Guard::none);
  }
}
