package dev.memstore.cli;

import dev.memstore.ErrorCode;
import dev.memstore.InvalidRequestException;
import dev.memstore.MemoryNotFoundException;
import dev.memstore.MemoryStoreException;
import dev.memstore.PermissionDeniedException;
import dev.memstore.SessionNotFoundException;
import dev.memstore.UnsupportedSchemaException;
import dev.memstore.ValidationException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of memctl and the one rule that picks them, for every command alike. Scripts
 * branch on them, so they never change meaning:
 *
 * <ul>
 *   <li>{@link #ERROR}: the work could not be done: the store or a file could not be found, opened,
 *       read or written (including a missing store or folder, a locked or read-only file), {@code
 *       doctor} found problems, a prune was not confirmed.
 *   <li>{@link #USAGE}: the command line is wrong: an unknown command or flag, a missing argument,
 *       a malformed value, or a value the store refuses (out of range, a name taken, a session
 *       already ended).
 *   <li>{@link #NOT_FOUND}: an id on the command line names nothing: no memory, session, link or
 *       context group with that id.
 *   <li>{@link #REFUSED}: a file or an agent is refused: the store is not a memstore file or was
 *       written by a newer memstore, or a file to write exists (without {@code --force}) or is the
 *       store itself; or the store's access policy refuses the agent ({@code permission_denied}: an
 *       unknown agent, a missing or wrong secret, a right it lacks, a memory outside its scope).
 * </ul>
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
    if (failure instanceof UnsupportedSchemaException
        || failure instanceof PermissionDeniedException) {
      return REFUSED;
    }
    // Every value a command hands the store came from its command line (exec answers bad
    // requests in its responses and never gets here), so a rejected value is a usage error.
    // The store's builder refuses a bad option (reembed --model) at once, naming the value.
    if (failure instanceof ValidationException
        || failure instanceof InvalidRequestException
        || failure instanceof IllegalArgumentException) {
      return USAGE;
    }
    return ERROR;
  }

  /** Returns the protocol's error code for a failure, as {@code --json} reports it. */
  static ErrorCode errorCode(Throwable failure) {
    if (failure instanceof MemoryStoreException stored) {
      return stored.code();
    }
    if (failure instanceof CliException cli) {
      return cli.errorCode();
    }
    // As the protocol answers a value its builders refuse.
    if (failure instanceof IllegalArgumentException) {
      return ErrorCode.VALIDATION_ERROR;
    }
    return ErrorCode.INTERNAL_ERROR;
  }

  /** Returns the protocol's error code that stands for an exit code memctl chose itself. */
  static ErrorCode errorCodeOf(int exitCode) {
    return switch (exitCode) {
      case USAGE -> ErrorCode.INVALID_REQUEST;
      // The protocol's code for a reference to nothing that is neither a memory nor a session.
      case NOT_FOUND -> ErrorCode.VALIDATION_ERROR;
      case REFUSED -> ErrorCode.PERMISSION_DENIED;
      default -> ErrorCode.STORAGE_ERROR;
    };
  }

  /** Returns the exit codes with their meaning, as the help shows them. */
  static Map<String, String> descriptions() {
    Map<String, String> codes = new LinkedHashMap<>();
    codes.put(" " + OK, "success");
    codes.put(
        " " + ERROR,
        "error: the store or a file could not be found, opened, read or written; doctor found"
            + " problems");
    codes.put(
        " " + USAGE,
        "usage error: an unknown command or flag, a missing or bad value, or one the store refuses");
    codes.put(" " + NOT_FOUND, "not found: no memory, session, link or group with that id");
    codes.put(
        " " + REFUSED,
        "refused: not a memstore file or a newer one; a file to write exists or is the store; the"
            + " access policy refuses the agent");
    return codes;
  }
}
