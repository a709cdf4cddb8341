package dev.cairn.asl;

/**
 * An ASL runtime error: an error name (for example {@code States.TaskFailed} or a Lambda {@code
 * errorType}) and an optional cause. Retriers and Catchers match on {@link #error()}.
 */
public final class AslError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String error;
  private final String errorCause;

  public AslError(String error, String cause) {
    super(cause == null ? String.valueOf(error) : error + ": " + cause, null, false, false);
    this.error = error;
    this.errorCause = cause;
  }

  /** The error name; null only for a Fail state without Error (then nothing can match it). */
  public String error() {
    return error;
  }

  /** The cause, or {@code null} when none was given. */
  public String errorCause() {
    return errorCause;
  }
}
