package dev.cairn.core.pipeline;

/**
 * An error the state machine routes on. The Java Lambda runtime reports a thrown exception's fully
 * qualified class name as {@code errorType}, so each subclass's name is part of the contract with
 * {@code statemachines/deploy-artifact-pipeline.asl.json}: never rename or move one.
 */
public abstract class PipelineError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected PipelineError(String message, Throwable cause) {
    super(message, cause, false, true);
  }

  /** The name {@code Retry}/{@code Catch} match: the fully qualified class name. */
  public String errorName() {
    return getClass().getName();
  }
}
