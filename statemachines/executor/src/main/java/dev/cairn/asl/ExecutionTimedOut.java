package dev.cairn.asl;

/** Raised when the execution's own TimeoutSeconds elapses; never caught by Catch. */
final class ExecutionTimedOut extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ExecutionTimedOut() {
    super("execution timed out", null, false, false);
  }
}
