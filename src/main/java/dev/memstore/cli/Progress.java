package dev.memstore.cli;

import java.io.PrintWriter;
import java.util.function.LongConsumer;

/**
 * A progress line on standard error for long work, redrawn in place; silent when memctl does not
 * run on a terminal (in a pipe, a script or a test), so that scripts see only results.
 */
final class Progress implements LongConsumer, AutoCloseable {
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final String what;
  private final long total;
  private final boolean visible;
  private boolean drawn;

  /** A progress line toward a total, or of a count when the total is unknown (0). */
  Progress(PrintWriter err, String what, long total) {
    this(err, what, total, System.console() != null);
  }

  Progress(PrintWriter err, String what, long total, boolean visible) {
    this.err = err;
    this.what = what;
    this.total = total;
    this.visible = visible;
  }

  @Override
  public void accept(long done) {
    if (!visible) {
      return;
    }
    String line;
    if (total > 0) {
      int filled = (int) Math.min(WIDTH, done * WIDTH / total);
      line =
          String.format(
              "\r%s [%s%s] %3d%% %,d/%,d",
              what,
              "#".repeat(filled),
              " ".repeat(WIDTH - filled),
              Math.min(100, done * 100 / total),
              done,
              total);
    } else {
      line = String.format("\r%s %,d", what, done);
    }
    err.print(line);
    err.flush();
    drawn = true;
  }

  @Override
  public void close() {
    if (drawn) {
      err.println();
      err.flush();
    }
  }
}
