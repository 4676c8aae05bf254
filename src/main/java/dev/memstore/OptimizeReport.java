package dev.memstore;

import java.time.Duration;

/**
 * What {@link StoreFile#optimize} did. Immutable.
 *
 * @param fullTextMerged whether the full-text index was merged into one segment
 * @param vacuumed whether the file was rewritten to give free pages back (done when at least a
 *     quarter of its pages were free, or when asked)
 * @param bytesBefore the file's size before, write-ahead log included
 * @param bytesAfter its size after, write-ahead log included
 * @param took how long it took
 */
public record OptimizeReport(
    boolean fullTextMerged, boolean vacuumed, long bytesBefore, long bytesAfter, Duration took) {

  /** Returns the bytes given back to the file system (0 if the file grew). */
  public long bytesFreed() {
    return Math.max(0, bytesBefore - bytesAfter);
  }
}
