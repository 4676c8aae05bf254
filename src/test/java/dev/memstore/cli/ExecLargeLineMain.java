package dev.memstore.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@code memctl --db FILE exec} in a child JVM with a small heap, on input that holds one
 * request line of the given number of megabytes (generated as it is read, never held) followed by a
 * stats request; prints the responses.
 */
public final class ExecLargeLineMain {
  private ExecLargeLineMain() {}

  public static void main(String[] args) {
    long lineBytes = Long.parseLong(args[1]) << 20;
    byte[] head =
        "{\"action\":\"create\",\"payload\":{\"content\":\"".getBytes(StandardCharsets.UTF_8);
    byte[] tail =
        "\"}}\n{\"action\":\"stats\",\"request_id\":\"after\"}\n".getBytes(StandardCharsets.UTF_8);
    long total = head.length + lineBytes + tail.length;
    InputStream in =
        new InputStream() {
          private long position;

          @Override
          public int read() {
            if (position >= total) {
              return -1;
            }
            long at = position++;
            if (at < head.length) {
              return head[(int) at];
            }
            if (at < head.length + lineBytes) {
              return 'x';
            }
            return tail[(int) (at - head.length - lineBytes)];
          }

          @Override
          public int read(byte[] buffer, int offset, int length) {
            if (position >= total) {
              return -1;
            }
            int count = 0;
            while (count < length && position < total) {
              buffer[offset + count++] = (byte) read();
            }
            return count;
          }
        };
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    int exit =
        Memctl.run(
            new String[] {"--db", args[0], "exec"},
            out,
            new PrintWriter(System.err, true, StandardCharsets.UTF_8),
            in);
    out.println("exit " + exit);
    out.flush();
  }
}
