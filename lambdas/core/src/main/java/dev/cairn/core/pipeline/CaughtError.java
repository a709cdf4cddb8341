package dev.cairn.core.pipeline;

/**
 * A Step Functions Catch output, {@code {"Error": ..., "Cause": ...}}: the error name and its cause
 * as the state machine caught them. Either may be empty, never null.
 */
public record CaughtError(String error, String cause) {

  /** No error was caught (the field was absent or null). */
  public static final CaughtError NONE = new CaughtError("", "");

  public CaughtError {
    error = error == null ? "" : error;
    cause = cause == null ? "" : cause;
  }
}
