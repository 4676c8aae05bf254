package dev.memstore.internal.json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads lines of strict UTF-8 from a byte stream without ever holding more than a bounded line: a
 * longer line is skipped to its end as it streams past, and reported as too long, so one huge line
 * cannot exhaust the heap. A line that is not valid UTF-8 is reported instead of being silently
 * repaired with U+FFFD. Lines end at '\n'; a '\r' before it is dropped. Not thread-safe.
 */
public final class BoundedLineReader {

  /**
   * One line: its text, or the reason it has none.
   *
   * @param text the line, or null when it was refused
   * @param problem why the line was refused (too long, not UTF-8), or null
   * @param number the line's number, from 1
   */
  public record Line(String text, String problem, long number) {}

  private final InputStream in;
  private final int maxBytes;
  private final byte[] chunk = new byte[64 * 1024];
  private int chunkStart;
  private int chunkEnd;
  private byte[] line = new byte[8 * 1024];
  private long number;

  /** Reads from a stream; lines longer than {@code maxBytes} bytes are refused. */
  public BoundedLineReader(InputStream in, int maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
  }

  /** Returns the next line, or null at the end of the stream. */
  public Line readLine() throws IOException {
    int length = 0;
    long skipped = 0;
    boolean any = false;
    while (true) {
      if (chunkStart == chunkEnd) {
        int read = in.read(chunk);
        if (read < 0) {
          if (!any) {
            return null;
          }
          break;
        }
        chunkStart = 0;
        chunkEnd = read;
      }
      any = true;
      int newline = -1;
      for (int index = chunkStart; index < chunkEnd; index++) {
        if (chunk[index] == '\n') {
          newline = index;
          break;
        }
      }
      int end = newline < 0 ? chunkEnd : newline;
      int count = end - chunkStart;
      if (skipped > 0 || (long) length + count > maxBytes + 1L) {
        // Past the limit (+1 for a '\r' that may end the line): count, never store.
        skipped += length + count;
        length = 0;
      } else {
        ensure(length + count);
        System.arraycopy(chunk, chunkStart, line, length, count);
        length += count;
      }
      chunkStart = newline < 0 ? chunkEnd : newline + 1;
      if (newline >= 0) {
        break;
      }
    }
    number++;
    if (skipped == 0 && length > 0 && line[length - 1] == '\r') {
      length--;
    }
    if (skipped > 0 || length > maxBytes) {
      long bytes = skipped > 0 ? skipped : length;
      return new Line(
          null,
          "the line is "
              + (bytes > maxBytes ? "more than " + maxBytes : bytes)
              + " bytes long, more than the limit of "
              + maxBytes
              + " bytes; it was skipped",
          number);
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer bytes = ByteBuffer.wrap(line, 0, length);
    try {
      return new Line(decoder.decode(bytes).toString(), null, number);
    } catch (CharacterCodingException e) {
      return new Line(null, "the line is not valid UTF-8; send UTF-8 text", number);
    }
  }

  private void ensure(int capacity) {
    if (capacity > line.length) {
      line = Arrays.copyOf(line, Math.max(capacity, Math.min(line.length * 2, maxBytes + 1)));
    }
  }
}
