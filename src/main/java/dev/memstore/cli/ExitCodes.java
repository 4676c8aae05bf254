package dev.memstore.cli;

import dev.memstore.InvalidRequestException;
import dev.memstore.MemoryNotFoundException;
import dev.memstore.SessionNotFoundException;
import dev.memstore.UnsupportedSchemaException;
import dev.memstore.ValidationException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of memctl and the failures they stand for. Scripts branch on them, so they never
 * change meaning.
 */
final class ExitCodes {
  static final int OK = 0;
  static final int ERROR = 1;
  static final int USAGE = 2;
  static final int NOT_FOUND = 3;
  static final int REFUSED = 4;

  private ExitCodes() {}

  /** Returns the exit code for a failure of a command. */
  static int of(Throwable failure) {
    if (failure instanceof CliException cli) {
      return cli.exitCode();
    }
    if (failure instanceof MemoryNotFoundException || failure instanceof SessionNotFoundException) {
      return NOT_FOUND;
    }
    if (failure instanceof UnsupportedSchemaException) {
      return REFUSED;
    }
    // Every value a command hands the store came from its command line (exec answers bad
    // requests in its responses and never gets here), so a rejected value is a usage error.
    if (failure instanceof ValidationException || failure instanceof InvalidRequestException) {
      return USAGE;
    }
    return ERROR;
  }

  /** Returns the exit codes with their meaning, as the help shows them. */
  static Map<String, String> descriptions() {
    Map<String, String> codes = new LinkedHashMap<>();
    codes.put(" " + OK, "success");
    codes.put(" " + ERROR, "error: the store could not be opened, read or written");
    codes.put(" " + USAGE, "usage error: an unknown command or flag, or a bad value");
    codes.put(" " + NOT_FOUND, "not found: no memory or session with that id");
    codes.put(
        " " + REFUSED,
        "refused: the file is not a memstore file or was written by a newer memstore");
    return codes;
  }
}
