package dev.cairn.core.pipeline;

/** A dependency was throttled or unavailable; the state machine retries with back-off. */
public final class TransientError extends PipelineError {
  private static final long serialVersionUID = 1L;

  public TransientError(String message) {
    super(message, null);
  }

  public TransientError(String message, Throwable cause) {
    super(message, cause);
  }
}
