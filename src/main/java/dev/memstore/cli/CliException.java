package dev.memstore.cli;

import dev.memstore.ErrorCode;

/** A command failed in a way memctl itself detected; carries the exit code to end with. */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;
  private final ErrorCode errorCode;

  /** A failure whose {@code --json} code follows from its exit code. */
  CliException(int exitCode, String message) {
    this(exitCode, ExitCodes.errorCodeOf(exitCode), message);
  }

  CliException(int exitCode, ErrorCode errorCode, String message) {
    super(message);
    this.exitCode = exitCode;
    this.errorCode = errorCode;
  }

  int exitCode() {
    return exitCode;
  }

  /** The protocol's error code that {@code --json} prints. */
  ErrorCode errorCode() {
    return errorCode;
  }
}
