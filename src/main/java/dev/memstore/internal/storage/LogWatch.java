package dev.memstore.internal.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Notices that a program outside memstore (a cleaner, a sync tool) deleted or replaced the log or
 * shared-memory file of an open store. The connections keep writing into the deleted files, which
 * no other process sees and which vanish when they close, while a process that opens the file
 * meanwhile starts new ones: acknowledged writes are lost and the file can be corrupted.
 *
 * <p>SQLite never removes either file while a connection has the store open (the last one to close
 * does), and its checkpoints truncate the log in place, so while this store is open both files keep
 * the identity (device and inode) they had when it opened. Comparing them costs two {@code stat}
 * calls per write transaction.
 */
final class LogWatch {
  private final Path log;
  private final Path sharedMemory;
  private final Object logKey;
  private final Object sharedMemoryKey;

  private LogWatch(Path file) {
    this.log = StoreFiles.log(file);
    this.sharedMemory = StoreFiles.sharedMemory(file);
    this.logKey = keyAtOpen(log);
    this.sharedMemoryKey = keyAtOpen(sharedMemory);
  }

  /**
   * Remembers the identity of the log and shared-memory files of a store that has the file open.
   */
  static LogWatch of(Path file) {
    return new LogWatch(file);
  }

  /** Returns whether both files are still the ones this store opened. */
  boolean intact() {
    // Where the file system has no identity for files (fileKey null) nothing can be compared.
    return (logKey == null || logKey.equals(key(log)))
        && (sharedMemoryKey == null || sharedMemoryKey.equals(key(sharedMemory)));
  }

  /**
   * Returns whether another process has written into a new log that replaced the deleted one: then
   * this store's pages must not be checkpointed into the file, which now belongs to that log.
   */
  boolean replacedLogHasWrites() {
    try {
      return !Objects.equals(logKey, key(log)) && Files.size(log) > 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static Object keyAtOpen(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      // No such file where SQLite keeps none (an exclusive connection): nothing to watch.
      return null;
    }
  }

  private static Object key(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      // Deleted: a key equal to no file's.
      return new Object();
    }
  }
}
