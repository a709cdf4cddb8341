package dev.cairn.asl;

/**
 * Thrown by a {@link TaskHandler} to report an error with an explicit ASL error name. Any other
 * exception a handler throws is reported with its fully qualified class name as the error name, the
 * way the Java Lambda runtime reports {@code errorType}.
 */
public class TaskFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String error;

  public TaskFailure(String error, String cause) {
    super(cause);
    this.error = error;
  }

  /** The ASL error name. */
  public String error() {
    return error;
  }
}
