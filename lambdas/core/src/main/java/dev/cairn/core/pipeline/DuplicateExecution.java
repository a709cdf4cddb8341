package dev.cairn.core.pipeline;

/**
 * Another execution holds the lease, or the environment is already past `pending`. The pipeline
 * ends quietly.
 */
public final class DuplicateExecution extends PipelineError {
  private static final long serialVersionUID = 1L;

  public DuplicateExecution(String message) {
    super(message, null);
  }

  public DuplicateExecution(String message, Throwable cause) {
    super(message, cause);
  }
}
