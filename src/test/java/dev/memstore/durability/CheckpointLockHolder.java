package dev.memstore.durability;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A child process that holds the write-ahead log's checkpoint lock of a store, as another process
 * running a long checkpoint does: SQLite's lock on byte 121 of the shared-memory file (the first
 * lock byte, 120, plus the checkpointer lock's index, 1; sqlite3's os_unix.c). Prints {@code
 * locked}, holds the lock for the given milliseconds, releases it and prints {@code released}.
 */
public final class CheckpointLockHolder {
  private static final long CHECKPOINT_LOCK_BYTE = 121;

  private CheckpointLockHolder() {}

  public static void main(String[] arguments) throws IOException, InterruptedException {
    Path sharedMemory = Path.of(arguments[0]);
    long holdMillis = Long.parseLong(arguments[1]);
    try (FileChannel channel =
        FileChannel.open(sharedMemory, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock lock = channel.lock(CHECKPOINT_LOCK_BYTE, 1, false);
      System.out.println("locked");
      Thread.sleep(holdMillis);
      lock.release();
      System.out.println("released");
    }
  }
}
