package dev.cairn.sandbox.iam;

/** The independent evaluator could not answer: node failed, timed out, or rejected a request. */
public final class IamEvaluationException extends RuntimeException {

  private final String stderr;

  IamEvaluationException(String message, String stderr, Throwable cause) {
    super(stderr.isBlank() ? message : message + "; node stderr:\n" + stderr.strip(), cause);
    this.stderr = stderr;
  }

  IamEvaluationException(String message, String stderr) {
    this(message, stderr, null);
  }

  /** What node wrote to stderr, empty when it wrote nothing. */
  public String stderr() {
    return stderr;
  }
}
