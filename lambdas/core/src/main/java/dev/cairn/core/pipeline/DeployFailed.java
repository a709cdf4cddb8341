package dev.cairn.core.pipeline;

/** A change set or stack operation failed for good (or a stack policy forbids the change). */
public final class DeployFailed extends PipelineError {
  private static final long serialVersionUID = 1L;

  public DeployFailed(String message) {
    super(message, null);
  }

  public DeployFailed(String message, Throwable cause) {
    super(message, cause);
  }
}
